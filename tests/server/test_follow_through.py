"""Follow-through: when a commitment is overdue or stale (the rule on hand-made dates), the flags told
once and cleared by an update, each round's own number of days, what a member is told about promises
for their needs (and nobody else), and the after-action figures of a hand-built round."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from server.auth.models import InviteCode
from server.commitments import follow_up, service
from server.commitments.after_action import after_action
from server.commitments.rules import OVERDUE, STALE, flags_of, is_overdue, is_stale, local_day
from server.deliberation import service as deliberation
from server.disclosure import FACILITATOR, PUBLIC
from server.errors import NotPermitted, ValidationError
from server.events.models import Event
from server.needs.models import Endorsement
from server.people.models import Participant
from server.rounds import service as rounds
from tests.factories import (
    make_clause,
    make_commitment,
    make_member,
    make_need,
    make_participant,
    make_round,
    publish_round,
    published_answer,
)

NOW = datetime(2027, 3, 10, 3, 0, tzinfo=UTC)  # 10:00 in Thailand


@dataclass
class Made:
    status: str = "accepted"
    due_date: date | None = None
    updated_at: datetime = NOW - timedelta(days=1)


def test_due_date_passed_and_not_delivered_is_overdue():
    assert is_overdue(Made(due_date=date(2027, 3, 9)), NOW)
    assert not is_overdue(Made(due_date=date(2027, 3, 10)), NOW)  # due today: not late yet
    assert not is_overdue(Made(due_date=None), NOW)
    # the day is Thailand's: at 23:30 UTC on the 9th it is already the 10th there
    assert local_day(datetime(2027, 3, 9, 23, 30, tzinfo=UTC)) == date(2027, 3, 10)
    assert is_overdue(Made(due_date=date(2027, 3, 9)), datetime(2027, 3, 9, 23, 30, tzinfo=UTC))


def test_stale_after_the_rounds_number_of_days():
    quiet = Made(updated_at=NOW - timedelta(days=60))
    assert is_stale(quiet, NOW) and not is_stale(quiet, NOW, 61)
    assert not is_stale(Made(updated_at=NOW - timedelta(days=59, hours=23)), NOW)
    assert is_stale(Made(updated_at=NOW - timedelta(days=8)), NOW, 7)
    assert flags_of(Made(due_date=date(2027, 1, 1), updated_at=NOW - timedelta(days=90)), NOW) == (OVERDUE, STALE)


def test_delivered_or_rejected_is_never_flagged():
    for status in ("done", "rejected"):
        settled = Made(status=status, due_date=date(2020, 1, 1), updated_at=NOW - timedelta(days=900))
        assert flags_of(settled, NOW, 1) == () and not is_overdue(settled, NOW) and not is_stale(settled, NOW)
    for status in ("pending", "accepted", "in_progress"):
        assert flags_of(Made(status=status, due_date=date(2020, 1, 1)), NOW) == (OVERDUE,)


@pytest.fixture
async def published(session):
    """A round whose clause answers a villager's need, deliberated and published."""
    return await published_answer(session)


async def _told(session, commitment_id):
    return [(e.type, e.payload) for e in await session.scalars(
        select(Event).where(Event.subject_id == commitment_id, Event.type.like("commitment.%flagged"))
        .order_by(Event.id))]


async def test_flagged_once_and_an_update_clears_it(session, published):
    _round, facilitator, _villager, clause, _need = published
    commitment = await make_commitment(session, clause, due_date=date(2020, 6, 30))
    now = datetime.now(UTC)
    told = await follow_up.look(session, now)
    assert [t.flagged for t in told if t.commitment_id == commitment.id] == [(OVERDUE,)]
    assert not [t for t in await follow_up.look(session, now) if t.commitment_id == commitment.id]  # once
    # much later it is stale as well: told once more, for that flag alone
    later = now + timedelta(days=61)
    assert [t.flagged for t in await follow_up.look(session, later) if t.commitment_id == commitment.id] == [(STALE,)]
    assert commitment.flags == [OVERDUE, STALE]

    # a note clears "stale" at once; moving the due date clears "overdue"
    await service.update_commitment(session, facilitator, commitment.id, note="สำรวจแล้วครึ่งหนึ่ง")
    assert commitment.flags == [OVERDUE]
    await service.update_commitment(session, facilitator, commitment.id, due_date=date(2099, 1, 1))
    assert commitment.flags == []
    assert await _told(session, commitment.id) == [
        ("commitment.flagged", {"flags": ["overdue"], "due_date": "2020-06-30", "stale_after_days": 60}),
        ("commitment.flagged", {"flags": ["stale"], "due_date": "2020-06-30", "stale_after_days": 60}),
        ("commitment.unflagged", {"flags": ["stale"], "remaining": ["overdue"]}),
        ("commitment.unflagged", {"flags": ["overdue"], "remaining": []})]
    unflagged = (await session.scalars(select(Event).where(Event.subject_id == commitment.id,
                                                           Event.type == "commitment.unflagged"))).all()
    assert {e.actor_id for e in unflagged} == {facilitator.id}  # cleared by the facilitator's update


async def test_delivered_clears_the_flags_for_good(session, published):
    _round, facilitator, _villager, clause, _need = published
    commitment = await make_commitment(session, clause, due_date=date(2020, 6, 30))
    await follow_up.look(session, datetime.now(UTC))
    await service.update_commitment(session, facilitator, commitment.id, status="done", note="ออกโฉนดแล้ว")
    assert commitment.flags == []
    far = datetime.now(UTC) + timedelta(days=400)
    assert not [t for t in await follow_up.look(session, far) if t.commitment_id == commitment.id]
    assert await follow_up.flagged_in(session, commitment.round_id, far) == []


