"""Writing a draft in the browser without JavaScript: a draft, its clauses written, changed, moved, taken
out and linked to needs found by a search; after voting opens, a change is a new version a member sees."""

import re

import httpx
from sqlalchemy import select

from server.auth.service import create_invites
from server.database import unit_of_work
from server.deliberation.models import Vote
from server.drafts.models import Clause, Draft, clause_needs
from server.rounds.service import move_phase
from tests.factories import make_member, make_need
from tests.web.conftest import csrf_of, join_with_code
from tests.web.facilitation import htmx, my_round, sign_in_as

WATER = "น้ำประปาไม่ไหลในหมู่บ้านเกาะสาหร่าย"
LAND = "ไม่มีโฉนดที่ดินทำกิน"


async def _drafting_round(client, committed):
    round_, me = await my_round(client, committed, phase="needs")
    async with unit_of_work(committed) as session:
        villager = await make_member(session, round_)
        water = await make_need(session, round_, villager, title=WATER, sector="health", hazards=["drought"])
        land = await make_need(session, round_, villager, title=LAND)
        await move_phase(session, me, round_.id, "drafting")
    return round_, me, water, land


async def _clauses(committed, draft_id):
    async with unit_of_work(committed) as session:
        return list(await session.scalars(select(Clause).where(Clause.draft_id == draft_id)
                                          .order_by(Clause.status, Clause.position)))


async def _draft_of_three(client, committed, round_):
    token = csrf_of(await client.get(f"/facilitate/{round_.slug}/drafts"))
    made = await client.post(f"/facilitate/{round_.slug}/drafts", data={
        "csrf_token": token, "title": "ร่างแผนน้ำและที่ดิน", "summary": "", "organisation_id": ""})
    assert made.status_code == 303, made.text
    draft_url = made.headers["location"].split("?")[0]
    for words in ("ข้อหนึ่ง จัดหาน้ำ", "ข้อสอง ออกโฉนด", "ข้อสาม ตั้งกองทุน"):
        added = await client.post(f"{draft_url}/clauses", data={"csrf_token": token, "text": words})
        assert added.status_code == 303 and "done=added" in added.headers["location"]
    return draft_url, token, await _clauses(committed, draft_url.rsplit("/", 1)[1])


async def test_write_a_draft_without_javascript(client, committed):
    round_, _, water, _ = await _drafting_round(client, committed)
    page = await client.get(f"/facilitate/{round_.slug}/drafts")
    assert page.status_code == 200 and f'href="/facilitate/{round_.slug}/drafts" aria-current="page"' in page.text
    refused = await client.post(f"/facilitate/{round_.slug}/drafts", data={
        "csrf_token": csrf_of(page), "title": " ", "summary": "สรุปที่พิมพ์ไว้"})
    assert refused.status_code == 422 and 'id="title-error"' in refused.text and "สรุปที่พิมพ์ไว้" in refused.text

    draft_url, token, (first, second, third) = await _draft_of_three(client, committed, round_)
    empty = await client.post(f"{draft_url}/clauses", data={"csrf_token": token, "text": "  "})
    assert empty.status_code == 422 and 'id="text-new-error"' in empty.text

    edited = await client.post(f"{draft_url}/clauses/{first.id}/edit", data={"csrf_token": token,
                                                                              "text": "ข้อหนึ่ง จัดหาน้ำสะอาด"})
    assert edited.status_code == 303 and "done=edited" in edited.headers["location"]
    moved = await client.post(f"{draft_url}/clauses/{third.id}/move", data={"csrf_token": token, "direction": "up"})
    assert moved.status_code == 303
    out = await client.post(f"{draft_url}/clauses/{second.id}/withdraw", data={"csrf_token": token})
    assert out.status_code == 303
    now = await _clauses(committed, first.draft_id)
    assert [(c.id, c.text, c.position, c.status) for c in now] == [
        (first.id, "ข้อหนึ่ง จัดหาน้ำสะอาด", 1, "current"), (third.id, "ข้อสาม ตั้งกองทุน", 2, "current"),
        (second.id, "ข้อสอง ออกโฉนด", 3, "withdrawn")]
    page = await client.get(draft_url)
    assert "ข้อสอง ออกโฉนด" not in page.text and page.text.index("จัดหาน้ำสะอาด") < page.text.index("ตั้งกองทุน")

    # needs: a GET search, then checkboxes
    picker = f"{draft_url}/clauses/{first.id}/needs"
    found = await client.get(picker, params={"q": "น้ำประปา", "sector": "health"})
    assert found.status_code == 200 and WATER in found.text and LAND not in found.text
    swapped = await client.get(picker, params={"q": "โฉนด"}, headers=htmx())
    assert "<html" not in swapped.text and 'id="results"' in swapped.text and LAND in swapped.text
    linked = await client.post(picker, data={"csrf_token": token, "need_id": str(water.id)})
    assert linked.status_code == 303 and "done=linked" in linked.headers["location"]
    async with unit_of_work(committed) as session:
        assert (await session.scalars(select(clause_needs.c.need_id).where(clause_needs.c.clause_id == first.id))
                ).all() == [water.id]
    assert WATER in (await client.get(draft_url)).text
    nothing = await client.post(picker, data={"csrf_token": token})
    assert nothing.status_code == 422 and 'role="alert"' in nothing.text


