"""The arq worker: its settings, start-up and shut-down."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from typing import Any

from arq import cron, func
from arq import run_worker as arq_run_worker
from arq.connections import RedisSettings

from server.config import Settings
from server.runtime import open_runtime
from workers.consolidation import consolidate_round
from workers.relay import relay_forever, relay_once
from workers.sweep import EVERY, sweep
from workers.webhooks import MAX_ATTEMPTS, deliver_webhook


async def relay_now(ctx: dict[str, Any]) -> int:
    """Relays whatever waits in the outbox, now."""
    return await relay_once(ctx["runtime"], ctx["redis"])


async def startup(ctx: dict[str, Any]) -> None:
    stack = ctx["exit_stack"] = contextlib.AsyncExitStack()
    runtime = ctx["runtime"] = await stack.enter_async_context(open_runtime(ctx["settings"]))
    if ctx.get("relay", True):
        ctx["relay_task"] = asyncio.create_task(relay_forever(runtime, ctx["redis"]))


async def shutdown(ctx: dict[str, Any]) -> None:
    if task := ctx.get("relay_task"):
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    await ctx["exit_stack"].aclose()


class WorkerSettings:
    functions = (
        func(relay_now, timeout=60),
        # no result kept: the fixed job id must be free again as soon as a run ends
        func(consolidate_round, timeout=600, keep_result=0, max_tries=50),
        # the delivery row counts attempts and gives up; arq's cap only guards against timeouts. No result
        # kept: a job that died must not block the sweep from enqueueing its delivery again for an hour
        func(deliver_webhook, timeout=60, max_tries=MAX_ATTEMPTS + 5, keep_result=0),
    )
    # at start-up too: a worker restarted after Redis lost its jobs finds their work at once
    cron_jobs = (cron(sweep, minute=set(range(0, 60, EVERY // 60)), run_at_startup=True, timeout=120),)
    on_startup = startup
    on_shutdown = shutdown
    job_timeout = 300
    max_tries = 5
    poll_delay = 0.1  # arq's 0.5 s default would add up to half a second to every job


def run_worker(settings: Settings) -> None:
    from server.embedded import start_services

    # the worker holds its own claim on the embedded servers, shared with the web process
    services = start_services(settings.database_url, settings.redis_url, settings.data_dir)
    try:
        resolved = dataclasses.replace(settings, database_url=services.database_url,
                                       redis_url=services.redis_url)
        arq_run_worker(WorkerSettings, redis_settings=RedisSettings.from_dsn(services.redis_url),
                       ctx={"settings": resolved})
    finally:
        services.stop()
