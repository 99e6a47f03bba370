"""The consolidation loop: rounds behind their inputs are recomputed from a to-do list in PostgreSQL,
debounced, idempotent, never two at once, and nothing left out."""

import asyncio

from sqlalchemy import select, text

from server.consolidation import marks
from server.consolidation.models import ConsolidatedProposal, ConsolidationMark
from server.database import unit_of_work
from server.deliberation import service as deliberation
from server.rounds import service as rounds
from tests.factories import make_clause, make_member, make_participant, make_round
from workers.consolidation import consolidate_forever, recompute
from workers.relay import ask_ahead, relay_once


async def _deliberating_round(committed, voters=10):
    async with unit_of_work(committed) as session:
        facilitator = await make_participant(session, role="facilitator")
        round_ = await make_round(session, facilitator)
        clause = await make_clause(session, round_)
        members = [await make_member(session, round_) for _ in range(voters)]
        await rounds.move_phase(session, facilitator, round_.id, "deliberation")
    return round_, clause, members


async def _vote(committed, members, clause, choice="agree"):
    async with unit_of_work(committed) as session:
        for member in members:
            await deliberation.cast_vote(session, member, clause.id, choice)


async def _versions(committed, round_id):
    async with unit_of_work(committed) as session:
        rows = await session.execute(select(ConsolidatedProposal.version, ConsolidatedProposal.input_counts)
                                     .where(ConsolidatedProposal.round_id == round_id)
                                     .order_by(ConsolidatedProposal.version))
        return [(v, c["votes"]) for v, c in rows]


async def _mark(committed, round_id):
    async with unit_of_work(committed) as session:
        return await session.get(ConsolidationMark, round_id)


async def _due_now(committed, round_id):
    """Skips the debounce, as if it had passed; whether the round is then due."""
    async with unit_of_work(committed) as session:
        await session.execute(text("UPDATE consolidation_marks SET due_at = now() WHERE round_id = :r AND asked > done"),
                              {"r": round_id})
        return round_id in await marks.due(session, limit=1000)


async def test_a_burst_of_votes_gives_one_recompute_with_all_of_them(committed, runtime, queue):
    round_, clause, members = await _deliberating_round(committed, voters=12)
    await relay_once(runtime, queue)
    for batch in (members[:4], members[4:8], members[8:]):  # three commits, relayed as they come
        await _vote(committed, batch, clause)
        await relay_once(runtime, queue)
    mark = await _mark(committed, round_.id)
    assert mark.asked > mark.done and mark.due_at is not None
    async with unit_of_work(committed) as session:
        assert round_.id not in await marks.due(session, limit=1000), "the debounce has not passed yet"

    assert await _due_now(committed, round_.id)
    assert (await recompute(runtime, round_.id)).version == 1
    assert await _versions(committed, round_.id) == [(1, 12)]
    mark = await _mark(committed, round_.id)
    assert mark.done == mark.asked and mark.dirty_since is None and mark.duration_ms is not None

    await relay_once(runtime, queue)  # the proposal's own event asks for no recompute
    assert (await _mark(committed, round_.id)).asked == mark.asked


async def test_recomputing_twice_stores_one_version(committed, runtime, queue):
    round_, clause, members = await _deliberating_round(committed)
    await _vote(committed, members, clause, "disagree")
    await relay_once(runtime, queue)
    assert await _due_now(committed, round_.id)
    assert (await recompute(runtime, round_.id)).version == 1
    assert (await recompute(runtime, round_.id)).version == 1
    assert await _versions(committed, round_.id) == [(1, 10)]


async def test_inputs_arriving_during_a_run_keep_the_round_due(committed, runtime, queue, monkeypatch):
    round_, clause, members = await _deliberating_round(committed)
    await _vote(committed, members[:5], clause)
    await relay_once(runtime, queue)
    assert await _due_now(committed, round_.id)
    real = marks.consolidate

    async def votes_arrive_meanwhile(session, round_id, **options):
        proposal = await real(session, round_id, **options)
        await _vote(committed, members[5:], clause)  # committed and relayed before this run stores its result
        await relay_once(runtime, queue)
        return proposal

    monkeypatch.setattr(marks, "consolidate", votes_arrive_meanwhile)
    await recompute(runtime, round_.id)
    monkeypatch.setattr(marks, "consolidate", real)
    mark = await _mark(committed, round_.id)
    assert mark.asked > mark.done and mark.dirty_since is not None, "the later votes still call for a run"
    assert await _due_now(committed, round_.id)
    await recompute(runtime, round_.id)
    assert (await _versions(committed, round_.id))[-1][1] == 10  # the newest proposal has every vote
    mark = await _mark(committed, round_.id)
    assert mark.asked == mark.done


