"""The worker's outbox relay loop: publish committed events, then schedule what they call for."""

from __future__ import annotations

import asyncio
import logging

from arq import ArqRedis

from server.consolidation.service import INPUT_EVENTS
from server.database import unit_of_work
from server.events.relay import relay_batch
from server.runtime import Runtime
from server.webhooks.service import DELIVERY_RETRIED, plan_deliveries
from workers.consolidation import schedule
from workers.webhooks import enqueue_deliveries

log = logging.getLogger(__name__)

IDLE = 0.2  # seconds between outbox polls when it was empty


async def relay_once(runtime: Runtime, queue: ArqRedis) -> int:
    async with unit_of_work(runtime.sessions) as session:
        sent = await relay_batch(session, queue)
        # planned with the batch: if this transaction fails, the events stay unpublished and
        # come round again, so no event can be marked sent without its webhook deliveries
        deliveries = await plan_deliveries(session, sent) if sent else []
    # after the commit: a job must never see the outbox older than the event that called it
    newest = {}
    for event in sent:
        if event.round_id is not None and event.type in INPUT_EVENTS:
            newest[event.round_id] = str(event.id)
    for round_id, mark in newest.items():
        await schedule(queue, round_id, mark)
    # a delivery sent again (retry_delivery) gets its job here too, once its row is committed pending
    retried = [e.subject_id for e in sent if e.type == DELIVERY_RETRIED and e.subject_id is not None]
    await enqueue_deliveries(queue, list(dict.fromkeys([*deliveries, *retried])))
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
