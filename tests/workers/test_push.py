"""Web Push from the relay to a phone, through a push service on 127.0.0.1: what the phone reads, who is told
of what, how often, and what happens when the push service says no."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import delete, select, update

from server.database import unit_of_work
from server.deliberation.service import moderate_comment, post_comment
from server.drafts.service import create_draft
from server.people.models import Participant
from server.push.keys import vapid_keys
from server.push.models import PushDue, PushMark, PushSubscription
from server.push.service import COALESCE, subscribe
from server.rounds.service import move_phase
from tests.factories import make_clause, make_member, make_participant, make_round
from tests.workers.push_service import PushService
from workers import push as push_worker
from workers import webhooks
from workers.relay import relay_once


@pytest.fixture
async def push_service(committed):
    """A push service of its own; phones that earlier tests subscribed (their services gone) are forgotten."""
    async with unit_of_work(committed) as session:
        await session.execute(delete(PushSubscription))
    with PushService() as service:
        yield service


@pytest.fixture(autouse=True)
def loopback(monkeypatch):
    """The push service is on this machine, which the worker refuses outside tests and DEBUG."""
    monkeypatch.setattr(webhooks, "PRIVATE_ADDRESSES_ALLOWED", True)
    monkeypatch.setattr(push_worker, "BACKOFF", (0.05, 0.05))


async def deliver(runtime, queue) -> list[str]:
    """What `ruam worker` does: relay what was committed, then send the pushes it called for."""
    while await relay_once(runtime, queue):
        pass
    pushes = []
    async with httpx.AsyncClient() as client:
        while (done := await push_worker.push_once(runtime, client)).rounds:
            pushes += done.pushes
    return pushes


async def subscribed(committed, person, phone) -> None:
    async with unit_of_work(committed) as session:
        await subscribe(session, person, phone.endpoint, phone.p256dh, phone.auth)


async def test_a_members_phone_is_told_of_a_new_draft_at_most_once_a_while_and_forgotten_when_gone(
        committed, runtime, queue, push_service):
    async with unit_of_work(committed) as session:
        round_ = await make_round(session, title={"th": "รอบน้ำประปา", "en": "Water round"})
        member = await make_member(session, round_, locale="th")
        facilitator = await session.get(Participant, round_.created_by_id)
        keys = await vapid_keys(session, None)
    phone = push_service.phone("malee")
    await subscribed(committed, member, phone)
    async with unit_of_work(committed) as session:
        await move_phase(session, facilitator, round_.id, "drafting")
        await create_draft(session, facilitator, round_.id, title="ร่างนโยบายของสมชาย")

    assert await deliver(runtime, queue) == ["sent"]
    [got] = push_service.to(phone)
    claims = got.claims(keys.public)  # signed with the installation's key, for this push service only
    assert claims["aud"] == push_service.origin and claims["exp"] > time.time()
    assert claims["sub"].startswith("mailto:")  # PUBLIC_URL is http:// here
    assert got.headers["content-encoding"] == "aes128gcm" and int(got.headers["ttl"]) > 0
    assert phone.read(got.body) == {"title": "ร่วม", "body": "มีเรื่องใหม่ใน รอบน้ำประปา: ร่างใหม่",
                                    "url": f"/rounds/{round_.slug}", "tag": f"round-{round_.slug}"}

    async with unit_of_work(committed) as session:  # more news at once: it waits for the next push
        await create_draft(session, facilitator, round_.id, title="ร่างที่สอง")
    assert await deliver(runtime, queue) == []
    assert len(push_service.to(phone)) == 1
    async with unit_of_work(committed) as session:
        mark = await session.get(PushMark, (member.id, round_.id))
        due = await session.scalar(select(PushDue.due_at).where(PushDue.round_id == round_.id))
        assert due == mark.pushed_at + COALESCE
        # the wait is over; and the phone has gone from the push service since
        await session.execute(update(PushMark).where(PushMark.participant_id == member.id)
                              .values(pushed_at=PushMark.pushed_at - COALESCE))
        await session.execute(update(PushDue).where(PushDue.round_id == round_.id)
                              .values(due_at=PushDue.due_at - COALESCE - timedelta(seconds=1)))
    push_service.answers["/push/malee"] = [410]

    assert await deliver(runtime, queue) == ["gone"]
    assert phone.read(push_service.to(phone)[1].body)["body"] == "มีเรื่องใหม่ใน รอบน้ำประปา: ร่างใหม่"
    async with unit_of_work(committed) as session:
        assert await session.scalar(select(PushSubscription).where(
            PushSubscription.participant_id == member.id)) is None
        await session.execute(update(PushMark).where(PushMark.participant_id == member.id)
                              .values(pushed_at=PushMark.pushed_at - COALESCE))
        await create_draft(session, facilitator, round_.id, title="ร่างที่สาม")
    assert await deliver(runtime, queue) == []
    assert len(push_service.to(phone)) == 2


async def test_no_push_about_a_round_one_is_not_in_nor_about_a_hidden_comment(
        committed, runtime, queue, push_service):
    async with unit_of_work(committed) as session:
        round_ = await make_round(session, title={"th": "รอบที่ดิน", "en": "Land round"})
        clause = await make_clause(session, round_)
        facilitator = await session.get(Participant, round_.created_by_id)
        await move_phase(session, facilitator, round_.id, "deliberation")
        member = await make_member(session, round_, locale="en")
        speaker = await make_member(session, round_, display_name="สมชาย ใจดี")
        other = await make_round(session, title={"th": "รอบอื่น", "en": "Another round"})
        outsider = await make_member(session, other)
        admin = await make_participant(session, role="admin")  # in every round by role, a member of none
    phones = {name: push_service.phone(name) for name in ("member", "outsider", "admin")}
    for person, name in ((member, "member"), (outsider, "outsider"), (admin, "admin")):
        await subscribed(committed, person, phones[name])

    async with unit_of_work(committed) as session:
        hidden = await post_comment(session, speaker, clause_id=clause.id, stance="oppose",
                                    body="บ้านเลขที่ 12 ของนายสมชาย")
        await moderate_comment(session, facilitator, hidden.id, state="hidden", reason="ข้อมูลส่วนตัว")
    assert await deliver(runtime, queue) == []
    assert push_service.received == []

    async with unit_of_work(committed) as session:
        await post_comment(session, speaker, clause_id=clause.id, stance="support", body="เห็นด้วยกับข้อนี้")
    assert await deliver(runtime, queue) == ["sent"]
    [got] = push_service.received
    assert push_service.to(phones["member"]) == [got]
    message = phones["member"].read(got.body)
    assert message["body"] == "New in Land round: new comments"  # in the member's language
    assert "สมชาย" not in str(message) and "เห็นด้วย" not in str(message)  # nobody's name or words


async def test_a_push_service_that_fails_is_tried_again_then_the_push_dropped_with_a_log_line(
        committed, runtime, queue, push_service, caplog):
    async with unit_of_work(committed) as session:
        round_ = await make_round(session)
        first, second = await make_member(session, round_), await make_member(session, round_)
        facilitator = await session.get(Participant, round_.created_by_id)
    steady, broken = push_service.phone("steady"), push_service.phone("broken")
    await subscribed(committed, first, steady)
    await subscribed(committed, second, broken)
    push_service.answers |= {"/push/steady": [500, 429], "/push/broken": [503, 503, 503]}
    async with unit_of_work(committed) as session:
        await move_phase(session, facilitator, round_.id, "drafting")
        await create_draft(session, facilitator, round_.id, title="ร่าง")

    with caplog.at_level(logging.WARNING, logger="workers.push"):
        assert sorted(await deliver(runtime, queue)) == ["dropped", "sent"]
    assert len(push_service.to(steady)) == 3 and len(push_service.to(broken)) == 3
    assert len({r.body for r in push_service.to(steady)}) == 1  # the same push, sent again
    assert any("dropped: HTTP 503" in r.getMessage() for r in caplog.records)
    async with unit_of_work(committed) as session:  # a failing push service does not cost the phone
        assert await session.scalar(select(PushSubscription.id).where(
            PushSubscription.participant_id == second.id)) is not None
