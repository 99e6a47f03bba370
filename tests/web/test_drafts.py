"""Reading a draft clause by clause and voting with one tap, with JavaScript off and on."""

from sqlalchemy import select

from server.database import unit_of_work
from server.deliberation.models import Comment, Vote
from server.drafts.models import Amendment
from tests.web.conftest import csrf_of, join_round


async def _votes(committed, clause_id):
    async with unit_of_work(committed) as session:
        return (await session.scalars(select(Vote.value).where(Vote.clause_id == clause_id))).all()


async def test_vote_without_javascript_returns_to_the_clause(client, committed):
    round_, clause, _ = await join_round(client, committed)
    listing = await client.get(f"/rounds/{round_.slug}/drafts")
    assert f"/drafts/{clause.draft_id}" in listing.text
    page = await client.get(f"/drafts/{clause.draft_id}")
    assert "รัฐจะออกโฉนดชุมชนภายในหนึ่งปี" in page.text and "รัฐจะจัดหาน้ำประปา" in page.text
    voted = await client.post(f"/clauses/{clause.id}/vote", data={"choice": "agree", "csrf_token": csrf_of(page)})
    assert voted.status_code == 303 and voted.headers["location"].endswith(f"#clause-{clause.id}")
    assert await _votes(committed, clause.id) == [1]
    again = await client.get(voted.headers["location"])
    assert 'value="agree" class="chosen" aria-pressed="true"' in again.text


async def test_an_htmx_vote_swaps_a_fragment_under_two_kilobytes(client, committed):
    _, clause, _ = await join_round(client, committed)
    page = await client.get(f"/drafts/{clause.draft_id}")
    voted = await client.post(f"/clauses/{clause.id}/vote", data={"choice": "disagree"},
                              headers={"HX-Request": "true", "X-CSRF-Token": csrf_of(page)})
    assert voted.status_code == 200 and "<html" not in voted.text
    assert 'value="disagree" class="chosen" aria-pressed="true"' in voted.text
    assert len(voted.content) + sum(len(k) + len(v) for k, v in voted.headers.items()) < 2048
    assert await _votes(committed, clause.id) == [-1]


async def test_a_closed_phase_is_said_where_the_vote_was(client, committed):
    _, clause, _ = await join_round(client, committed, phase="needs")
    page = await client.get(f"/drafts/{clause.draft_id}")
    voted = await client.post(f"/clauses/{clause.id}/vote", data={"choice": "agree"},
                              headers={"HX-Request": "true", "X-CSRF-Token": csrf_of(page)})
    assert "ไม่เปิดให้ลงคะแนน" in voted.text and 'aria-pressed="true"' not in voted.text
    assert await _votes(committed, clause.id) == []


async def test_comment_and_amendment_forms(client, committed):
    _, clause, _ = await join_round(client, committed)
    page = await client.get(f"/drafts/{clause.draft_id}")
    token = csrf_of(page)
    sent = await client.post(f"/clauses/{clause.id}/comments",
                             data={"stance": "oppose", "body": "หนึ่งปีนานเกินไป", "csrf_token": token})
    assert sent.status_code == 303
    empty = await client.post(f"/clauses/{clause.id}/comments", data={"stance": "oppose", "body": " ",
                                                                      "csrf_token": token})
    assert empty.status_code == 422 and "ช่องนี้ต้องไม่ว่าง" in empty.text  # said in the comment's form
    proposed = await client.post(f"/clauses/{clause.id}/amendments",
                                 data={"text": "ภายในหกเดือน", "rationale": "", "csrf_token": token})
    assert proposed.status_code == 303
    async with unit_of_work(committed) as session:
        assert (await session.scalars(select(Comment.body).where(Comment.clause_id == clause.id))).all() \
            == ["หนึ่งปีนานเกินไป"]
        assert (await session.scalars(select(Amendment.text).where(Amendment.clause_id == clause.id))).all() \
            == ["ภายในหกเดือน"]
    page = await client.get(f"/drafts/{clause.draft_id}")
    shown = page.text.replace("<wbr>", "")  # Thai is marked where it may wrap, between words
    assert "หนึ่งปีนานเกินไป" in shown and "ภายในหกเดือน" in shown
