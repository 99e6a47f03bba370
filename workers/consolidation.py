"""The consolidation job, and the debounce that keeps a burst of votes to one recompute.

The relay marks a round dirty and enqueues its job with a fixed id, deferred by DEBOUNCE: while
that job waits, further events only move the mark. If the mark moves while the job runs,
the job asks arq to run it once more, so the last vote of a burst is never left out.
"""

from __future__ import annotations

import uuid
from typing import Any

from arq import ArqRedis, Retry

from server.consolidation.service import consolidate
from server.database import unit_of_work

DEBOUNCE = 1.0  # seconds: a burst's first event starts a recompute within about this long


def dirty_key(round_id: object) -> str:
    return f"ruam:consolidate:dirty:{round_id}"


def done_key(round_id: object) -> str:
    """The newest input a finished recompute included (workers/sweep.py tells lost jobs from done ones)."""
    return f"ruam:consolidate:done:{round_id}"


def job_id(round_id: object) -> str:
    return f"consolidate:{round_id}"


async def schedule(redis: ArqRedis, round_id: object, mark: str) -> None:
    """Ask for a recompute of `round_id`; `mark` names the newest input (an event id)."""
    await redis.set(dirty_key(round_id), mark, ex=24 * 3600)
    await redis.enqueue_job("consolidate_round", str(round_id), _job_id=job_id(round_id), _defer_by=DEBOUNCE)


async def consolidate_round(ctx: dict[str, Any], round_id: str) -> int:
    runtime = ctx["runtime"]
    mark = await ctx["redis"].get(dirty_key(round_id))
    async with unit_of_work(runtime.sessions) as session:
        proposal = await consolidate(session, uuid.UUID(round_id))
        version = proposal.version
    if await ctx["redis"].get(dirty_key(round_id)) != mark:
        raise Retry(defer=DEBOUNCE)  # inputs arrived while computing: once more, with them
    if mark is not None:
        await ctx["redis"].set(done_key(round_id), mark, ex=7 * 24 * 3600)
    return version
