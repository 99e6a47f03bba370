"""The worker process: the outbox relay, the consolidation loop, phases moving by their dates, Web Push, arq's jobs
(webhook deliveries, the sweep) and a heartbeat, in one event loop, each surviving outages of PostgreSQL
and Redis on its own.

arq's own poll loop ends when Redis goes away, and its pool gives up after a few connection attempts; so
arq runs here under a loop that makes a new worker and pool after each loss, for ever, with backoff. The
relay and the heartbeat keep going meanwhile (their failures are retried too), and consolidation does not
need Redis at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import logging
import signal
from typing import Any

from arq import ArqRedis, cron, func
from arq.connections import RedisSettings, create_pool
from arq.worker import Worker
from redis.exceptions import RedisError

from server.config import Settings
from server.outage import Outage
from server.runtime import Runtime, open_runtime
from workers.consolidation import consolidate_forever
from workers.follow_up import follow_up_forever
from workers.heartbeat import Heartbeat
from workers.push import push_forever
from workers.relay import relay_forever, relay_once
from workers.schedule import advance_forever
from workers.sweep import EVERY, sweep
from workers.webhooks import MAX_ATTEMPTS, deliver_webhook

log = logging.getLogger(__name__)

REDIS_CONNECT_TIMEOUT = 2  # seconds: a Redis that does not answer is away; try again later


async def relay_now(ctx: dict[str, Any]) -> int:
    """Relays whatever waits in the outbox, now."""
    return await relay_once(ctx["runtime"], ctx["redis"])


class WorkerSettings:
    functions = (
        func(relay_now, timeout=60),
        # the delivery row counts attempts and gives up; arq's cap only guards against timeouts. No result
        # kept: a job that died must not block the sweep from enqueueing its delivery again for an hour
        func(deliver_webhook, timeout=60, max_tries=MAX_ATTEMPTS + 5, keep_result=0),
    )
    # at start-up too: a worker restarted after Redis lost its jobs finds their work at once
    cron_jobs = (cron(sweep, minute=set(range(0, 60, EVERY // 60)), run_at_startup=True, timeout=120),)
    job_timeout = 300
    max_tries = 5
    poll_delay = 0.1  # arq's 0.5 s default would add up to half a second to every job
    # what a killed job's id stays blocked for is the longest timeout + 10 s: no result is kept either
    keep_result = 0


def redis_settings(url: str) -> RedisSettings:
    # no retries inside arq: the loop below retries for ever, and says so once a minute
    return dataclasses.replace(RedisSettings.from_dsn(url), conn_retries=0, conn_timeout=REDIS_CONNECT_TIMEOUT)


def arq_worker(pool: ArqRedis, runtime: Runtime, **overrides: Any) -> Worker:
    options: dict[str, Any] = {
        "functions": WorkerSettings.functions, "cron_jobs": WorkerSettings.cron_jobs,
        "job_timeout": WorkerSettings.job_timeout, "max_tries": WorkerSettings.max_tries,
        "poll_delay": WorkerSettings.poll_delay, "keep_result": WorkerSettings.keep_result,
        "redis_pool": pool, "handle_signals": False, "ctx": {"runtime": runtime},
    }
    return Worker(**{**options, **overrides})


async def jobs_forever(runtime: Runtime, heartbeat: Heartbeat) -> None:
    """arq's jobs, with a new worker and pool whenever Redis comes back after going away."""
    outage = Outage(log, "worker: Redis")
    settings = redis_settings(runtime.services.redis_url)
    while True:
        pool: ArqRedis | None = None
        worker: Worker | None = None
        try:
            pool = await create_pool(settings)
            outage.recovered()
            heartbeat.redis_ok = True
            worker = arq_worker(pool, runtime)
            await worker.main()  # returns only when Redis fails under it
        except (TimeoutError, RedisError, OSError) as error:
            outage.failed(error)
            heartbeat.redis_ok = False
        finally:
            await _discard(worker, pool)
        await asyncio.sleep(outage.backoff(first=0.5, most=5.0))


async def _discard(worker: Worker | None, pool: ArqRedis | None) -> None:
    """Stops a worker whose Redis went away: its running jobs are cancelled (their rows in PostgreSQL say
    what is left to do, and the sweep asks for it again), and its pool closed without waiting on Redis."""
    if worker is not None:
        tasks = [*worker.tasks.values(), *worker.job_tasks.values()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    if pool is not None:
        with contextlib.suppress(Exception):
            await pool.aclose(close_connection_pool=True)


async def work(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Runs a worker until `stop` is set (or SIGTERM / SIGINT arrives)."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    async with open_runtime(settings) as runtime:
        heartbeat = Heartbeat()
        queue = ArqRedis.from_url(runtime.services.redis_url, socket_connect_timeout=REDIS_CONNECT_TIMEOUT)
        tasks = [asyncio.create_task(job, name=name) for name, job in (
            ("heartbeat", heartbeat.forever(runtime)),
            ("relay", relay_forever(runtime, queue)),
            ("consolidation", consolidate_forever(runtime)),
            ("schedule", advance_forever(runtime)),
            ("follow-up", follow_up_forever(runtime)),
            ("push", push_forever(runtime)),
            ("jobs", jobs_forever(runtime, heartbeat)),
        )]
        log.info("worker started")
        try:
            await stop.wait()
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await heartbeat.end(runtime)
            with contextlib.suppress(Exception):
                await queue.aclose()
            log.info("worker stopped")


# Objects between collections of the youngest generation (Python's default: 700). A recompute of a large round
# builds hundreds of thousands of small dicts; at 700 the collector ran through them, and through every object the
# worker keeps, dozens of times per recompute: a quarter of a 100,000 × 5,000 round's recompute
# (benchmarks/README.md). Garbage in cycles is still collected, only in larger batches.
GC_THRESHOLD = (50_000, 20, 100)


def quieter_collector() -> None:
    """The worker process's garbage collector: what start-up made (modules, the models) moved out of its reach
    for good (gc.freeze), and collections made rarer."""
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


def run_worker(settings: Settings) -> None:
    from server.embedded import start_services

    # the worker holds its own claim on the embedded servers, shared with the web process
    services = start_services(settings.database_url, settings.redis_url, settings.data_dir)
    try:
        resolved = dataclasses.replace(settings, database_url=services.database_url, redis_url=services.redis_url)
        quieter_collector()  # the worker's own process (`ruam worker`, or the one `ruam serve --with-worker` runs)
        asyncio.run(work(resolved))
    finally:
        services.stop()
