"""What a running Ruam process holds: settings, database engine and Redis, opened once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import redis.asyncio as aioredis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from server.config import Settings
from server.database import make_engine, make_sessionmaker
from server.embedded import Services, start_services

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    services: Services
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    redis: aioredis.Redis


@asynccontextmanager
async def open_runtime(settings: Settings) -> AsyncIterator[Runtime]:
    services = await asyncio.to_thread(
        start_services, settings.database_url, settings.redis_url, settings.data_dir
    )
    engine = make_engine(services.database_url)
    redis = aioredis.Redis.from_url(services.redis_url)
    try:
        yield Runtime(settings, services, engine, make_sessionmaker(engine), redis)
    finally:
        # close our connections first: an embedded server stops only when nobody uses it
        await redis.aclose()
        await engine.dispose()
        await asyncio.to_thread(services.stop)
