"""The push loop: takes rounds with news to tell, plans who is told what (server/push/service.py), and
sends each phone its push, encrypted for that phone (aes128gcm) and signed with the installation's VAPID
key.

A push service that cannot be reached, or answers 429 or 5xx, is tried again a few times a little later;
then the push is dropped with a log line (the news stays on the round's home). 404 and 410 mean the phone
no longer listens: its subscription is deleted. Endpoints are addresses a browser gave us, so like webhook
receivers they are called only at public addresses (workers/webhooks.py), with no redirects followed.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx
from pywebpush import WebPusher

from server.database import unavailable, unit_of_work
from server.outage import Outage
from server.push import service as push
from server.push.keys import Keys, vapid_keys
from server.runtime import Runtime
from workers import webhooks

log = logging.getLogger(__name__)

IDLE = 1.0  # seconds between looks for due rounds when there were none
ATTEMPTS = 3
BACKOFF = (1.0, 4.0)  # seconds before the second and third attempt
TIMEOUT = 10.0  # for one attempt, connecting included
TTL = 24 * 3600  # a phone that is off for a day is not told of yesterday's news: the round's home says it
SENDING_AT_ONCE = 20
USER_AGENT = "Ruam-Push/1"


def _subject(public_url: str) -> str:
    """Who push services may contact about our pushes: the site when it is on https, otherwise a mailbox
    at localhost (a laptop's Ruam), which is the form RFC 8292 accepts."""
    return public_url if public_url.startswith("https://") else "mailto:ruam@localhost"


def _headers(keys: Keys, endpoint: str, subject: str) -> dict[str, str]:
    parts = urlsplit(endpoint)
    audience = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"
    signed: dict[str, str] = keys.signer.sign({"aud": audience, "sub": subject, "exp": int(time.time()) + 12 * 3600})
    return {"Authorization": signed["Authorization"], "TTL": str(TTL), "Urgency": "normal",
            "Content-Encoding": "aes128gcm", "Content-Type": "application/octet-stream", "User-Agent": USER_AGENT}


async def _attempt(client: httpx.AsyncClient, one: push.Push, body: bytes, headers: dict[str, str],
                   private_allowed: bool) -> int | str:
    """The push service's answer, or why there was none."""
    found = await webhooks._pin(one.endpoint, private_allowed=private_allowed)
    if found is None:
        return "does not resolve"
    if isinstance(found, str):
        return found
    extensions = {"sni_hostname": found.sni} if found.sni else None
    try:
        async with asyncio.timeout(TIMEOUT):
            for n, url in enumerate(found.urls, 1):
                try:
                    response = await client.post(url, content=body, headers={**headers, "Host": found.host},
                                                 extensions=extensions)
                    return response.status_code
                except httpx.ConnectError:
                    if n == len(found.urls):
                        raise
    except TimeoutError:
        return f"no answer within {TIMEOUT:g} s"
    except httpx.HTTPError as exc:
        return type(exc).__name__
    return "no address"


async def send(runtime: Runtime, client: httpx.AsyncClient, keys: Keys, one: push.Push) -> str:
    """One push to one phone, tried up to ATTEMPTS times; what became of it."""
    private_allowed = webhooks.PRIVATE_ADDRESSES_ALLOWED or runtime.settings.debug
    # encrypted once: the same bytes are sent again on a retry
    body = WebPusher({"endpoint": one.endpoint, "keys": {"p256dh": one.p256dh, "auth": one.auth}}).encode(
        one.body, "aes128gcm")["body"]
    headers = _headers(keys, one.endpoint, _subject(runtime.settings.public_url))
    answer: int | str = ""
    for attempt in range(ATTEMPTS):
        if attempt:
            await asyncio.sleep(BACKOFF[attempt - 1])
        answer = await _attempt(client, one, body, headers, private_allowed)
        if isinstance(answer, int) and 200 <= answer < 300:
            return "sent"
        if answer in (404, 410):
            async with unit_of_work(runtime.sessions) as session:
                await push.gone(session, one.subscription_id)
            log.info("push subscription %s is gone (HTTP %s): deleted", one.subscription_id, answer)
            return "gone"
        if isinstance(answer, str) and answer.startswith("refused"):
            break
        if isinstance(answer, int) and answer != 429 and answer < 500:
            break  # the push service refuses this push itself: sending it again changes nothing
    log.warning("push to subscription %s dropped: %s", one.subscription_id,
                f"HTTP {answer}" if isinstance(answer, int) else answer)
    return "dropped"


@dataclass(frozen=True)
class Pushed:
    rounds: int  # taken off the list of due rounds
    pushes: list[str]  # what became of each push


async def push_once(runtime: Runtime, client: httpx.AsyncClient) -> Pushed:
    """Takes the rounds due now, plans and sends their pushes."""
    async with unit_of_work(runtime.sessions) as session:
        rounds = await push.take(session)
    if not rounds:
        return Pushed(0, [])
    planned: list[push.Push] = []
    try:
        async with unit_of_work(runtime.sessions) as session:
            keys = await vapid_keys(session, runtime.settings.vapid_private_key)
            for round_id in rounds:
                planned += await push.plan(session, round_id)
    except Exception:
        async with unit_of_work(runtime.sessions) as session:  # taken off the list: put them back, later
            await push.ask(session, rounds, at=datetime.now(UTC) + push.RETRY_PLAN)
        raise
    return Pushed(len(rounds), await _send_all(runtime, client, keys, planned))


async def _send_all(runtime: Runtime, client: httpx.AsyncClient, keys: Keys, planned: Sequence[push.Push]
                    ) -> list[str]:
    limit = asyncio.Semaphore(SENDING_AT_ONCE)

    async def one(p: push.Push) -> str:
        async with limit:
            try:
                return await send(runtime, client, keys, p)
            except Exception:
                log.exception("push to subscription %s failed", p.subscription_id)
                return "dropped"

    return list(await asyncio.gather(*(one(p) for p in planned)))


async def push_forever(runtime: Runtime) -> None:
    """Pushes until cancelled. While PostgreSQL is away nothing is planned; the rounds wait in push_due."""
    outage = Outage(log, "push loop: PostgreSQL")
    async with httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False) as client:
        while True:
            try:
                done = await push_once(runtime, client)
            except Exception as error:
                if not unavailable(error):
                    log.exception("push loop failed; retrying")
                outage.failed(error)
                await asyncio.sleep(outage.backoff(most=5.0))
                continue
            outage.recovered()
            if not done.rounds:
                await asyncio.sleep(IDLE)
