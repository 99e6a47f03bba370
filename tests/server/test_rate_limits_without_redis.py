"""Rate limits while Redis is away: lifted for a while (people's input gets through), then counted by each
process on its own, so a long outage does not leave joining and signing in unguarded; back to Redis's
counts once it answers again. Against a real refused connection, not a stand-in."""

import socket

import pytest
import redis.asyncio as aioredis

from server import ratelimit


@pytest.fixture
def away():
    """A Redis client whose server is not there: a port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return aioredis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=1)


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    monkeypatch.setattr(ratelimit, "WITHOUT_REDIS", ratelimit.WithoutRedis())


async def test_limits_are_lifted_at_first_then_counted_here(away, monkeypatch):
    assert all([await ratelimit.allow(away, "join:10.0.0.1", limit=2, per_seconds=60) for _ in range(5)])
    assert ratelimit.WITHOUT_REDIS.outage.down

    monkeypatch.setattr(ratelimit, "OPEN_FOR", 0.0)  # the outage has lasted longer than limits stay lifted
    answers = [await ratelimit.allow(away, "join:10.0.0.2", limit=2, per_seconds=60) for _ in range(4)]
    assert answers == [True, True, False, False]


async def test_redis_counts_again_once_it_answers(away, redis, monkeypatch):
    monkeypatch.setattr(ratelimit, "OPEN_FOR", 0.0)
    monkeypatch.setattr(ratelimit, "RETRY_EVERY", 0.0)  # Redis is tried again at every check
    assert await ratelimit.allow(away, "join:10.0.0.3", limit=1, per_seconds=60)
    assert not await ratelimit.allow(away, "join:10.0.0.3", limit=1, per_seconds=60)  # counted here

    key = "test-back:10.0.0.3"
    await redis.delete(ratelimit.window(key, 60))
    assert await ratelimit.allow(redis, key, limit=1, per_seconds=60)
    assert not ratelimit.WITHOUT_REDIS.outage.down
    assert not await ratelimit.allow(redis, key, limit=1, per_seconds=60)  # Redis's count, shared by every process
