"""GraphQL subscriptions over graphql-transport-ws, against the real app served on 127.0.0.1.

The app runs under uvicorn in a thread (its own event loop, its own runtime, as in production);
the test commits through the services and relays with the worker's relay_once.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
import uvicorn
from strawberry.relay import to_base64
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from server.app import create_app
from server.auth.service import create_token
from server.consolidation.service import publish
from server.database import unit_of_work
from server.deliberation import service as deliberation
from server.events.relay import round_channel
from server.people.models import Participant
from server.rounds import service as rounds
from tests.factories import make_clause, make_member, make_participant, make_round
from tests.workers import conftest as worker_fixtures
from workers.consolidation import recompute
from workers.relay import relay_once

ROUND_EVENTS = """subscription ($roundId: ID!, $types: [String!]) {
  roundEvents(roundId: $roundId, types: $types) { id type roundId actorId subjectId payload createdAt cursor }
}"""
PROPOSAL_VERSIONS = """subscription ($roundId: ID!) {
  proposalVersions(roundId: $roundId) { eventId roundId proposalId version inputsHash }
}"""

# committed rows, a runtime and an arq pool, as the worker tests have them
committed, runtime, queue, settings = (worker_fixtures.committed, worker_fixtures.runtime,
                                       worker_fixtures.queue, worker_fixtures.settings)


@pytest.fixture
async def live(settings):
    """ws:// address of /graphql in the real app, served by uvicorn on a free loopback port."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(settings), lifespan="on", log_level="warning",
                                           ws="websockets-sansio"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    async with asyncio.timeout(20):
        while not server.started:
            await asyncio.sleep(0.02)
    yield f"ws://127.0.0.1:{sock.getsockname()[1]}/graphql"
    server.should_exit = True
    await asyncio.to_thread(thread.join, 20)
    sock.close()


class Client:
    def __init__(self, ws):
        self.ws = ws

    async def send(self, **message) -> None:
        await self.ws.send(json.dumps(message))

    async def recv(self, timeout: float = 10) -> dict:
        return json.loads(await asyncio.wait_for(self.ws.recv(), timeout))

    async def subscribe(self, op: str, query: str, **variables) -> None:
        await self.send(id=op, type="subscribe", payload={"query": query, "variables": variables})


@asynccontextmanager
async def _client(url: str, params: dict) -> AsyncIterator[Client]:
    async with connect(url, subprotocols=["graphql-transport-ws"]) as ws:
        client = Client(ws)
        await client.send(type="connection_init", payload=params)
        assert (await client.recv())["type"] == "connection_ack"
        yield client


async def _listeners(redis, round_id, count: int) -> None:
    """Waits until the server holds `count` Redis subscriptions on the round's channel."""
    async with asyncio.timeout(10):
        while (await redis.pubsub_numsub(round_channel(round_id)))[0][1] != count:
            await asyncio.sleep(0.02)


async def _deliberating_round(committed, scopes=("read",)):
    async with unit_of_work(committed) as session:
        facilitator = await make_participant(session, role="facilitator")
        round_ = await make_round(session, facilitator)
        clause = await make_clause(session, round_)
        voter = await make_member(session, round_)
        await rounds.move_phase(session, facilitator, round_.id, "deliberation")
        params = await _params(session, voter, scopes)
    return round_, clause, voter, params


async def _params(session, participant, scopes) -> dict:
    """connection_init's payload for a new API token of `participant`."""
    _, token = await create_token(session, None, participant.id, name="dashboard", scopes=list(scopes))
    return {"authorization": f"Bearer {token}", "locale": "en"}


async def _vote(committed, voter, clause, choice="agree"):
    async with unit_of_work(committed) as session:
        return await deliberation.cast_vote(session, voter, clause.id, choice)


async def test_a_subscription_receives_the_vote_cast_after_it_subscribed(live, committed, runtime, queue, redis):
    round_, clause, voter, params = await _deliberating_round(committed)
    await relay_once(runtime, queue)  # the round's own set-up events are out of the way
    async with _client(live, params) as client:
        await client.subscribe("1", ROUND_EVENTS, roundId=to_base64("Round", round_.id))
        await _listeners(redis, round_.id, 1)
        vote = await _vote(committed, voter, clause)
        assert await relay_once(runtime, queue) == 1
        message = await client.recv()
    assert message["type"] == "next" and message["id"] == "1"
    event = message["payload"]["data"]["roundEvents"]
    assert event["type"] == "vote.cast" and event["roundId"] == to_base64("Round", round_.id)
    assert event["subjectId"] == str(vote.id) and event["payload"]["choice"] == "agree"
    assert event["payload"]["clause_id"] == str(clause.id)
    assert event["actorId"] is None  # nobody sees who cast a vote