async def test_after_voting_opens_a_change_is_a_new_version_a_member_is_asked_to_vote_on_again(client, committed):
    round_, me, _, _ = await _drafting_round(client, committed)
    draft_url, token, (first, _, _) = await _draft_of_three(client, committed, round_)
    async with unit_of_work(committed) as session:
        [(_, code)] = await create_invites(session, me, round_.id, group_key="villagers")
        await move_phase(session, me, round_.id, "deliberation")
    async with httpx.AsyncClient(transport=client._transport, base_url="http://ruam.test") as member:
        await join_with_code(member, code)
        reading = await member.get(f"/drafts/{first.draft_id}")
        voted = await member.post(f"/clauses/{first.id}/vote", data={"choice": "agree", "csrf_token": csrf_of(reading)})
        assert voted.status_code == 303

        changed = await client.post(f"{draft_url}/clauses/{first.id}/edit", data={"csrf_token": token,
                                                                                   "text": "ข้อหนึ่ง ฉบับใหม่"})
        assert changed.status_code == 303 and "done=revised" in changed.headers["location"]
        current = next(c for c in await _clauses(committed, first.draft_id) if c.supersedes_id == first.id)
        assert f"#clause-{current.id}" in changed.headers["location"]
        async with unit_of_work(committed) as session:
            assert (await session.scalars(select(Vote.clause_id).where(Vote.round_id == round_.id))).all() \
                == [first.id]
        stale = await client.post(f"{draft_url}/clauses/{first.id}/edit", data={"csrf_token": token,
                                                                                 "text": "จากหน้าเก่า"})
        assert stale.status_code == 422 and "ข้อนี้ถูกแก้หรือถูกเอาออกไปแล้ว" in stale.text

        again = await member.get(f"/drafts/{first.draft_id}")
        assert "ข้อหนึ่ง ฉบับใหม่" in again.text and "ข้อนี้มีการแก้ไขเมื่อ" in again.text
        assert "กรุณาอ่านข้อความใหม่และลงคะแนนอีกครั้ง" in again.text
        plain = again.text.replace("<wbr>", "")
        assert re.search(r"<details><summary>ข้อความเดิม</summary><p>[^<]*: ข้อหนึ่ง จัดหาน้ำ", plain)  # on demand
        # the earlier text takes no more votes, even sent straight to it
        late = await member.post(f"/clauses/{first.id}/vote", data={"choice": "disagree",
                                                                      "csrf_token": csrf_of(again)})
        assert late.status_code == 303
        async with unit_of_work(committed) as session:
            assert (await session.scalar(select(Vote.value).where(Vote.clause_id == first.id))) == 1


async def test_a_member_or_another_rounds_facilitator_cannot_write_the_draft(client, committed):
    round_, me, _, _ = await _drafting_round(client, committed)
    draft_url, _, (first, _, _) = await _draft_of_three(client, committed, round_)
    async with unit_of_work(committed) as session:
        [(_, code)] = await create_invites(session, me, round_.id, group_key="villagers")
    attempts = [(f"{draft_url}/clauses/{first.id}/edit", {"text": "ของฉัน"}),
                (f"{draft_url}/clauses/{first.id}/move", {"direction": "down"}),
                (f"{draft_url}/clauses/{first.id}/withdraw", {}),
                (f"{draft_url}/clauses", {"text": "ข้อที่ฉันแอบเพิ่ม"}),
                (f"/facilitate/{round_.slug}/drafts", {"title": "ร่างของฉัน"})]
    async with httpx.AsyncClient(transport=client._transport, base_url="http://ruam.test") as member:
        await join_with_code(member, code)
        their_token = csrf_of(await member.get(f"/drafts/{first.draft_id}"))
        assert (await member.get(f"/facilitate/{round_.slug}/drafts")).status_code == 403
        assert (await member.get(draft_url)).status_code == 403
        for url, data in attempts:
            assert (await member.post(url, data={**data, "csrf_token": their_token})).status_code == 403, url
    async with httpx.AsyncClient(transport=client._transport, base_url="http://ruam.test") as outsider:
        await sign_in_as(outsider, committed)  # a facilitator, of no round of theirs here
        their_token = csrf_of(await outsider.get("/facilitate/sign-in"))
        assert (await outsider.get(draft_url)).status_code == 403
        for url, data in attempts:
            assert (await outsider.post(url, data={**data, "csrf_token": their_token})).status_code == 403, url
    after = await _clauses(committed, first.draft_id)
    assert [(c.text, c.position, c.status) for c in after] == [
        ("ข้อหนึ่ง จัดหาน้ำ", 1, "current"), ("ข้อสอง ออกโฉนด", 2, "current"), ("ข้อสาม ตั้งกองทุน", 3, "current")]
    async with unit_of_work(committed) as session:
        assert len((await session.scalars(select(Draft).where(Draft.round_id == round_.id))).all()) == 1