async def test_each_round_chooses_its_days_and_only_its_facilitators(session, published):
    round_, facilitator, villager, clause, _need = published
    commitment = await make_commitment(session, clause)
    soon = datetime.now(UTC) + timedelta(days=8)
    assert await follow_up.flagged_in(session, round_.id, soon) == []
    assert await follow_up.set_stale_after(session, facilitator, round_.id, "7") == 7
    [found] = await follow_up.flagged_in(session, round_.id, soon)
    assert found.commitment.id == commitment.id and found.flags == (STALE,)
    for wrong in ("0", "731", "soon", ""):
        with pytest.raises(ValidationError):
            await follow_up.set_stale_after(session, facilitator, round_.id, wrong)
    with pytest.raises(NotPermitted):
        await follow_up.set_stale_after(session, villager, round_.id, "1")
    assert (await follow_up.stale_after(session, [round_.id]))[round_.id] == 7


async def test_a_member_is_told_of_late_promises_for_their_own_needs_only(session, published):
    round_, _facilitator, villager, clause, need = published
    await make_commitment(session, clause, agency="กรมที่ดิน", due_date=date(2020, 6, 30))
    now = datetime.now(UTC)
    [late] = await follow_up.late_for_member(session, villager, round_.id, now)
    assert late.commitment.agency == "กรมที่ดิน" and late.flags == (OVERDUE,) and late.need_titles == [need.title]

    neighbour = await make_member(session, round_)  # same round, a need of their own elsewhere
    assert await follow_up.late_for_member(session, neighbour, round_.id, now) == []
    session.add(Endorsement(need_id=need.id, participant_id=neighbour.id))  # "me too", said while needs were open
    await session.flush()
    assert len(await follow_up.late_for_member(session, neighbour, round_.id, now)) == 1

    other_round = await make_round(session)
    outsider = await make_member(session, other_round)
    assert await follow_up.late_for_member(session, outsider, round_.id, now) == []
    stranger = await make_participant(session)
    assert await follow_up.late_for_member(session, stranger, round_.id, now) == []


async def test_after_action_figures_of_a_hand_built_round(session):
    round_ = await make_round(session)
    facilitator = await session.get(Participant, round_.created_by_id)
    villagers = [await make_member(session, round_) for _ in range(4)]
    official = await make_member(session, round_, "government")
    groups = {g.key: g for g in await rounds.groups_of(session, round_.id)}
    session.add_all([
        InviteCode(round_id=round_.id, group_id=groups["villagers"].id, code_hash="a" * 64,
                   created_by_id=facilitator.id, max_uses=6, uses=4),
        InviteCode(round_id=round_.id, group_id=groups["government"].id, code_hash="b" * 64,
                   created_by_id=facilitator.id, max_uses=2, uses=1)])
    answered = await make_need(session, round_, villagers[0], title="ไม่มีโฉนด")
    await make_need(session, round_, villagers[0], title="ไม่มีน้ำ")
    unanswered = await make_need(session, round_, villagers[1], title="ไม่มีถนน")
    await make_need(session, round_, villagers[2], title="ไม่มีไฟ")
    adopted = await make_clause(session, round_, text="รัฐจะออกโฉนด", answers=[answered.id])
    await make_clause(session, round_, text="รัฐจะสร้างถนน", answers=[unanswered.id])
    await rounds.move_phase(session, facilitator, round_.id, "deliberation")
    for person in [*villagers[:3], official]:
        await deliberation.cast_vote(session, person, adopted.id, "agree")
    await deliberation.post_comment(session, villagers[3], clause_id=adopted.id, body="เห็นด้วย", stance="support")
    await publish_round(session, round_)
    first = await make_commitment(session, adopted, agency="กรมที่ดิน", due_date=date(2020, 1, 1))
    second = await make_commitment(session, adopted, agency="อบต.")
    await service.update_commitment(session, facilitator, second.id, status="done", note="ออกแล้ว")
    await service.check_commitment(session, villagers[0], second.id, answer="delivered")
    await service.check_commitment(session, villagers[1], second.id, answer="delivered")
    await service.check_commitment(session, villagers[2], first.id, answer="not_delivered")

    figures = await after_action(session, round_, FACILITATOR, datetime.now(UTC))
    rows = {g.key: g.figures for g in figures.groups}
    assert rows["villagers"] == {"invites_made": 6, "invites_used": 4, "members": 4, "voted": 3, "commented": 1,
                                 "raised_needs": 3}
    assert rows["government"] == {"invites_made": 2, "invites_used": 1, "members": 1, "voted": 1, "commented": 0,
                                  "raised_needs": 0}
    assert figures.totals["members"] == 5 and figures.totals["voted"] == 4
    assert figures.adopted == 1 and figures.needs == 4  # the road clause nobody voted on is not adopted
    assert figures.needs_answered == 1 and figures.answered_share == 25
    assert figures.commitments == 2 and figures.delivered == 1 and figures.confirmed == 1 and figures.checked == 2
    assert figures.checks == {"delivered": 2, "partly": 0, "not_delivered": 1}
    assert figures.flagged == {"overdue": 1, "stale": 0}
    assert figures.first_published_at is not None and figures.days_to_first_commitment == 0

    # outside the facilitators the one-person government group reads "fewer than 3" throughout, and so
    # does every total it is part of; the villagers' figures about fewer than 3 people too
    public = await after_action(session, round_, PUBLIC, datetime.now(UTC))
    rows = {g.key: g.figures for g in public.groups}
    assert set(rows["government"].values()) == {None}
    assert rows["villagers"] == {"invites_made": 6, "invites_used": 4, "members": 4, "voted": 3, "commented": None,
                                 "raised_needs": 3}
    assert set(public.totals.values()) == {None}