async def test_who_acted_is_shown_to_facilitators_but_never_on_a_vote(live, committed, runtime, queue, redis):
    round_, clause, voter, reader = await _deliberating_round(committed)
    async with unit_of_work(committed) as session:
        staff = await _params(session, await session.get(Participant, round_.created_by_id), ["read", "facilitate"])
    await relay_once(runtime, queue)
    async with _client(live, reader) as public, _client(live, staff) as facilitator:
        await public.subscribe("p", ROUND_EVENTS, roundId=str(round_.id))  # a plain uuid does too
        await facilitator.subscribe("f", ROUND_EVENTS, roundId=str(round_.id))
        await _listeners(redis, round_.id, 2)
        async with unit_of_work(committed) as session:
            await deliberation.cast_vote(session, voter, clause.id, "disagree")
            await deliberation.post_comment(session, voter, body="ขอข้อมูลเพิ่ม", stance="question",
                                            clause_id=clause.id)
        await relay_once(runtime, queue)
        seen = {}
        for name, client in (("public", public), ("facilitator", facilitator)):
            for _ in range(2):
                event = (await client.recv())["payload"]["data"]["roundEvents"]
                seen[name, event["type"]] = event
    assert seen["public", "vote.cast"]["actorId"] is None and seen["facilitator", "vote.cast"]["actorId"] is None
    assert seen["public", "comment.posted"]["actorId"] is None
    assert seen["facilitator", "comment.posted"]["actorId"] == to_base64("Participant", voter.id)
    # the comment itself is read through the API, which shows it only while it is visible
    assert "stance" not in seen["public", "comment.posted"]["payload"]
    assert seen["facilitator", "comment.posted"]["payload"]["stance"] == "question"
    assert seen["public", "comment.posted"]["subjectId"] == seen["facilitator", "comment.posted"]["subjectId"]
    # the voter reads their own vote, the facilitator each vote, and neither who cast it
    assert seen["public", "vote.cast"]["payload"]["choice"] == seen["facilitator", "vote.cast"]["payload"]["choice"]
    assert seen["public", "vote.cast"]["cursor"] == seen["facilitator", "vote.cast"]["cursor"]

    # a client that dropped after the vote replays the log from the vote's cursor
    replay = """query ($roundId: ID!, $after: String) {
      events(roundId: $roundId, after: $after) { edges { node { type } } } }"""
    async with httpx.AsyncClient() as http:
        answer = await http.post(live.replace("ws://", "http://"), headers={"Authorization": reader["authorization"]},
                                 json={"query": replay, "variables": {"roundId": to_base64("Round", round_.id),
                                                                      "after": seen["public", "vote.cast"]["cursor"]}})
    assert [e["node"]["type"] for e in answer.json()["data"]["events"]["edges"]] == ["comment.posted"]


async def test_type_filter_and_new_proposal_versions(live, committed, runtime, queue, redis):
    round_, clause, voter, params = await _deliberating_round(committed)
    async with unit_of_work(committed) as session:
        facilitator = await session.get(Participant, round_.created_by_id)
        staff = await _params(session, facilitator, ["read", "facilitate"])
    await relay_once(runtime, queue)
    async with _client(live, params) as client, _client(live, staff) as facilitating:
        await client.subscribe("events", ROUND_EVENTS, roundId=str(round_.id), types=["proposal.consolidated"])
        await client.subscribe("versions", PROPOSAL_VERSIONS, roundId=str(round_.id))
        await facilitating.subscribe("staff", PROPOSAL_VERSIONS, roundId=str(round_.id))
        await _listeners(redis, round_.id, 3)
        await _vote(committed, voter, clause)
        await relay_once(runtime, queue)  # vote.cast: wanted by no operation
        version = (await recompute(runtime, round_.id)).version
        await relay_once(runtime, queue)  # proposal.consolidated
        stored = (await facilitating.recv())["payload"]["data"]["proposalVersions"]
        announced = (await client.recv())["payload"]["data"]["roundEvents"]
        async with unit_of_work(committed) as session:
            await publish(session, facilitator, round_.id, version, while_voting=True)
        await relay_once(runtime, queue)  # proposal.published
        published = (await client.recv())["payload"]["data"]["proposalVersions"]
    # a member hears that a version was made, not which: it may never be published
    assert announced["type"] == "proposal.consolidated" and announced["subjectId"] is None
    assert announced["payload"] == {}
    assert stored["version"] == version == 1 and stored["roundId"] == to_base64("Round", round_.id)
    assert len(stored["inputsHash"]) >= 32
    # and of the version once it is published
    assert published["version"] == 1 and published["proposalId"] == stored["proposalId"]
    assert published["eventId"] != stored["eventId"] and published["inputsHash"] == ""


async def test_ending_an_operation_or_the_socket_unsubscribes(live, committed, redis):
    round_, _, _, params = await _deliberating_round(committed)
    async with _client(live, params) as client:
        await client.subscribe("a", ROUND_EVENTS, roundId=str(round_.id))
        await client.subscribe("b", PROPOSAL_VERSIONS, roundId=str(round_.id))
        await _listeners(redis, round_.id, 2)
        await client.send(id="a", type="complete")
        await _listeners(redis, round_.id, 1)
    await _listeners(redis, round_.id, 0)


@pytest.mark.parametrize("params", [{}, {"authorization": "Bearer ruam_not-a-real-token"}])
async def test_a_socket_without_a_valid_token_is_refused(live, params):
    async with connect(live, subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": params}))
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 10)
    assert closed.value.rcvd.code == 4403


async def test_reading_needs_the_read_scope_and_an_existing_round(live, committed):
    round_, _, _, params = await _deliberating_round(committed, scopes=("participate",))
    async with _client(live, params) as client:
        await client.subscribe("1", ROUND_EVENTS, roundId=str(round_.id))
        refused = await client.recv()
    assert refused["type"] == "error" and refused["id"] == "1"
    assert refused["payload"][0]["extensions"]["code"] == "not_permitted"
    assert "read" in refused["payload"][0]["message"]

    _, _, _, params = await _deliberating_round(committed)
    async with _client(live, params) as client:
        await client.subscribe("2", PROPOSAL_VERSIONS, roundId="0190c0de-0000-7000-8000-000000000000")
        missing = await client.recv()
    assert missing["type"] == "error" and missing["payload"][0]["extensions"]["code"] == "not_found"
    assert missing["payload"][0]["message"].startswith("No round with id")
