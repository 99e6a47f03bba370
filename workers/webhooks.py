"""Webhook delivery: one arq job per delivery row, signed POSTs, retried with backoff.

The relay plans delivery rows in its own transaction and enqueues them after its commit, so a
job never looks for a row or an event that is not committed yet. Each delivery has a fixed job id: planning the same events
twice (the relay sends at least once) enqueues nothing new, and a delivered row is never sent
again. The receiver may still see a delivery twice if it answered 2xx but the answer was lost
before it was recorded; X-Ruam-Delivery lets it recognise the repeat.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from arq import ArqRedis, Retry

from server.database import unit_of_work
from server.runtime import Runtime
from server.webhooks import service as webhooks
from server.webhooks.signing import HEADER, sign

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10  # with the backoff below: about 17 minutes from the first try to the last
TIMEOUT = 5.0  # seconds, for connecting and for each read; a slow receiver is a failed attempt
TOTAL_TIMEOUT = 15.0  # for the whole attempt, so a receiver trickling bytes cannot outlast the job
# Receivers on loopback, private or link-local addresses are refused, so that a facilitator's
# webhook cannot be aimed at services inside our own network (SSRF). With DEBUG on, or with
# this set (tests), they are allowed: developers test against a receiver on their machine.
PRIVATE_ADDRESSES_ALLOWED = False
USER_AGENT = "Ruam-Webhooks/1"


def job_id(delivery_id: object) -> str:
    return f"webhook:{delivery_id}"


def backoff(attempts: int) -> int:
    """Seconds to wait after the `attempts`-th failure: 2, 4, 8, … 512."""
    return 2 ** min(attempts, 9)


async def enqueue_deliveries(queue: ArqRedis, pending: Sequence[uuid.UUID]) -> None:
    """Jobs for delivery rows the relay planned in its own transaction, now committed."""
    for delivery_id in pending:
        await queue.enqueue_job("deliver_webhook", str(delivery_id), _job_id=job_id(delivery_id))


async def _refusal(url: str) -> str | None:
    """Why `url` must not be called (its host is not a public address), or None."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        found = await asyncio.get_running_loop().getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except OSError:
        return None  # unresolvable: the attempt fails and is retried like any connection error
    for *_, address in found:
        ip = ipaddress.ip_address(address[0])
        ip = getattr(ip, "ipv4_mapped", None) or ip
        if not ip.is_global:
            return f"refused: {parts.hostname} is at a non-public address ({ip})"
    return None


async def _post(client: httpx.AsyncClient, target: webhooks.Outgoing) -> tuple[int | None, str | None]:
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Ruam-Event": target.event_type,
        "X-Ruam-Delivery": str(target.delivery_id),
        HEADER: sign(target.secret, target.body),
    }
    try:
        async with asyncio.timeout(TOTAL_TIMEOUT):
            # streamed and never read: the answer's status is all we need, whatever its body's size
            async with client.stream("POST", target.url, content=target.body, headers=headers) as response:
                code = response.status_code
    except TimeoutError:
        return None, f"no answer within {TOTAL_TIMEOUT:g} s"
    except httpx.HTTPError as exc:
        return None, f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return code, None if 200 <= code < 300 else f"HTTP {code}"


async def deliver_webhook(ctx: dict[str, Any], delivery_id: str) -> str:
    """One attempt at one delivery; returns its status, or raises Retry while tries remain."""
    runtime: Runtime = ctx["runtime"]
    ident = uuid.UUID(delivery_id)
    async with unit_of_work(runtime.sessions) as session:
        target = await webhooks.outgoing(session, ident)
    if target is None:
        return "gone"
    if target.status != "pending":
        return target.status  # delivered or given up already: running twice sends nothing
    refused = "webhook deactivated" if not target.active else None
    if refused is None and not (PRIVATE_ADDRESSES_ALLOWED or runtime.settings.debug):
        refused = await _refusal(target.url)
    if refused:
        async with unit_of_work(runtime.sessions) as session:
            await webhooks.abandon(session, ident, refused)
        log.warning("webhook delivery %s not attempted: %s", delivery_id, refused)
        return "failed"

    # no redirects (httpx's default): a receiver must not bounce signed events elsewhere
    async with httpx.AsyncClient(timeout=TIMEOUT) as client:
        code, error = await _post(client, target)
    attempt = target.attempts + 1
    retry_in = backoff(attempt) if error and attempt < MAX_ATTEMPTS else None
    retry_at = datetime.now(UTC) + timedelta(seconds=retry_in) if retry_in else None
    async with unit_of_work(runtime.sessions) as session:
        delivery = await webhooks.record_attempt(session, ident, status_code=code, error=error, retry_at=retry_at)
    log.info("webhook delivery %s attempt %d: %s", delivery_id, attempt, error or code)
    if retry_in:
        raise Retry(defer=retry_in)
    return delivery.status
