"""The conversation pages without JavaScript: finding needs, "me too" (twice at once counts once), replies,
comments on a whole draft, and a member of one round reaching for another round's needs."""

from __future__ import annotations

import asyncio
import re

from sqlalchemy import func, select

from server.database import unit_of_work
from server.deliberation.models import Comment
from server.deliberation.service import moderate_comment, post_comment
from server.needs.models import Endorsement
from server.people.models import Participant
from tests.factories import make_member, make_need, make_round
from tests.web.conftest import csrf_of, join_round


async def _needs_of(committed, round_, *titles_and_sectors):
    async with unit_of_work(committed) as session:
        raiser = await make_member(session, round_)
        return [await make_need(session, round_, raiser, title=title, sector=sector, area_code=area,
                                hazards=hazards)
                for title, sector, area, hazards in titles_and_sectors]


async def _count(committed, model, **where):
    async with committed() as session:
        return await session.scalar(select(func.count()).select_from(model).filter_by(**where))


async def test_needs_are_found_by_sector_area_hazard_and_words(client, committed):
    round_, _, _ = await join_round(client, committed, phase="needs")
    await _needs_of(committed, round_, ("น้ำกัดเซาะชายฝั่ง", "land_housing", "910101", ["coastal"]),
                    ("ไม่มีน้ำประปาใช้", "water", "910201", ["drought"]))
    page = await client.get(f"/rounds/{round_.slug}/needs")
    assert page.status_code == 200 and "น้ำกัดเซาะชายฝั่ง" in page.text and "ไม่มีน้ำประปาใช้" in page.text
    for query in ("sector=water", "area=9102", "hazard=drought", "q=ประปา"):
        found = await client.get(f"/rounds/{round_.slug}/needs?{query}")
        assert "ไม่มีน้ำประปาใช้" in found.text and "น้ำกัดเซาะชายฝั่ง" not in found.text, query
    fragment = await client.get(f"/rounds/{round_.slug}/needs?sector=water", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<section id="results"') and "ไม่มีน้ำประปาใช้" in fragment.text
    wrong = await client.get(f"/rounds/{round_.slug}/needs?area=ตำบล")
    assert wrong.status_code == 422 and 'aria-invalid="true"' in wrong.text


async def test_me_too_twice_at_once_counts_once_and_can_be_taken_back(client, committed):
    round_, _, _ = await join_round(client, committed, phase="needs")
    [need] = await _needs_of(committed, round_, ("เรือประมงเสียหาย", "fisheries", "910101", ["storm"]))
    page = await client.get(f"/rounds/{round_.slug}/needs?sector=fisheries")
    form = {"csrf_token": csrf_of(page), "back": "sector=fisheries"}
    sent = await asyncio.gather(*(client.post(f"/needs/{need.id}/me-too", data=form) for _ in range(2)))
    assert [r.status_code for r in sent] == [303, 303]
    assert sent[0].headers["location"] == f"/rounds/{round_.slug}/needs?sector=fisheries#need-{need.id}"
    assert await _count(committed, Endorsement, need_id=need.id) == 1
    again = await client.get(f"/rounds/{round_.slug}/needs?sector=fisheries")
    assert 'aria-pressed="true"' in again.text
    swapped = await client.post(f"/needs/{need.id}/me-too", data={**form, "undo": "1"},
                                headers={"HX-Request": "true"})
    assert swapped.status_code == 200 and 'aria-pressed="false"' in swapped.text
    assert await _count(committed, Endorsement, need_id=need.id) == 0


async def test_a_back_address_stays_on_the_needs_page(client, committed):
    round_, _, _ = await join_round(client, committed, phase="needs")
    [need] = await _needs_of(committed, round_, ("ถนนขาด", "infrastructure", "910101", []))
    page = await client.get(f"/rounds/{round_.slug}/needs")
    sent = await client.post(f"/needs/{need.id}/me-too",
                             data={"csrf_token": csrf_of(page), "back": "//evil.example/&next=https://evil.example"})
    assert sent.headers["location"] == f"/rounds/{round_.slug}/needs#need-{need.id}"


async def test_comments_and_replies_on_a_need(client, committed):
    round_, _, _ = await join_round(client, committed, phase="needs")
    [need] = await _needs_of(committed, round_, ("ไม่มีไฟฟ้า", "infrastructure", "910101", []))
    page = await client.get(f"/rounds/{round_.slug}/needs")
    sent = await client.post(f"/needs/{need.id}/comments", data={
        "csrf_token": csrf_of(page), "stance": "support", "body": "บ้านเราก็ไม่มีไฟ"})
    assert sent.status_code == 303
    async with committed() as session:
        first = await session.scalar(select(Comment).where(Comment.need_id == need.id))
    await client.post(f"/needs/{need.id}/comments", data={
        "csrf_token": csrf_of(page), "stance": "question", "body": "หมู่ไหนครับ", "parent_id": str(first.id)})
    shown = (await client.get(f"/rounds/{round_.slug}/needs")).text
    assert re.search(r'<ul class="replies"[^>]*><li id="comment-[^"]+"><span class="stance">[^<]+</span> หมู่ไหนครับ',
                     shown)


async def test_replies_and_whole_draft_comments_on_the_draft_page(client, committed):
    round_, clause, _ = await join_round(client, committed)
    page = await client.get(f"/drafts/{clause.draft_id}")
    token = csrf_of(page)
    on_draft = await client.post(f"/drafts/{clause.draft_id}/comments", data={
        "csrf_token": token, "stance": "support", "body": "ร่างนี้ดีโดยรวม"})
    assert on_draft.status_code == 303 and on_draft.headers["location"].endswith("#draft-comments")
    await client.post(f"/clauses/{clause.id}/comments", data={"csrf_token": token, "stance": "oppose",
                                                              "body": "หนึ่งปีนานเกินไป"})
    async with committed() as session:
        first = await session.scalar(select(Comment).where(Comment.clause_id == clause.id))
    await client.post(f"/clauses/{clause.id}/comments", data={
        "csrf_token": token, "stance": "support", "body": "เห็นด้วย ควรเร็วกว่านี้", "parent_id": str(first.id)})
    shown = (await client.get(f"/drafts/{clause.draft_id}")).text
    assert "ร่างนี้ดีโดยรวม" in shown and 'class="replies"' in shown and "เห็นด้วย ควรเร็วกว่านี้" in shown

    async with unit_of_work(committed) as session:  # its facilitator hides the first comment
        facilitator = await session.get(Participant, round_.created_by_id)
        await moderate_comment(session, facilitator, first.id, state="hidden", reason="ไม่สุภาพ")
    shown = (await client.get(f"/drafts/{clause.draft_id}")).text
    assert "หนึ่งปีนานเกินไป" not in shown and "เห็นด้วย ควรเร็วกว่านี้" not in shown  # its replies go with it


async def test_a_member_of_another_round_cannot_reach_its_needs(client, committed):
    await join_round(client, committed, phase="needs")  # this client takes part in a round of its own
    async with unit_of_work(committed) as session:
        other = await make_round(session)
        raiser = await make_member(session, other)
        need = await make_need(session, other, raiser, title="ความลับของหมู่บ้านอื่น")
        await post_comment(session, raiser, need_id=need.id, stance="support", body="เรื่องภายในหมู่บ้าน")
    page = await client.get(f"/rounds/{other.slug}/needs")
    assert page.status_code == 403 and "ความลับของหมู่บ้านอื่น" not in page.text
    token = csrf_of(await client.get("/join"))
    me_too = await client.post(f"/needs/{need.id}/me-too", data={"csrf_token": token})
    said = await client.post(f"/needs/{need.id}/comments", data={
        "csrf_token": token, "stance": "support", "body": "แอบเข้ามา"})
    assert (me_too.status_code, said.status_code) == (403, 403)
    assert await _count(committed, Endorsement, need_id=need.id) == 0
    assert await _count(committed, Comment, need_id=need.id) == 1
    htmx = await client.post(f"/needs/{need.id}/me-too", data={"csrf_token": token}, headers={"HX-Request": "true"})
    assert htmx.status_code == 403 and "me-too" not in htmx.text
