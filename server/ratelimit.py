"""Fixed-window rate limits kept in Redis, shared by every web process.

Without Redis, people's input must still get through, so limits fail open; but only for a while
(OPEN_FOR): after that each process counts on its own, so a long outage does not leave sign-in and joining
unguarded (N web processes then let up to N times a limit through, until Redis is back). Redis is tried
again at most every RETRY_EVERY seconds meanwhile, so that requests do not each wait on a connection
attempt, and the outage is logged when it starts, once a minute and when it ends.
"""

from __future__ import annotations

import asyncio
import logging
import time

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from server.outage import Outage

log = logging.getLogger(__name__)

REDIS_TIMEOUT = 1.0  # seconds a limit check waits for Redis before letting the request through
RETRY_EVERY = 2.0  # seconds between attempts to reach Redis again while it is away
OPEN_FOR = 120.0  # seconds limits stay lifted in an outage; then each process counts alone
FAILURES = (RedisError, OSError, asyncio.TimeoutError)


class WithoutRedis:
    """What the limits do while Redis is away (one per process: the web app's counters are its own)."""

    def __init__(self) -> None:
        self.outage = Outage(log, "rate limits: Redis (limits lifted, then counted per process)")
        self._retry_at = 0.0
        self._counts: dict[str, int] = {}

    def skip(self) -> bool:
        """Whether to leave Redis alone for now: it failed a moment ago."""
        return self.outage.down and time.monotonic() < self._retry_at

    def failed(self, error: BaseException) -> None:
        self.outage.failed(error)
        self._retry_at = time.monotonic() + RETRY_EVERY

    def recovered(self) -> None:
        if self.outage.down:
            self.outage.recovered()
            self._counts.clear()

    def allow(self, name: str, limit: int) -> bool:
        """One hit on the window `name` (it names its window), counted here."""
        assert self.outage.since is not None
        if time.monotonic() - self.outage.since < OPEN_FOR:
            return True
        if len(self._counts) > 10_000:  # past windows
            self._counts.clear()
        self._counts[name] = count = self._counts.get(name, 0) + 1
        return count <= limit

    def forgive(self, name: str) -> None:
        if name in self._counts:
            self._counts[name] -= 1


WITHOUT_REDIS = WithoutRedis()


def window(key: str, per_seconds: int, now: float | None = None) -> str:
    """The Redis key counting `key`'s hits in the current window."""
    return f"ruam:rate:{key}:{int(time.time() if now is None else now) // per_seconds}"


async def allow(redis: aioredis.Redis, key: str, *, limit: int, per_seconds: int) -> bool:
    """Counts one hit on `key`; False once more than `limit` hits fell in this window."""
    name = window(key, per_seconds)
    if WITHOUT_REDIS.skip():
        return WITHOUT_REDIS.allow(name, limit)
    try:
        async with asyncio.timeout(REDIS_TIMEOUT), redis.pipeline(transaction=True) as pipe:
            pipe.incr(name)
            pipe.expire(name, per_seconds + 1)
            count: int
            count, _ = await pipe.execute()
    except FAILURES as error:
        WITHOUT_REDIS.failed(error)
        return WITHOUT_REDIS.allow(name, limit)
    WITHOUT_REDIS.recovered()
    return count <= limit


async def forgive(redis: aioredis.Redis, key: str, *, per_seconds: int) -> None:
    """Takes back the hit `allow` just counted on `key`, for a try that turned out as it should (a person who
    joined with a good code): only the failures are then limited. Best effort: an uncounted miss is harmless."""
    name = window(key, per_seconds)
    if WITHOUT_REDIS.skip():
        WITHOUT_REDIS.forgive(name)
        return
    try:
        async with asyncio.timeout(REDIS_TIMEOUT):
            await redis.decr(name)
    except FAILURES as error:
        WITHOUT_REDIS.failed(error)


def retry_after(per_seconds: int) -> int:
    """Seconds until the current window ends and `allow` counts afresh (for a Retry-After header)."""
    return per_seconds - int(time.time()) % per_seconds
