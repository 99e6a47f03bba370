"""Each worker says it is alive, in PostgreSQL: /readyz and /metrics read the newest beat, and can tell a
worker that lost Redis from one that is gone."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from datetime import UTC, datetime

from sqlalchemy import delete, text

from server.database import unit_of_work
from server.operations.models import WorkerHeartbeat
from server.runtime import Runtime

log = logging.getLogger(__name__)

EVERY = 5.0  # seconds between beats
FORGET_AFTER = 24 * 3600  # a worker silent this long is gone: its row is deleted

_BEAT = text("""
    INSERT INTO worker_heartbeats (id, host, pid, started_at, beat_at, redis_ok)
    VALUES (:id, :host, :pid, :started_at, now(), :redis_ok)
    ON CONFLICT (id) DO UPDATE SET beat_at = now(), redis_ok = excluded.redis_ok
""")


class Heartbeat:
    def __init__(self) -> None:
        self.id = uuid.uuid4()
        self.started_at = datetime.now(UTC)
        self.redis_ok = True

    async def beat(self, runtime: Runtime) -> None:
        async with unit_of_work(runtime.sessions) as session:
            await session.execute(_BEAT, {"id": self.id, "host": socket.gethostname()[:255], "pid": os.getpid(),
                                          "started_at": self.started_at, "redis_ok": self.redis_ok})
            await session.execute(text("DELETE FROM worker_heartbeats WHERE beat_at < now() - make_interval("
                                       "secs => :seconds)"), {"seconds": FORGET_AFTER})

    async def forever(self, runtime: Runtime) -> None:
        while True:
            try:
                await self.beat(runtime)
            except Exception:  # PostgreSQL away: the other loops say so; the beat resumes with it
                log.debug("heartbeat not written", exc_info=True)
            await asyncio.sleep(EVERY)

    async def end(self, runtime: Runtime) -> None:
        try:
            async with unit_of_work(runtime.sessions) as session:
                await session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.id == self.id))
        except Exception:
            log.debug("heartbeat row not removed", exc_info=True)
