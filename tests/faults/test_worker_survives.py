"""A worker killed mid-consolidation, Redis going away under it, its supervisor restarting it: each time
the round's proposal catches up with every vote, with no job id or Redis key in the way."""

from __future__ import annotations

import asyncio
import os
import signal
import time

import asyncpg
import psutil
import pytest
from arq import create_pool
from arq.connections import RedisSettings
from sqlalchemy import func, select

from server.consolidation.models import ConsolidationMark
from server.database import make_engine, make_sessionmaker, unit_of_work
from server.events.models import Event
from tests.faults.seed import seed_round
from tests.faults.votes import all_counted, cast, seconds_until


@pytest.fixture
async def round_and_engine(ruam_env):
    seeded = await seed_round(ruam_env["DATABASE_URL"], participants=12, clauses=2)
    engine = make_engine(ruam_env["DATABASE_URL"])
    yield seeded, engine
    await engine.dispose()


async def _advisory_locks(connection: asyncpg.Connection) -> int:
    return await connection.fetchval("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                                     "AND pid <> pg_backend_pid()")


async def test_a_worker_killed_mid_consolidation_leaves_the_round_to_the_next(ruam_env, ruam_process,
                                                                             round_and_engine):
    seeded, engine = round_and_engine
    worker = ruam_process("worker")
    await cast(engine, seeded.participants[:6], seeded.clauses[0], "agree")
    await seconds_until(lambda: all_counted(engine, seeded.id), within=30, what="the first proposal")

    holder = await asyncpg.connect(ruam_env["DATABASE_URL"])
    try:
        # the next proposal cannot be stored while this is held: the worker stops mid-run, lock in hand
        await holder.execute("BEGIN; LOCK TABLE consolidated_proposals IN EXCLUSIVE MODE")
        await cast(engine, seeded.participants[6:], seeded.clauses[0], "disagree")
        await seconds_until(lambda: _has_lock(ruam_env), within=30, what="the worker to start the recompute")
        worker.kill()
        await seconds_until(lambda: _no_lock(ruam_env), within=10, what="the dead worker's lock to go")
        await holder.execute("COMMIT")
    finally:
        await holder.close()

    killed_at = time.monotonic()
    worker.start()
    await seconds_until(lambda: all_counted(engine, seeded.id), within=30, what="the recompute after the kill")
    print(f"recomputed {time.monotonic() - killed_at:.1f} s after the worker was killed and restarted")
    async with unit_of_work(make_sessionmaker(engine)) as session:
        mark = await session.get(ConsolidationMark, seeded.id)
    assert mark.done == mark.asked


async def _has_lock(env) -> bool:
    connection = await asyncpg.connect(env["DATABASE_URL"])
    try:
        return await _advisory_locks(connection) > 0
    finally:
        await connection.close()


async def _no_lock(env) -> bool:
    return not await _has_lock(env)


async def test_the_worker_outlives_redis_and_says_so_once(ruam_env, ruam_process, redis_server,
                                                          round_and_engine):
    seeded, engine = round_and_engine
    worker = ruam_process("worker")
    await cast(engine, seeded.participants[:4], seeded.clauses[0], "agree")
    await seconds_until(lambda: all_counted(engine, seeded.id), within=30, what="the first proposal")

    redis_server.stop()
    await cast(engine, seeded.participants[4:8], seeded.clauses[1], "agree")
    # consolidation needs only PostgreSQL: the proposal keeps up while Redis is away
    await seconds_until(lambda: all_counted(engine, seeded.id), within=15, what="a proposal during the outage")
    await asyncio.sleep(6)  # several reconnection attempts
    assert worker.running, "the worker died with Redis"

    redis_server.start()
    back = time.monotonic()
    await seconds_until(lambda: _all_published(engine, seeded.id), within=10, what="the waiting events to go out")
    await cast(engine, seeded.participants[8:], seeded.clauses[1], "disagree")
    await seconds_until(lambda: all_counted(engine, seeded.id), within=10, what="a proposal after Redis returned")
    print(f"caught up {time.monotonic() - back:.1f} s after Redis returned")

    queue = await create_pool(RedisSettings.from_dsn(redis_server.url))
    try:  # arq's side works again too: a job enqueued now is taken
        await queue.enqueue_job("relay_now")
        await seconds_until(lambda: _queue_empty(queue), within=10, what="the worker to take a job")
    finally:
        await queue.aclose()

    log = worker.log.read_text()
    assert log.count("worker: Redis unavailable") == 1
    assert log.count("worker: Redis available again") == 1
    assert "Traceback" not in log


async def _all_published(engine, round_id) -> bool:
    async with unit_of_work(make_sessionmaker(engine)) as session:
        waiting = await session.scalar(select(func.count()).select_from(Event)
                                       .where(Event.round_id == round_id, Event.published_at.is_(None)))
    return waiting == 0


async def _queue_empty(queue) -> bool:
    return await queue.zcard("arq:queue") == 0


async def test_serve_with_worker_starts_a_killed_worker_again(ruam_process, round_and_engine):
    seeded, engine = round_and_engine
    web = ruam_process("serve", args=("--with-worker",))
    first = await _worker_of(web.pid)
    os.kill(first, signal.SIGKILL)
    await seconds_until(lambda: _replaced(web.pid, first), within=15, what="a new worker")
    await cast(engine, seeded.participants, seeded.clauses[0], "agree")
    await seconds_until(lambda: all_counted(engine, seeded.id), within=30, what="the new worker's proposal")


async def _worker_of(web_pid: int) -> int:
    for _ in range(100):
        children = psutil.Process(web_pid).children()
        if children:
            return children[0].pid
        await asyncio.sleep(0.1)
    raise AssertionError("ruam serve --with-worker started no worker")


async def _replaced(web_pid: int, old: int) -> bool:
    return any(child.pid != old and child.is_running() for child in psutil.Process(web_pid).children())


async def test_serve_with_worker_stopped_by_sigterm_stops_its_worker(ruam_process, round_and_engine):
    """systemd, Docker and Kubernetes stop a process with SIGTERM: the worker beside it must go too, not be
    left running without the web app that watched it."""
    web = ruam_process("serve", args=("--with-worker",))
    worker = psutil.Process(await _worker_of(web.pid))
    os.kill(web.pid, signal.SIGTERM)
    await seconds_until(lambda: _gone(worker), within=40, what="the worker to stop with the web app")


async def _gone(process: psutil.Process) -> bool:
    try:
        return not process.is_running() or process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True
