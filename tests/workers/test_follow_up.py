"""The follow-through loop: a late commitment is flagged once however many workers look at once, with
its event; a settled one never is."""

import asyncio
from datetime import UTC, date, datetime

from sqlalchemy import select

from server.commitments import follow_up
from server.commitments.models import Commitment
from server.database import unit_of_work
from server.deliberation.service import cast_vote
from server.events.models import Event
from server.people.models import Participant
from server.rounds import service as rounds
from tests.factories import make_clause, make_commitment, make_member, make_need, make_round, publish_round
from workers.follow_up import look_once


async def _late_commitment(committed):
    async with unit_of_work(committed) as session:
        round_ = await make_round(session)
        facilitator = await session.get(Participant, round_.created_by_id)
        villager = await make_member(session, round_)
        need = await make_need(session, round_, villager)
        clause = await make_clause(session, round_, answers=[need.id])
        await rounds.move_phase(session, facilitator, round_.id, "deliberation")
        await cast_vote(session, villager, clause.id, "agree")
        await publish_round(session, round_)
        late = await make_commitment(session, clause, due_date=date(2021, 1, 31))
        settled = await make_commitment(session, clause, due_date=date(2021, 1, 31), status="rejected",
                                        note="ไม่มีงบประมาณ")
    return late, settled


async def _flagged_events(committed, *ids):
    async with unit_of_work(committed) as session:
        return (await session.scalars(select(Event).where(Event.subject_id.in_(ids),
                                                          Event.type == "commitment.flagged"))).all()


async def test_two_workers_looking_at_once_flag_a_commitment_once(committed, runtime):
    late, settled = await _late_commitment(committed)
    now = datetime.now(UTC)

    async def one_worker():
        async with unit_of_work(committed) as session:
            told = await follow_up.look(session, now)
            await asyncio.sleep(0.3)  # hold the rows while the other worker looks
            return [t for t in told if t.commitment_id in (late.id, settled.id)]

    first, second = await asyncio.gather(one_worker(), one_worker())
    assert sorted([len(first), len(second)]) == [0, 1]
    [told] = first or second
    assert told.commitment_id == late.id and told.flagged == ("overdue",)
    # once the first has committed, the loop's next look finds nothing more to tell about it
    assert [t for t in await look_once(runtime) if t.commitment_id in (late.id, settled.id)] == []
    [event] = await _flagged_events(committed, late.id, settled.id)
    assert event.subject_id == late.id and event.actor_id is None and event.round_id == late.round_id
    assert event.payload["flags"] == ["overdue"] and event.payload["due_date"] == "2021-01-31"
    async with unit_of_work(committed) as session:
        assert (await session.get(Commitment, late.id)).flags == ["overdue"]
        assert (await session.get(Commitment, settled.id)).flags == []
