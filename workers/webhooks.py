"""Webhook delivery: one arq job per delivery row, signed POSTs, retried with backoff.

The relay plans delivery rows in its own transaction and enqueues them after its commit, so a
job never looks for a row or an event that is not committed yet. Each delivery has a fixed job id: planning the same events
twice (the relay sends at least once) enqueues nothing new, and a delivered row is never sent
again. The receiver may still see a delivery twice if it answered 2xx but the answer was lost
before it was recorded; X-Ruam-Delivery lets it recognise the repeat. A failed row is sent again
only when a facilitator asks (retry_delivery); its job, too, is enqueued by the relay after the commit.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from arq import ArqRedis, Retry
from structlog.contextvars import bound_contextvars

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
    return 1 << min(attempts, 9)


async def enqueue_deliveries(queue: ArqRedis, pending: Sequence[uuid.UUID]) -> None:
    """Jobs for delivery rows the relay planned in its own transaction, now committed."""
    for delivery_id in pending:
        await queue.enqueue_job("deliver_webhook", str(delivery_id), _job_id=job_id(delivery_id))


@dataclass(frozen=True)
class Pinned:
    """Where to send a delivery: the addresses its host resolved to when they were checked. Connecting to
    those, not to the name, means a name that resolves to a public address for the check and to an inside
    one a moment later (DNS rebinding) still reaches only an address that was checked."""

    urls: tuple[str, ...]  # the delivery's URL with its host replaced by each address, tried in order
    host: str  # the Host header: the name, as the receiver expects it
    sni: str | None  # for https, the name the certificate must be valid for


async def _pin(url: str, *, private_allowed: bool) -> Pinned | str | None:
    """The address to send to, why `url` must not be called (a non-public address), or None when the name
    does not resolve (the attempt fails and is retried like any connection error)."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        found = await asyncio.get_running_loop().getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except OSError:
        return None
    urls = []
    for *_, address in found:
        ip = ipaddress.ip_address(address[0])
        ip = getattr(ip, "ipv4_mapped", None) or ip
        if not (ip.is_global or private_allowed):
            return f"refused: {parts.hostname} is at a non-public address ({ip})"
        where = f"[{ip}]" if ip.version == 6 else str(ip)
        url = urlunsplit(parts._replace(netloc=f"{where}:{parts.port}" if parts.port else where))
        if url not in urls:
            urls.append(url)
    if not urls:
        return None
    return Pinned(tuple(urls), parts.netloc.rpartition("@")[2], parts.hostname if parts.scheme == "https" else None)


async def _post(client: httpx.AsyncClient, target: webhooks.Outgoing,
                pinned: Pinned) -> tuple[int | None, str | None]:
    headers = {
        "Host": pinned.host,
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Ruam-Event": target.event_type,
        "X-Ruam-Delivery": str(target.delivery_id),
        HEADER: sign(target.secret, target.body),
    }
    extensions = {"sni_hostname": pinned.sni} if pinned.sni else None
    try:
        async with asyncio.timeout(TOTAL_TIMEOUT):
            for n, url in enumerate(pinned.urls, 1):
                try:
                    # streamed and never read: the answer's status is all we need, whatever its body's size
                    async with client.stream("POST", url, content=target.body, headers=headers,
                                             extensions=extensions) as response:
                        code = response.status_code
                        break
                except httpx.ConnectError:
                    if n == len(pinned.urls):
                        raise  # the name's other addresses were tried first
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
    with bound_contextvars(request_id=target.request_id):
        return await _attempt(runtime, ident, target)


async def _attempt(runtime: Runtime, ident: uuid.UUID, target: webhooks.Outgoing) -> str:
    delivery_id = str(ident)
    if target.status != "pending":
        return target.status  # delivered or given up already: running twice sends nothing
    refused: str | None = None
    pinned: Pinned | None = None
    if not target.active:
        refused = "webhook deactivated"
    else:
        found = await _pin(target.url, private_allowed=PRIVATE_ADDRESSES_ALLOWED or runtime.settings.debug)
        if isinstance(found, str):
            refused = found
        else:
            pinned = found
    if refused:
        async with unit_of_work(runtime.sessions) as session:
            await webhooks.abandon(session, ident, refused)
        log.warning("webhook delivery %s not attempted: %s", delivery_id, refused)
        return "failed"

    # no redirects (httpx's default): a receiver must not bounce signed events elsewhere
    code: int | None
    error: str | None
    if pinned is None:
        code, error = None, f"{urlsplit(target.url).hostname} does not resolve"
    else:
        async with httpx.AsyncClient(timeout=TIMEOUT) as client:
            code, error = await _post(client, target, pinned)
    attempt = target.attempts + 1
    retry_in = backoff(attempt) if error and attempt < MAX_ATTEMPTS else None
    retry_at = datetime.now(UTC) + timedelta(seconds=retry_in) if retry_in else None
    async with unit_of_work(runtime.sessions) as session:
        delivery = await webhooks.record_attempt(session, ident, status_code=code, error=error, retry_at=retry_at)
    log.info("webhook delivery %s attempt %d: %s", delivery_id, attempt, error or code)
    if retry_in:
        raise Retry(defer=retry_in)
    return delivery.status
