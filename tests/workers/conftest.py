"""Worker tests need committed rows (jobs use their own sessions) and a real arq pool."""

from __future__ import annotations

import dataclasses

import pytest
from arq import create_pool
from arq.connections import RedisSettings
from arq.worker import Worker

from server.config import Settings
from server.database import make_sessionmaker
from server.runtime import open_runtime
from workers.relay import relay_once
from workers.settings import arq_worker


@pytest.fixture
def committed(engine):
    """Sessions that really commit, into the test database (rebuilt every run)."""
    return make_sessionmaker(engine)


@pytest.fixture
def settings(services, tmp_path):
    return dataclasses.replace(Settings.from_env({"DATA_DIR": str(tmp_path)}),
                               database_url=services.database_url, redis_url=services.redis_url)


@pytest.fixture
async def runtime(settings, redis):
    async with open_runtime(settings) as runtime:
        yield runtime


@pytest.fixture
async def queue(services, redis, runtime):
    """An empty job queue, with the outbox already relayed: what other tests committed is
    sent first, so that a test sees only the jobs its own events call for."""
    pool = await create_pool(RedisSettings.from_dsn(services.redis_url))
    while await relay_once(runtime, pool):
        pass
    await pool.flushdb()
    yield pool
    await pool.aclose()


async def run_jobs(queue, runtime) -> Worker:
    """Runs the queued jobs, and those they defer, to the end, as `ruam worker` would (without its relay
    and consolidation loops: tests run those when they choose). The worker, for its counts."""
    worker = arq_worker(queue, runtime, burst=True, poll_delay=0, cron_jobs=())
    await worker.main()
    return worker
