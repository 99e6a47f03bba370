"""Page weight budgets for slow networks: a participant page, with its CSS and JS, at most 30 KB
compressed on first load; a vote's round trip at most 2 KB. The figures are printed (-s)."""

import re

import pytest

from tests.web.conftest import csrf_of, join_round

BUDGET = 30 * 1024


async def _compressed(client, path):
    response = await client.get(path, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200, path
    return response, response.num_bytes_downloaded


@pytest.mark.parametrize("page", ["round", "drafts", "draft", "need_form", "mine", "join"])
async def test_first_load_fits_the_budget(client, committed, page):
    round_, clause, _ = await join_round(client, committed, phase="needs")
    path = {"round": f"/rounds/{round_.slug}", "drafts": f"/rounds/{round_.slug}/drafts",
            "draft": f"/drafts/{clause.draft_id}", "need_form": f"/rounds/{round_.slug}/needs/new",
            "mine": f"/rounds/{round_.slug}/mine", "join": "/join"}[page]
    html, size = await _compressed(client, path)
    total = size
    for asset in re.findall(r'(?:href|src)="(/static/[^"]+)"', html.text):
        total += (await _compressed(client, asset))[1]
    print(f"\n{page}: html {size} B, with CSS and JS {total} B compressed")
    assert total <= BUDGET


async def test_a_vote_round_trip_fits_in_two_kilobytes(client, committed):
    _, clause, _ = await join_round(client, committed)
    page = await client.get(f"/drafts/{clause.draft_id}")
    body = "choice=agree"
    headers = {"HX-Request": "true", "X-CSRF-Token": csrf_of(page), "Accept-Encoding": "gzip",
               "Content-Type": "application/x-www-form-urlencoded"}
    response = await client.post(f"/clauses/{clause.id}/vote", content=body, headers=headers)
    sent = len(body) + sum(len(k) + len(v) + 4 for k, v in headers.items()) + len(f"/clauses/{clause.id}/vote")
    received = response.num_bytes_downloaded + sum(len(k) + len(v) + 4 for k, v in response.headers.items())
    print(f"\nvote round trip: {sent} B up, {received} B down (the session cookie adds ~200 B up)")
    assert sent + received + 300 <= 2048


async def test_a_full_page_of_needs_fits_the_budget(client, committed):
    """The needs page at its heaviest: a whole page of needs with their icons, each with a comment and a reply,
    and the forms to reply, comment and say "me too"."""
    from server.database import unit_of_work
    from server.deliberation.service import post_comment
    from server.needs.browse import PAGE
    from tests.factories import make_member, make_need

    round_, _, _ = await join_round(client, committed, phase="needs")
    async with unit_of_work(committed) as session:
        raiser = await make_member(session, round_)
        for n in range(PAGE + 1):
            need = await make_need(session, round_, raiser, title=f"ความต้องการที่ {n}: น้ำทะเลท่วมบ้านทุกปี",
                                   body="บ้านริมหาดเสียหาย เด็กไปโรงเรียนไม่ได้ ต้องย้ายไปอยู่ที่อื่น",
                                   hazards=["coastal", "storm"])
            first = await post_comment(session, raiser, need_id=need.id, stance="support", body="บ้านเราก็เป็น")
            await post_comment(session, raiser, need_id=need.id, stance="question", body="หมู่ไหน",
                               parent_id=first.id)
    html, size = await _compressed(client, f"/rounds/{round_.slug}/needs")
    assert html.text.count('class="card"') == PAGE
    total = size
    for asset in re.findall(r'(?:href|src)="(/static/[^"]+)"', html.text):
        total += (await _compressed(client, asset))[1]
    print(f"\nneeds ({PAGE} with comments): html {size} B, with CSS and JS {total} B compressed")
    assert total <= BUDGET
