"""Redis stops and comes back: writes go on, and the relay then delivers every event, once in effect."""

import asyncio
import json

import pytest
from arq import create_pool
from arq.connections import RedisSettings
from redis.exceptions import RedisError
from sqlalchemy import select

from server.consolidation.models import ConsolidationMark
from server.database import unit_of_work
from server.embedded import EmbeddedRedis
from server.events.models import Event
from server.events.relay import round_channel
from tests.factories import make_member, make_need, make_participant, make_round
from workers.relay import relay_once


async def _drain(pubsub, quiet=0.5):
    """Messages until none has come for `quiet` seconds."""
    got, loop = [], asyncio.get_running_loop()
    deadline = loop.time() + quiet
    while loop.time() < deadline:
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.05)
        if message:
            got.append(json.loads(message["data"])["id"])
            deadline = loop.time() + quiet
    return got


@pytest.fixture
def outage_redis(tmp_path):
    server = EmbeddedRedis(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


async def test_events_wait_out_a_redis_outage_and_arrive_once(committed, runtime, outage_redis, queue):
    await queue.aclose()  # relayed what others left; this test relays through its own Redis
    queue = await create_pool(RedisSettings.from_dsn(outage_redis.url))
    async with unit_of_work(committed) as session:
        facilitator = await make_participant(session, role="facilitator")
        round_ = await make_round(session, facilitator)
        member = await make_member(session, round_)
    await relay_once(runtime, queue)  # the round's first events go out while Redis is up

    async with unit_of_work(committed) as session:
        asked_before = await session.scalar(select(ConsolidationMark.asked)
                                            .where(ConsolidationMark.round_id == round_.id))
    outage_redis.stop()
    async with unit_of_work(committed) as session:  # people keep submitting while Redis is down
        needs = [await make_need(session, round_, member, title=f"ความต้องการ {i}") for i in range(3)]
    with pytest.raises(RedisError):
        await relay_once(runtime, queue)
    async with unit_of_work(committed) as session:
        waiting = (await session.scalars(select(Event.subject_id).where(
            Event.round_id == round_.id, Event.published_at.is_(None)).order_by(Event.id))).all()
    assert waiting == [n.id for n in needs]

    outage_redis.start()
    await queue.aclose()
    queue = await create_pool(RedisSettings.from_dsn(outage_redis.url))
    listener = queue.pubsub()
    await listener.subscribe(round_channel(round_.id))
    for _ in range(3):  # the relay may run again and again; each event goes out once
        await relay_once(runtime, queue)
    received = await _drain(listener)
    async with unit_of_work(committed) as session:
        expected = (await session.scalars(select(Event.id).where(
            Event.round_id == round_.id, Event.type == "need.submitted").order_by(Event.id))).all()
    assert received == [str(i) for i in expected]
    async with unit_of_work(committed) as session:  # each input asked for its round's recompute once
        asked = await session.scalar(select(ConsolidationMark.asked).where(ConsolidationMark.round_id == round_.id))
    assert asked - asked_before == 3
    await listener.aclose()
    await queue.aclose()
