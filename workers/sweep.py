"""The sweep: work that was asked for and whose job was lost (Redis flushed, restored from an old copy,
or a job dropped after arq's last try) is asked for again.

The outbox relay enqueues a job for every webhook delivery it plans and every round whose inputs moved,
and PostgreSQL keeps what each job is for: a delivery row stays pending until an attempt settles it, and a
round's newest input event stays newer than its latest proposal until a recompute reads it. So every few
minutes the sweep compares the two and enqueues what is missing, with the same fixed job ids as the
relay: a job that is only waiting is not enqueued twice.
"""

from __future__ import annotations

import logging
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from server.consolidation.service import behind
from server.database import unit_of_work
from server.ids import uuid7_floor
from server.webhooks.service import stranded
from workers.consolidation import done_key, schedule
from workers.webhooks import enqueue_deliveries

log = logging.getLogger(__name__)

EVERY = 300  # seconds between sweeps
GRACE = 120  # seconds a job has to start before its work counts as stranded
LOOKBACK = 7 * 24 * 3600  # rounds with no input for this long are left alone (recompute on demand)


async def sweep(ctx: dict[str, Any]) -> dict[str, int]:
    runtime, redis = ctx["runtime"], ctx["redis"]
    now = time.time()
    async with unit_of_work(runtime.sessions) as session:
        deliveries = await stranded(session, overdue_before=datetime.now(UTC) - timedelta(seconds=GRACE))
        rounds = await behind(session, since=uuid7_floor(now - LOOKBACK), until=uuid7_floor(now - GRACE))
    await enqueue_deliveries(redis, deliveries)
    asked = 0
    for round_id, newest in rounds.items():
        done = await redis.get(done_key(round_id))
        if done is not None and uuid.UUID(done.decode() if isinstance(done, bytes) else done) >= newest:
            continue  # recomputed with that input already; the inputs were the same, so nothing was stored
        await schedule(redis, round_id, str(newest))
        asked += 1
    if deliveries or asked:
        log.warning("sweep: %d webhook deliveries and %d round recomputes asked for again", len(deliveries), asked)
    return {"deliveries": len(deliveries), "rounds": asked}
