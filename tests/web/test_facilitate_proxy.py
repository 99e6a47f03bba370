"""Proxy entry: needs, votes and comments gathered at a meeting, on someone's behalf."""

import re

from sqlalchemy import select

from server.database import unit_of_work
from server.deliberation.models import Comment, Vote
from server.needs.models import Need
from server.people.models import ConsentRecord, Participant
from server.proxies.models import ProxyRecord
from server.rounds.models import Membership
from server.rounds.service import move_phase
from tests.factories import make_clause, make_member
from tests.web.facilitation import htmx, my_round, sign_in_as, token_of


async def _round_with_clauses(client, committed, phase="deliberation"):
    round_, me = await my_round(client, committed)
    async with unit_of_work(committed) as session:
        member = await make_member(session, round_, display_name="ป้าแดง")
        first = await make_clause(session, round_, text="รัฐจะออกโฉนดชุมชนภายในหนึ่งปี")
        await move_phase(session, me, round_.id, phase)
    return round_, me, member, first


async def _start(client, round_, token, **data):
    started = await client.post(f"/facilitate/{round_.slug}/proxy", data={
        "method": "meeting", "consent": "verbal", "csrf_token": token, **data})
    assert started.status_code == 303, started.text
    return started.headers["location"], re.search(r"proxy=([0-9a-f-]+)", started.headers["location"]).group(1)


async def test_votes_and_a_comment_for_a_named_member(client, committed):
    round_, me, member, clause = await _round_with_clauses(client, committed)
    page = await client.get(f"/facilitate/{round_.slug}/proxy")
    assert "ป้าแดง" in page.text and 'name="who" value="member"' in page.text and "autofocus" in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    location, proxy_id = await _start(client, round_, token, who="member", participant=str(member.id))
    entry = await client.get(location)
    assert 'name="kind" value="vote"' in entry.text and f'name="vote-{clause.id}"' in entry.text
    fragment = await client.get(location, headers=htmx())
    assert "<html" not in fragment.text and 'id="entry"' in fragment.text
    voted = await client.post(f"/facilitate/{round_.slug}/proxy/{proxy_id}", data={
        "kind": "vote", f"vote-{clause.id}": "agree", "csrf_token": token})
    assert voted.status_code == 303 and voted.headers["location"].endswith("saved=vote")
    again = await client.get(voted.headers["location"])
    assert 'role="status"' in again.text and 'class="entered"' in again.text
    async with unit_of_work(committed) as session:
        vote = await session.scalar(select(Vote).where(Vote.clause_id == clause.id))
    assert (vote.participant_id, vote.entered_by_id, str(vote.proxy_id), vote.value) == (member.id, me.id, proxy_id, 1)

    commented = await client.post(f"/facilitate/{round_.slug}/proxy/{proxy_id}", headers=htmx(token), data={
        "kind": "comment", "clause_id": str(clause.id), "stance": "oppose", "body": "หนึ่งปีนานเกินไป"})
    assert commented.status_code == 200 and "<html" not in commented.text and 'id="entry"' in commented.text
    assert 'role="status"' in commented.text and "หนึ่งปีนานเกินไป" in commented.text  # in the list below
    async with unit_of_work(committed) as session:
        comment = await session.scalar(select(Comment).where(Comment.clause_id == clause.id))
    assert (comment.author_id, comment.entered_by_id, str(comment.proxy_id)) == (member.id, me.id, proxy_id)


async def test_a_need_from_people_at_a_meeting(client, committed):
    round_, _, _, _ = await _round_with_clauses(client, committed, phase="needs")
    token = await token_of(client, f"/facilitate/{round_.slug}/proxy")
    location, proxy_id = await _start(client, round_, token, who="meeting", people_count="12",
                                      meeting="ประชุมหมู่บ้านเกาะหลีเป๊ะ 25 พ.ย.")
    entry = await client.get(location)
    assert 'name="kind" value="need"' in entry.text and "12" in entry.text and 'id="group_id"' in entry.text
    async with unit_of_work(committed) as session:
        villagers = await session.scalar(select(Membership.group_id).where(Membership.round_id == round_.id,
                                                                           Membership.group_id.is_not(None)))
    sent = await client.post(f"/facilitate/{round_.slug}/proxy/{proxy_id}", data={
        "kind": "need", "title": "ไม่มีน้ำจืดหน้าแล้ง", "sector": "water", "area_code": "910106",
        "severity": "4", "people_affected": "300", "hazards": ["drought"], "group_id": str(villagers),
        "csrf_token": token})
    assert sent.status_code == 303
    async with unit_of_work(committed) as session:
        need = await session.scalar(select(Need).where(Need.round_id == round_.id))
        proxy = await session.get(ProxyRecord, need.proxy_id)
    assert (need.author_id, need.group_id, need.hazards, proxy.people_count) == (None, villagers, ["drought"], 12)
    votes = await client.get(f"{location}&kind=vote")
    assert 'name="kind" value="vote"' in votes.text and 'name="vote-' not in votes.text  # votes need a name


async def test_someone_new_joins_with_the_consent_they_gave(client, committed):
    round_, me, _, _ = await _round_with_clauses(client, committed)
    token = await token_of(client, f"/facilitate/{round_.slug}/proxy")
    _, proxy_id = await _start(client, round_, token, who="new", name="ลุงเปา", group="villagers",
                               consent="thumbprint")
    async with unit_of_work(committed) as session:
        proxy = await session.get(ProxyRecord, proxy_id)
        person = await session.get(Participant, proxy.participant_id)
        consent = await session.scalar(select(ConsentRecord).where(ConsentRecord.participant_id == person.id))
        membership = await session.get(Membership, (round_.id, person.id))
    assert person.display_name == "ลุงเปา" and membership.group_id is not None
    assert (consent.method, consent.recorded_by_id, str(consent.proxy_id)) == ("thumbprint", me.id, proxy_id)


async def test_mistakes_are_said_on_the_form(client, committed):
    round_, _, member, clause = await _round_with_clauses(client, committed, phase="needs")
    token = await token_of(client, f"/facilitate/{round_.slug}/proxy")
    nobody = await client.post(f"/facilitate/{round_.slug}/proxy", data={
        "who": "member", "method": "meeting", "consent": "verbal", "csrf_token": token})
    assert nobody.status_code == 422 and 'id="participant-error"' in nobody.text
    _, proxy_id = await _start(client, round_, token, who="member", participant=str(member.id))
    closed = await client.post(f"/facilitate/{round_.slug}/proxy/{proxy_id}", headers=htmx(token), data={
        "kind": "vote", f"vote-{clause.id}": "agree"})
    assert closed.status_code == 200 and 'role="alert"' in closed.text and "ไม่เปิดให้ลงคะแนน" in closed.text
    empty = await client.post(f"/facilitate/{round_.slug}/proxy/{proxy_id}", data={
        "kind": "need", "title": "", "sector": "water", "area_code": "910106", "people_affected": "5",
        "csrf_token": token})
    assert empty.status_code == 422 and 'id="title-error"' in empty.text and 'value="5"' in empty.text
    no_csrf = await client.post(f"/facilitate/{round_.slug}/proxy/{proxy_id}", data={"kind": "need"})
    assert no_csrf.status_code == 403


async def test_nobody_else_uses_my_proxy_record(client, committed):
    round_, _, member, _ = await _round_with_clauses(client, committed)
    token = await token_of(client, f"/facilitate/{round_.slug}/proxy")
    location, _ = await _start(client, round_, token, who="member", participant=str(member.id))
    await sign_in_as(client, committed)  # a facilitator of another round
    assert (await client.get(location)).status_code == 403
