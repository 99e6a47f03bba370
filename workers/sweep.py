"""The sweep: webhook deliveries whose job was lost (Redis flushed, restored from an old copy, a job
dropped after arq's last try, a worker killed mid-attempt) are asked for again; and photos that no
need holds any more are deleted.

The outbox relay enqueues a job for every webhook delivery it plans, and PostgreSQL keeps what each job is
for: a delivery row stays pending until an attempt settles it. So every few minutes the sweep enqueues the
pending rows whose attempt is overdue, with the same fixed job ids as the relay: a job that is only waiting
is not enqueued twice. (Consolidation needs no sweep: its to-do list is in PostgreSQL, see
server/consolidation/marks.py.)
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from server.database import unit_of_work
from server.needs.photo_store import PostgresPhotoStore
from server.needs.queries import photos_in_use
from server.webhooks.service import stranded
from workers.webhooks import enqueue_deliveries

log = logging.getLogger(__name__)

EVERY = 300  # seconds between sweeps
GRACE = 120  # seconds a job has to start before its work counts as stranded
PHOTOS_EVERY = 3600  # seconds between looks for photo files no need holds
PHOTOS_KEPT = 24 * 3600  # an unreferenced photo may still be on its way (a form sent back to be corrected)


async def sweep(ctx: dict[str, Any]) -> dict[str, int]:
    runtime, redis = ctx["runtime"], ctx["redis"]
    now = time.time()
    async with unit_of_work(runtime.sessions) as session:
        deliveries = await stranded(session, overdue_before=datetime.now(UTC) - timedelta(seconds=GRACE))
    await enqueue_deliveries(redis, deliveries)
    if deliveries:
        log.warning("sweep: %d webhook deliveries asked for again", len(deliveries))
    photos = await _photos(runtime, redis, now)
    return {"deliveries": len(deliveries), "photos": photos}


async def _photos(runtime: Any, redis: Any, now: float) -> int:
    """Deletes photo files no need holds (a need whose transaction failed, a person who withdrew), at
    most once an hour across all workers."""
    if not await redis.set("ruam:sweep:photos", "1", nx=True, ex=PHOTOS_EVERY):
        return 0
    async with unit_of_work(runtime.sessions) as session:
        in_use = await photos_in_use(session)
    removed = await PostgresPhotoStore(runtime.sessions).delete_unreferenced(
        in_use, older_than=datetime.fromtimestamp(now - PHOTOS_KEPT, UTC))
    if removed:
        log.info("sweep: %d photos no need holds were deleted", removed)
    return removed
