"""Consolidation jobs: debounced, idempotent, never two at once, and nothing left out."""

import asyncio

import pytest
from arq import Retry
from sqlalchemy import select, text

from server.consolidation.models import ConsolidatedProposal
from server.database import unit_of_work
from server.deliberation import service as deliberation
from server.rounds import service as rounds
from tests.factories import make_clause, make_member, make_participant, make_round
from tests.workers.conftest import run_jobs
from workers.consolidation import consolidate_round, dirty_key, schedule
from workers.relay import relay_once


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


async def test_a_burst_of_votes_gives_one_recompute_with_all_of_them(committed, runtime, queue, settings):
    round_, clause, members = await _deliberating_round(committed, voters=12)
    await relay_once(runtime, queue)
    for batch in (members[:4], members[4:8], members[8:]):  # three commits, relayed as they come
        await _vote(committed, batch, clause)
        await relay_once(runtime, queue)
    assert await queue.zcard("arq:queue") == 1

    worker = await run_jobs(queue, settings)
    assert worker.jobs_complete == 1
    assert await _versions(committed, round_.id) == [(1, 12)]

    await relay_once(runtime, queue)  # the proposal's own event calls for no recompute
    assert await queue.zcard("arq:queue") == 0


async def test_running_the_job_twice_stores_one_version(committed, runtime, queue, settings):
    round_, clause, members = await _deliberating_round(committed)
    await _vote(committed, members, clause, "disagree")
    ctx = {"runtime": runtime, "redis": queue}
    assert await consolidate_round(ctx, str(round_.id)) == 1
    assert await consolidate_round(ctx, str(round_.id)) == 1
    assert await _versions(committed, round_.id) == [(1, 10)]


async def test_inputs_arriving_during_a_run_call_for_one_more(committed, runtime, queue, engine):
    round_, clause, members = await _deliberating_round(committed)
    ctx = {"runtime": runtime, "redis": queue}
    await queue.set(dirty_key(round_.id), "first")
    async with engine.connect() as holder:  # another run of this round is under way
        await holder.execute(text("SELECT pg_advisory_lock(hashtextextended(:k, 0))"),
                             {"k": f"consolidate:{round_.id}"})
        job = asyncio.create_task(consolidate_round(ctx, str(round_.id)))
        await asyncio.sleep(0.3)
        assert not job.done(), "two consolidations of one round ran at once"
        await _vote(committed, members, clause)
        await schedule(queue, round_.id, "second")
        await holder.execute(text("SELECT pg_advisory_unlock(hashtextextended(:k, 0))"),
                             {"k": f"consolidate:{round_.id}"})
        await holder.commit()
    with pytest.raises(Retry):
        await job
    await consolidate_round(ctx, str(round_.id))  # what arq runs on Retry
    assert (await _versions(committed, round_.id))[-1][1] == 10  # the stored proposal has every vote
