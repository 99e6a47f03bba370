"""The sweep: work that was asked for and whose job was lost (Redis flushed, restored from an old copy,
or a job dropped after arq's last try) is asked for again; and photo files that no need holds any more
are deleted.

The outbox relay enqueues a job for every webhook delivery it plans and every round whose inputs moved,
and PostgreSQL keeps what each job is for: a delivery row stays pending until an attempt settles it, and a
round's newest input event stays newer than its latest proposal until a recompute reads it. So every few
minutes the sweep compares the two and enqueues what is missing, with the same fixed job ids as the
relay: a job that is only waiting is not enqueued twice.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from server.consolidation.service import behind
from server.database import unit_of_work
from server.ids import uuid7_floor
from server.needs.photo_store import PhotoStore
from server.needs.queries import photos_in_use
from server.webhooks.service import stranded
from workers.consolidation import done_key, schedule
from workers.webhooks import enqueue_deliveries

log = logging.getLogger(__name__)

EVERY = 300  # seconds between sweeps
GRACE = 120  # seconds a job has to start before its work counts as stranded
LOOKBACK = 7 * 24 * 3600  # rounds with no input for this long are left alone (recompute on demand)
PHOTOS_EVERY = 3600  # seconds between looks for photo files no need holds
PHOTOS_KEPT = 24 * 3600  # an unreferenced photo may still be on its way (a form sent back to be corrected)


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
    photos = await _photos(runtime, redis, now)
    return {"deliveries": len(deliveries), "rounds": asked, "photos": photos}


async def _photos(runtime: Any, redis: Any, now: float) -> int:
    """Deletes photo files no need holds (a need whose transaction failed, a person who withdrew), at
    most once an hour across all workers."""
    if not await redis.set("ruam:sweep:photos", "1", nx=True, ex=PHOTOS_EVERY):
        return 0
    async with unit_of_work(runtime.sessions) as session:
        in_use = await photos_in_use(session)
    store = PhotoStore.under(runtime.settings.data_dir)
    removed = await asyncio.to_thread(store.remove_unreferenced, in_use, older_than=now - PHOTOS_KEPT)
    if removed:
        log.info("sweep: %d photo files no need holds were deleted", removed)
    return removed
