"""The worker's outbox relay loop: publish committed events, then schedule what they call for."""

from __future__ import annotations

import asyncio
import logging

from arq import ArqRedis

from server.consolidation.service import INPUT_EVENTS
from server.database import unit_of_work
from server.events.relay import relay_batch
from server.runtime import Runtime
from workers.consolidation import schedule

log = logging.getLogger(__name__)

IDLE = 0.2  # seconds between outbox polls when it was empty


async def relay_once(runtime: Runtime, queue: ArqRedis) -> int:
    async with unit_of_work(runtime.sessions) as session:
        sent = await relay_batch(session, queue)
    # after the commit: a job must never see the outbox older than the event that called it
    newest = {}
    for event in sent:
        if event.round_id is not None and event.type in INPUT_EVENTS:
            newest[event.round_id] = str(event.id)
    for round_id, mark in newest.items():
        await schedule(queue, round_id, mark)
    return len(sent)


async def relay_forever(runtime: Runtime, queue: ArqRedis) -> None:
    while True:
        try:
            sent = await relay_once(runtime, queue)
        except Exception:  # Redis or PostgreSQL away: the events stay in the outbox; try again
            log.warning("outbox relay failed; retrying", exc_info=True)
            sent = 0
        if not sent:
            await asyncio.sleep(IDLE)
