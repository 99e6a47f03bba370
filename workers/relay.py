"""The worker's outbox relay loop: publish committed events, then schedule what they call for."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections import Counter

from arq import ArqRedis
from redis.exceptions import RedisError
from structlog.contextvars import bound_contextvars

from server.consolidation.marks import ask
from server.consolidation.service import INPUT_EVENTS
from server.database import unavailable, unit_of_work
from server.events.relay import relay_batch, unpublished_since
from server.outage import Outage
from server.push import service as push
from server.runtime import Runtime
from server.visits.news import NEWS_EVENTS
from server.webhooks.service import DELIVERY_RETRIED, plan_deliveries
from workers.webhooks import enqueue_deliveries

log = logging.getLogger(__name__)

IDLE = 0.2  # seconds between outbox polls when it was empty


async def relay_once(runtime: Runtime, queue: ArqRedis) -> int:
    async with unit_of_work(runtime.sessions) as session:
        sent = await relay_batch(session, queue)
        # in the transaction that marks the events published: each input event asks for its round's
        # recompute exactly once, and if this transaction fails the events come round again
        await ask(session, Counter(e.round_id for e in sent if e.round_id is not None and e.type in INPUT_EVENTS))
        # planned with the batch, for the same reason: no event is marked sent without its webhook deliveries
        deliveries = await plan_deliveries(session, sent) if sent else []
        # and the rounds whose news members' phones are told of (the push loop sends, not the relay)
        await push.ask(session, [e.round_id for e in sent if e.round_id is not None and e.type in NEWS_EVENTS])
    # after the commit: a job must never look for a row that is not committed yet. If Redis fails here the
    # rows stay pending, and the sweep enqueues them again
    retried = [e.subject_id for e in sent if e.type == DELIVERY_RETRIED and e.subject_id is not None]
    await enqueue_deliveries(queue, list(dict.fromkeys([*deliveries, *retried])))
    if log.isEnabledFor(logging.DEBUG):
        for event in sent:
            # under the id of the request that recorded it (server/operations/request_id.py), if any
            with bound_contextvars(request_id=(event.payload or {}).get("request_id")):
                log.debug("event %s published", event.type,
                          extra={"event_id": str(event.id), "event_type": event.type,
                                 "round_id": str(event.round_id) if event.round_id else None})
    return len(sent)


async def ask_ahead(runtime: Runtime, after: uuid.UUID | None) -> uuid.UUID | None:
    """While Redis is away, asks for the recomputes of input events that wait unpublished above `after`
    (consolidation needs only PostgreSQL), without publishing them; returns the newest id read. An event
    committed later with a lower id is asked for when it is published; one asked for twice costs a recompute
    that finds its inputs unchanged and stores nothing."""
    async with unit_of_work(runtime.sessions) as session:
        waiting = await unpublished_since(session, after, INPUT_EVENTS)
        await ask(session, Counter(round_id for _, round_id in waiting))
    return waiting[-1][0] if waiting else after


async def relay_forever(runtime: Runtime, queue: ArqRedis) -> None:
    """Relays until cancelled. While Redis or PostgreSQL is away the events wait in the outbox; the outage
    is logged when it starts, once a minute while it lasts and when it ends, not at every attempt."""
    outage = Outage(log, "outbox relay: Redis or PostgreSQL")
    ahead: uuid.UUID | None = None  # the newest event asked for ahead of publishing, during this outage
    while True:
        try:
            sent = await relay_once(runtime, queue)
        except Exception as error:
            redis_away = isinstance(error, (TimeoutError, RedisError, OSError))
            if not (redis_away or unavailable(error)):  # PostgreSQL away surfaces as SQLAlchemy's errors
                log.exception("outbox relay failed; retrying")
            outage.failed(error)
            if redis_away:
                with contextlib.suppress(Exception):  # PostgreSQL may be away too: then nothing to do
                    ahead = await ask_ahead(runtime, ahead)
            await asyncio.sleep(outage.backoff(most=2.0))
            continue
        outage.recovered()
        ahead = None
        if not sent:
            await asyncio.sleep(IDLE)
