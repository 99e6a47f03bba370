"""Fixed-window rate limits kept in Redis, shared by every web process."""

from __future__ import annotations

import logging
import time

import redis.asyncio as aioredis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)


async def allow(redis: aioredis.Redis, key: str, *, limit: int, per_seconds: int) -> bool:
    """Counts one hit on `key`; False once more than `limit` hits fell in this window."""
    window = int(time.time()) // per_seconds
    name = f"ruam:rate:{key}:{window}"
    try:
        async with redis.pipeline(transaction=True) as pipe:
            pipe.incr(name)
            pipe.expire(name, per_seconds + 1)
            count, _ = await pipe.execute()
    except RedisError:
        # without Redis, people's input must still get through: limits are lifted, not writes
        log.warning("rate limit not checked: Redis unavailable", exc_info=True)
        return True
    return count <= limit


def retry_after(per_seconds: int) -> int:
    """Seconds until the current window ends and `allow` counts afresh (for a Retry-After header)."""
    return per_seconds - int(time.time()) % per_seconds
