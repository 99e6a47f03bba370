"""An open roundEvents subscription ends once the credentials it was opened with no longer stand.

A websocket outlives the request that opened it, and each operation used to be checked only when it
started: a facilitator whose token was revoked kept reading every vote's choice for as long as the socket
stayed open. Now the credentials are asked again before an event goes out (at most every RECHECK seconds).
"""

from sqlalchemy import select
from strawberry.relay import to_base64

from schema import subscriptions
from server.auth.models import ApiToken
from server.auth.service import revoke_token
from server.database import unit_of_work
from server.people.models import Participant
from tests.schema.test_subscriptions import (  # noqa: F401 -- fixtures, for this module
    ROUND_EVENTS,
    _client,
    _deliberating_round,
    _listeners,
    _params,
    _vote,
    committed,
    live,
    queue,
    runtime,
    settings,
)
from workers.relay import relay_once


async def test_revoking_the_token_ends_an_open_subscription(live, committed, runtime, queue, redis,
                                                           monkeypatch):
    monkeypatch.setattr(subscriptions, "RECHECK", 0.0)
    round_, clause, voter, _ = await _deliberating_round(committed)
    async with unit_of_work(committed) as session:
        staff = await session.get(Participant, round_.created_by_id)
        params = await _params(session, staff, ["read", "facilitate"])
    await relay_once(runtime, queue)
    async with _client(live, params) as client:
        await client.subscribe("1", ROUND_EVENTS, roundId=to_base64("Round", round_.id))
        await _listeners(redis, round_.id, 1)
        await _vote(committed, voter, clause)
        await relay_once(runtime, queue)
        first = await client.recv()
        assert first["type"] == "next" and first["payload"]["data"]["roundEvents"]["payload"]["choice"] == "agree"

        async with unit_of_work(committed) as session:
            token_id = await session.scalar(select(ApiToken.id).where(ApiToken.participant_id == staff.id))
            await revoke_token(session, None, token_id)
        await _vote(committed, voter, clause, "disagree")
        await relay_once(runtime, queue)
        after = await client.recv()
    assert after["type"] != "next", after
    assert after == {"id": "1", "type": "complete"}

