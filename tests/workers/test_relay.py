"""The outbox relay publishes committed events on Redis and marks them, and waits out an outage."""

import asyncio
import json

import redis.asyncio as aioredis
from sqlalchemy import select

from server.events.models import Event
from server.events.relay import ALL_EVENTS, relay_batch, round_channel
from tests.factories import make_round


async def _messages(pubsub, count, timeout=5.0):
    got = []
    async with asyncio.timeout(timeout):
        while len(got) < count:
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=timeout)
            if message:
                got.append(json.loads(message["data"]))
    return got


async def test_relay_publishes_each_event_once_on_its_round_channel(session, redis):
    round_ = await make_round(session)
    pubsub = redis.pubsub()
    await pubsub.subscribe(round_channel(round_.id))
    pending = (await session.scalars(select(Event.id).where(Event.round_id == round_.id).order_by(Event.id))).all()

    sent = await relay_batch(session, redis)
    assert [e.id for e in sent if e.round_id == round_.id] == list(pending)
    received = await _messages(pubsub, len(pending))
    assert [m["id"] for m in received] == [str(i) for i in pending]
    assert received[0]["type"] == "round.created"

    assert await relay_batch(session, redis) == []  # marked: not sent again
    await pubsub.aclose()


async def test_with_redis_down_events_wait_in_the_outbox(session, redis):
    round_ = await make_round(session)
    unreachable = aioredis.from_url("redis://127.0.0.1:9/0", socket_connect_timeout=0.2)
    try:
        async with session.begin_nested():
            await relay_batch(session, unreachable)
    except Exception:
        pass
    waiting = await session.scalars(select(Event.id).where(Event.round_id == round_.id,
                                                          Event.published_at.is_(None)))
    assert len(waiting.all()) == 1  # round.created, still waiting

    pubsub = redis.pubsub()
    await pubsub.subscribe(ALL_EVENTS)
    sent = await relay_batch(session, redis)
    assert {e.round_id for e in sent} >= {round_.id}
    await pubsub.aclose()
    await unreachable.aclose()
