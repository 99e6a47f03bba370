"""Fixtures over the real PostgreSQL and Redis: the configured ones, or embedded ones under var/test.

The schema is rebuilt once per run from the migrations; each test runs inside a transaction
that is rolled back, so tests never see each other's rows.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import redis.asyncio as aioredis
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from server.database import async_url, make_engine
from server.embedded import Services, start_services
from server.migrate import upgrade

ROOT = Path(__file__).parent.parent
TEST_DATA_DIR = ROOT / "var" / "test"


def _test_database_url(url: str) -> str:
    """Tests wipe their database, so they only ever use one whose name says it is for tests.
    RUAM_TEST_DATABASE names another, for two test runs side by side on one server."""
    name = os.environ.get("RUAM_TEST_DATABASE") or make_url(async_url(url)).database or ""
    if "test" not in name:
        name = "ruam_test"
    return make_url(async_url(url)).set(database=name).render_as_string(hide_password=False)


def _test_redis_url(url: str) -> str:
    """Beside another run (RUAM_TEST_DATABASE set), a Redis database of its own too: tests flush theirs,
    and one run's workers must not take the other's jobs."""
    name = os.environ.get("RUAM_TEST_DATABASE")
    if not name:
        return url
    db = 1 + zlib.crc32(name.encode()) % 14  # 15 is the CI run's (.ci/run)
    if url.startswith("unix://"):
        return f"{url.split('?')[0]}?db={db}"
    return f"{url.rsplit('/', 1)[0] if url.count('/') > 2 else url}/{db}"


async def _ensure_database(url: str) -> None:
    parsed = make_url(async_url(url))
    admin = make_engine(parsed.set(database="postgres").render_as_string(hide_password=False),
                        isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        exists = await conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database})
        if not exists:
            await conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    await admin.dispose()


@pytest.fixture(scope="session")
def services() -> Iterator[Services]:
    TEST_DATA_DIR.mkdir(parents=True, exist_ok=True)
    started = start_services(os.environ.get("DATABASE_URL") or None, os.environ.get("REDIS_URL") or None,
                             TEST_DATA_DIR)
    started.database_url = _test_database_url(started.database_url)
    started.redis_url = _test_redis_url(started.redis_url)
    yield started
    started.stop()


@pytest.fixture(scope="session")
async def engine(services: Services) -> AsyncIterator[AsyncEngine]:
    await _ensure_database(services.database_url)
    engine = make_engine(services.database_url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await upgrade(services.database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with engine.connect() as conn:
        outer = await conn.begin()
        async with AsyncSession(bind=conn, join_transaction_mode="create_savepoint",
                                expire_on_commit=False) as session:
            yield session
        await outer.rollback()


@pytest.fixture
async def redis(services: Services) -> AsyncIterator[aioredis.Redis]:
    client = aioredis.from_url(services.redis_url)
    await client.flushdb()
    yield client
    await client.aclose()
