"""The arq worker: its settings, start-up and shut-down, and the outbox relay loop."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from typing import Any

from arq import run_worker as arq_run_worker
from arq.connections import RedisSettings

from server.config import Settings
from server.database import unit_of_work
from server.events.relay import relay_batch
from server.runtime import Runtime, open_runtime

log = logging.getLogger(__name__)

RELAY_INTERVAL = 0.2  # seconds between outbox polls when it was empty


async def relay_forever(runtime: Runtime) -> None:
    while True:
        try:
            async with unit_of_work(runtime.sessions) as session:
                sent = await relay_batch(session, runtime.redis)
        except Exception:  # Redis or PostgreSQL away: the events stay in the outbox; try again
            log.warning("outbox relay failed; retrying", exc_info=True)
            sent = []
        if not sent:
            await asyncio.sleep(RELAY_INTERVAL)


async def relay_now(ctx: dict[str, Any]) -> int:
    """Relays whatever waits in the outbox, now."""
    runtime: Runtime = ctx["runtime"]
    async with unit_of_work(runtime.sessions) as session:
        return len(await relay_batch(session, runtime.redis))


async def startup(ctx: dict[str, Any]) -> None:
    stack = ctx["exit_stack"] = contextlib.AsyncExitStack()
    runtime = ctx["runtime"] = await stack.enter_async_context(open_runtime(ctx["settings"]))
    ctx["relay"] = asyncio.create_task(relay_forever(runtime))


async def shutdown(ctx: dict[str, Any]) -> None:
    ctx["relay"].cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await ctx["relay"]
    await ctx["exit_stack"].aclose()


class WorkerSettings:
    functions = [relay_now]
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