async def test_a_round_held_by_another_run_is_left_to_it(committed, runtime, queue, engine):
    round_, clause, members = await _deliberating_round(committed)
    await _vote(committed, members, clause)
    await relay_once(runtime, queue)
    assert await _due_now(committed, round_.id)
    async with engine.connect() as holder:  # another worker is recomputing this round
        await holder.execute(text("SELECT pg_advisory_lock(hashtextextended(:k, 0))"),
                             {"k": f"consolidate:{round_.id}"})
        assert await recompute(runtime, round_.id) is None
        await holder.execute(text("SELECT pg_advisory_unlock(hashtextextended(:k, 0))"),
                             {"k": f"consolidate:{round_.id}"})
        await holder.commit()
    assert await _due_now(committed, round_.id), "still due: the other run's worker may have died"
    assert (await recompute(runtime, round_.id)).version == 1


async def test_the_loop_keeps_up_with_steady_voting(committed, runtime, queue, monkeypatch):
    """Votes keep arriving for longer than arq's retry budget lasted; the newest proposal never falls far
    behind, and one that counts every vote follows the last one."""
    monkeypatch.setattr(marks, "DEBOUNCE_SECONDS", 0.2)
    round_, clause, members = await _deliberating_round(committed, voters=30)
    loop = asyncio.create_task(consolidate_forever(runtime, poll=0.05))
    seen_while_voting = set()
    try:
        # votes for as long as several recomputes take, even on a busy machine
        for i, member in enumerate(members):
            await _vote(committed, [member], clause, "agree" if i % 3 else "disagree")
            await relay_once(runtime, queue)
            await asyncio.sleep(0.15)
            seen_while_voting |= {version for version, _ in await _versions(committed, round_.id)}
        for _ in range(200):
            versions = await _versions(committed, round_.id)
            if versions and versions[-1][1] == 30:
                break
            await asyncio.sleep(0.05)
    finally:
        loop.cancel()
        await asyncio.gather(loop, return_exceptions=True)
    assert versions[-1][1] == 30
    assert seen_while_voting, "proposals were made while the votes came, not only at the end"


async def test_with_redis_away_inputs_are_still_asked_for(committed, runtime, queue):
    """While the relay cannot publish, it still asks for recomputes from the waiting events; when they are
    published later they ask again, and that recompute stores nothing new."""
    round_, clause, members = await _deliberating_round(committed, voters=4)
    await relay_once(runtime, queue)
    before = (await _mark(committed, round_.id)).asked
    await _vote(committed, members, clause)  # not relayed: Redis is "away"
    newest = await ask_ahead(runtime, None)
    assert (await _mark(committed, round_.id)).asked == before + 4
    assert await ask_ahead(runtime, newest) == newest, "nothing asked twice during the outage"
    assert (await _mark(committed, round_.id)).asked == before + 4
    assert await _due_now(committed, round_.id)
    await recompute(runtime, round_.id)
    assert await _versions(committed, round_.id) == [(1, 4)]


async def test_a_quorum_changed_with_no_vote_asks_for_a_recompute(committed, runtime, queue):
    """Raising a group's quorum changes who is heard enough: the proposal must follow, though nobody voted."""
    from server.rounds.service import GroupSpec, groups_of
    from server.rounds.setup import edit_groups

    round_, _clause, _members = await _deliberating_round(committed)
    await relay_once(runtime, queue)
    mark = await _mark(committed, round_.id)
    before = mark.asked if mark else 0
    async with unit_of_work(committed) as session:
        facilitator = await session.get(type(_members[0]), round_.created_by_id)
        await rounds.move_phase(session, facilitator, round_.id, "needs")
        groups = [GroupSpec(g.key, g.name, quorum=g.quorum + 1) for g in await groups_of(session, round_.id)]
        await edit_groups(session, facilitator, round_.id, groups)
    await relay_once(runtime, queue)
    assert (await _mark(committed, round_.id)).asked > before
