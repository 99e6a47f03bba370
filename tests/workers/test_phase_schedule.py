"""The schedule loop: a round moves on by its dates once, whoever looks, with the event a facilitator's
move records; a round without dates stays where it is."""

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from server.database import unit_of_work
from server.events.models import Event
from server.rounds import schedule
from server.rounds import service as rounds
from server.rounds.models import Round
from tests.factories import make_participant, make_round
from workers.relay import relay_once
from workers.schedule import advance_once


async def _round(committed, *, dated: bool):
    async with unit_of_work(committed) as session:
        facilitator = await make_participant(session, role="facilitator")
        round_ = await make_round(session, facilitator)
        if dated:
            now = datetime.now(UTC)
            await rounds.schedule_phase(session, facilitator, round_.id, "needs",
                                        starts_at=now - timedelta(days=3), ends_at=now - timedelta(minutes=1))
    return round_


async def _state(committed, round_id):
    async with unit_of_work(committed) as session:
        current = (await session.get(Round, round_id)).current_phase
        events = (await session.scalars(select(Event).where(Event.round_id == round_id,
                                                            Event.type == "round.phase_moved"))).all()
    return current, events


async def test_two_workers_looking_at_once_move_a_round_once(committed, runtime):
    round_ = await _round(committed, dated=True)
    now = datetime.now(UTC)

    async def one_worker():
        async with unit_of_work(committed) as session:
            moved = await schedule.advance(session, round_.id, now)
            await asyncio.sleep(0.2)  # hold the row while the other worker looks
            return moved

    first, second = await asyncio.gather(one_worker(), one_worker())
    assert sorted([len(first), len(second)]) == [0, 1]
    current, events = await _state(committed, round_.id)
    assert current == "drafting" and len(events) == 1
    assert events[0].actor_id is None and events[0].payload == {"previous": "needs", "current": "drafting",
                                                                 "by": "schedule"}
    # and once the first has committed, a later look finds nothing more to do
    assert [m for m in await advance_once(runtime) if m.round_id == round_.id] == []
    assert len((await _state(committed, round_.id))[1]) == 1


async def test_the_loop_moves_dated_rounds_and_leaves_the_others(committed, runtime, queue, redis):
    dated = await _round(committed, dated=True)
    undated = await _round(committed, dated=False)
    later = datetime.now(UTC) + timedelta(days=365)  # long after every date; the undated round has none
    moved = [m for m in await advance_once(runtime, later) if m.round_id in (dated.id, undated.id)]
    assert [(m.round_id, m.previous, m.current) for m in moved] == [(dated.id, "needs", "drafting")]
    assert (await _state(committed, undated.id)) == ("needs", [])

    pubsub = redis.pubsub()  # the live views hear of it as of a facilitator's move
    await pubsub.subscribe(f"ruam:round:{dated.id}")
    await pubsub.get_message(timeout=1)
    await relay_once(runtime, queue)
    heard = await pubsub.get_message(timeout=2)
    while heard is not None and b"round.phase_moved" not in heard["data"]:
        heard = await pubsub.get_message(timeout=2)
    assert heard is not None and b'"schedule"' in heard["data"]
    await pubsub.aclose()


async def test_a_round_late_by_several_dates_catches_up_step_by_step(committed, runtime):
    async with unit_of_work(committed) as session:
        facilitator = await make_participant(session, role="facilitator")
        round_ = await make_round(session, facilitator)
        start = datetime.now(UTC) - timedelta(days=30)
        for i, key in enumerate(("needs", "drafting", "deliberation")):
            await rounds.schedule_phase(session, facilitator, round_.id, key, starts_at=start + timedelta(days=7 * i),
                                        ends_at=start + timedelta(days=7 * i + 6))
    await advance_once(runtime)
    current, events = await _state(committed, round_.id)
    assert current == "consolidation"  # deliberation ended; consolidation has no date: it waits there
    assert [e.payload["current"] for e in sorted(events, key=lambda e: e.id)] == [
        "drafting", "deliberation", "consolidation"]
