"""The consolidation loop: every worker takes rounds whose proposal is behind (server/consolidation/marks.py)
and recomputes them, a few at a time.

No job queue stands between a round and its recompute: the to-do list is in PostgreSQL, a round is taken
under its advisory lock, and what a run read is recorded with its proposal. So a worker killed mid-run, a
Redis outage or a flushed queue cannot hold a round back; the next poll of any worker takes it.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import uuid

from server.consolidation import marks
from server.consolidation.vote_cache import VoteCache
from server.database import unavailable, unit_of_work
from server.outage import Outage
from server.runtime import Runtime

log = logging.getLogger(__name__)

POLL = 0.25  # seconds between looks for due rounds
AT_ONCE = 2  # rounds one worker recomputes at the same time (the maths runs in threads)


async def recompute(runtime: Runtime, round_id: uuid.UUID, cache: VoteCache | None = None) -> marks.CaughtUp | None:
    """One recompute of `round_id`, committed; None when another run holds the round. ``cache``: the worker's
    copy of rounds' votes, so that a recompute reads only those written since (vote_cache.py)."""
    try:
        async with unit_of_work(runtime.sessions) as session:
            done = await marks.catch_up(session, round_id, cache)
    except Exception as error:
        if unavailable(error):
            raise
        log.exception("consolidation of round %s failed; trying again in %.0f s", round_id,
                      marks.RETRY_FAILED_SECONDS)
        async with unit_of_work(runtime.sessions) as session:
            await marks.postpone(session, round_id)
        return None
    if done is not None:
        log.info("round %s consolidated: version %d in %d ms (this worker's reads so far: %s)", round_id,
                 done.version, done.duration_ms, dict(cache.reads) if cache is not None else "no cache")
    return done


async def consolidate_forever(runtime: Runtime, *, at_once: int = AT_ONCE, poll: float = POLL) -> None:
    """Recomputes due rounds until cancelled; waits out PostgreSQL outages (logged once a minute)."""
    outage = Outage(log, "consolidation: PostgreSQL")
    cache = VoteCache(runtime.settings.consolidation_cache_votes)
    running: dict[uuid.UUID, asyncio.Task[marks.CaughtUp | None]] = {}

    def finished(round_id: uuid.UUID, task: asyncio.Task[marks.CaughtUp | None]) -> None:
        running.pop(round_id, None)
        if not task.cancelled() and (error := task.exception()) is not None:
            outage.failed(error)

    try:
        while True:
            room = at_once - len(running)
            if room > 0:
                try:
                    async with unit_of_work(runtime.sessions) as session:
                        found = await marks.due(session, limit=room, busy=frozenset(running))
                except Exception as error:
                    if not unavailable(error):
                        log.exception("looking for rounds to consolidate failed")
                    outage.failed(error)
                    await asyncio.sleep(outage.backoff())
                    continue
                outage.recovered()
                for round_id in found:
                    task = asyncio.create_task(recompute(runtime, round_id, cache))
                    running[round_id] = task
                    task.add_done_callback(functools.partial(finished, round_id))
            await asyncio.sleep(poll)
    finally:
        for task in running.values():
            task.cancel()
        await asyncio.gather(*running.values(), return_exceptions=True)
