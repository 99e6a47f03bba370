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


@pytest.mark.parametrize("page", ["round", "drafts", "draft", "need_form", "mine", "join", "card", "card_enter",
                                  "my_data", "withdraw"])
async def test_first_load_fits_the_budget(client, committed, page):
    round_, clause, _ = await join_round(client, committed, phase="needs")
    path = {"round": f"/rounds/{round_.slug}", "drafts": f"/rounds/{round_.slug}/drafts",
            "draft": f"/drafts/{clause.draft_id}", "need_form": f"/rounds/{round_.slug}/needs/new",
            "mine": f"/rounds/{round_.slug}/mine", "join": "/join", "card": "/me/card", "card_enter": "/card",
            "my_data": "/me", "withdraw": "/me/withdraw"}[page]
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


async def _first_load(client, path) -> int:
    html, total = await _compressed(client, path)
    for asset in re.findall(r'(?:href|src)="(/static/[^"]+)"', html.text):
        total += (await _compressed(client, asset))[1]
    return total


async def test_an_outcome_of_twelve_clauses_and_a_round_with_news_fit_the_budget(client, committed):
    from server.database import unit_of_work
    from server.deliberation.service import cast_vote
    from server.drafts.service import add_clause, create_draft
    from server.people.models import Participant
    from server.rounds.service import move_phase
    from tests.factories import make_member, make_need, make_round, publish_round

    async with unit_of_work(committed) as session:
        round_ = await make_round(session)
        facilitator = await session.get(Participant, round_.created_by_id)
        people = [await make_member(session, round_) for _ in range(4)] + [
            await make_member(session, round_, group_key="government")]
        needs = [await make_need(session, round_, people[i % 4], title=f"ความต้องการข้อที่ {i} เรื่องน้ำและที่ดินทำกิน")
                 for i in range(8)]
        await move_phase(session, facilitator, round_.id, "drafting")
        draft = await create_draft(session, facilitator, round_.id, title="ร่างนโยบายที่ดินชายฝั่ง")
        clauses = [await add_clause(session, facilitator, draft.id, answers=[needs[i % 8].id],
                                    text=f"ข้อ {i}: รัฐจะออกโฉนดชุมชนและจัดหาน้ำประปาให้ทุกหมู่บ้านชายฝั่งภายในหนึ่งปี")
                   for i in range(12)]
        await move_phase(session, facilitator, round_.id, "deliberation")
        for clause in clauses:
            for person, choice in zip(people, ["agree", "agree", "disagree", "agree", "agree"], strict=True):
                await cast_vote(session, person, clause.id, choice)
        await publish_round(session, round_)
    outcome = await _first_load(client, f"/rounds/{round_.slug}/outcome")
    print(f"\noutcome (12 clauses), with CSS and JS: {outcome} B compressed")
    assert outcome <= BUDGET

    joined, _clause, _ = await join_round(client, committed)
    await client.get(f"/rounds/{joined.slug}")
    async with unit_of_work(committed) as session:
        facilitator = await session.get(Participant, joined.created_by_id)
        await move_phase(session, facilitator, joined.id, "drafting")
        for i in range(8):
            await create_draft(session, facilitator, joined.id, title=f"ร่างนโยบายใหม่ฉบับที่ {i} เรื่องน้ำประปาหมู่บ้าน")
        await move_phase(session, facilitator, joined.id, "deliberation")
    home = await _first_load(client, f"/rounds/{joined.slug}")
    print(f"round home with news, with CSS and JS: {home} B compressed")
    assert home <= BUDGET
