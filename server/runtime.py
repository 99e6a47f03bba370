"""What a running Ruam process holds: settings, database engine and Redis, opened once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from server.config import Settings
from server.database import make_engine, make_sessionmaker
from server.embedded import Services, start_services

if TYPE_CHECKING:
    import redis.asyncio as aioredis

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    services: Services
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    opened_redis: aioredis.Redis | None

    @property
    def redis(self) -> aioredis.Redis:
        if self.opened_redis is None:
            raise RuntimeError("this process was opened without Redis (open_runtime(redis=False))")
        return self.opened_redis


@asynccontextmanager
async def open_runtime(settings: Settings, *, redis: bool = True) -> AsyncIterator[Runtime]:
    """The web app and the worker use Redis; the command line's one-shot commands do not, and pass
    redis=False: the client is not imported (a tenth of a second of their start-up) and, without REDIS_URL,
    no embedded Redis is started for them."""
    # "" stands for the Redis that is not opened: start_services starts the embedded one only for None
    redis_url = settings.redis_url if redis else (settings.redis_url or "")
    services = await asyncio.to_thread(start_services, settings.database_url, redis_url, settings.data_dir)
    engine = make_engine(services.database_url)
    client = None
    if redis:
        import redis.asyncio as aioredis

        client = aioredis.Redis.from_url(services.redis_url)
    try:
        yield Runtime(settings, services, engine, make_sessionmaker(engine), client)
    finally:
        # close our connections first: an embedded server stops only when nobody uses it
        if client is not None:
            await client.aclose()
        await engine.dispose()
        await asyncio.to_thread(services.stop)
