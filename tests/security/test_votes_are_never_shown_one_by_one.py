"""Nobody outside a round's facilitators reads how one person voted, whichever way they ask.

The round has three villagers and one government official: the official's vote is a group of one,
which the support figures hide as "fewer than 3". The event log, the roundEvents subscription and a
webhook's body must not hand it out one by one either: no choice, no group, no proxy, and not the
vote's id (it stays the same when a person votes again, so it links their votes together).
"""

from __future__ import annotations

import json

import pytest
from strawberry.relay import to_base64

from server.database import unit_of_work
from server.deliberation import service as deliberation
from server.people.models import Participant
from server.rounds import service as rounds
from server.webhooks import service as webhooks
from tests.factories import make_clause, make_member, make_participant, make_round
from tests.schema import conftest as api_fixtures
from tests.schema import test_subscriptions as subscription_fixtures
from tests.schema import test_webhooks as webhook_fixtures
from tests.schema.conftest import token_for
from tests.schema.scenario import deliberating_round
from tests.schema.test_subscriptions import ROUND_EVENTS, _client, _listeners, _params
from tests.workers import conftest as worker_fixtures
from tests.workers.conftest import run_jobs
from workers.relay import relay_once

# the fixtures of the API, subscription, webhook and worker tests, for this module
api, live = api_fixtures.api, subscription_fixtures.live
receiver, loopback_receivers = webhook_fixtures.receiver, webhook_fixtures.loopback_receivers
committed, runtime, queue, settings = (worker_fixtures.committed, worker_fixtures.runtime,
                                       worker_fixtures.queue, worker_fixtures.settings)

ONE_BY_ONE = {"choice", "group_id", "proxy_id"}
WHERE = {"clause_id", "amendment_id"}  # which statement was voted on: what a live view needs to refresh

VOTES = """query ($id: ID!) { round(id: $id) { events(types: ["vote.cast"], first: 50) {
  edges { node { id actorId subjectId payload } } } } }"""
NODE = """query ($id: ID!) { node(id: $id) { ... on Event { type actorId subjectId payload } } }"""


@pytest.fixture
async def s(session):
    s = await deliberating_round(session)
    other = await make_round(session)
    s.tokens["member_elsewhere"] = await token_for(session, await make_member(session, other))
    elsewhere = await make_participant(session, role="facilitator")
    await make_round(session, elsewhere)
    s.tokens["facilitator_elsewhere"] = await token_for(session, elsewhere, "read", "participate", "facilitate")
    return s


async def _votes(api, s, reader):
    data = await api.data(VOTES, {"id": s.round_id}, token=s.tokens[reader])
    return [e["node"] for e in data["round"]["events"]["edges"]]


def _gives_away(event: dict) -> set[str]:
    """What in a relayed or logged vote.cast tells one person's vote from another's."""
    given = set(event["payload"]) - WHERE
    if event.get("subjectId") or event.get("subject_id"):
        given.add("vote id")
    if event.get("actorId") or event.get("actor_id"):
        given.add("voter")
    return given


@pytest.mark.parametrize("reader", ["member_elsewhere", "facilitator_elsewhere", "stranger", "facilitator_read_only"])
async def test_the_event_log_and_node_show_no_ones_vote(api, s, reader):
    votes = await _votes(api, s, reader)
    assert len(votes) == 4
    for vote in votes:
        assert _gives_away(vote) == set(), vote
        assert vote["payload"]["clause_id"] == str(s.clauses[0].id)
        fetched = (await api.data(NODE, {"id": vote["id"]}, token=s.tokens[reader]))["node"]
        assert _gives_away(fetched) == set(), fetched


async def test_a_member_reads_their_own_vote_and_nobody_elses(api, s):
    votes = await _votes(api, s, "official")
    mine = [v for v in votes if "choice" in v["payload"]]
    assert [v["payload"]["choice"] for v in mine] == ["disagree"]
    assert mine[0]["payload"]["group_id"] is not None and mine[0]["subjectId"]
    assert all(_gives_away(v) == set() for v in votes if v is not mine[0])


async def test_the_rounds_facilitator_still_sees_each_vote_but_not_who_cast_it(api, s):
    votes = await _votes(api, s, "facilitator")
    assert sorted(v["payload"]["choice"] for v in votes) == ["agree", "agree", "agree", "disagree"]
    assert all(ONE_BY_ONE <= set(v["payload"]) and v["subjectId"] for v in votes)
    assert all(v["actorId"] is None for v in votes)


async def _deliberating_round(committed):
    async with unit_of_work(committed) as session:
        facilitator = await make_participant(session, role="facilitator")
        round_ = await make_round(session, facilitator)
        clause = await make_clause(session, round_)
        official = await make_member(session, round_, group_key="government")  # a group of one
        neighbour = await make_member(session, round_)
        other = await make_round(session)
        elsewhere = await make_member(session, other)
        other_facilitator = await session.get(Participant, other.created_by_id)
        await rounds.move_phase(session, facilitator, round_.id, "deliberation")
        readers = {"member": await _params(session, neighbour, ["read"]),
                   "member_elsewhere": await _params(session, elsewhere, ["read"]),
                   "facilitator_elsewhere": await _params(session, other_facilitator, ["read", "facilitate"]),
                   "facilitator": await _params(session, facilitator, ["read", "facilitate"])}
    return round_, clause, official, facilitator, readers


async def test_the_subscription_shows_that_a_vote_happened_not_what_it_was(live, committed, runtime, queue, redis):
    round_, clause, official, _, readers = await _deliberating_round(committed)
    await relay_once(runtime, queue)
    received = {}
    async with (_client(live, readers["member"]) as member, _client(live, readers["member_elsewhere"]) as elsewhere,
                _client(live, readers["facilitator_elsewhere"]) as other_staff,
                _client(live, readers["facilitator"]) as staff):
        clients = {"member": member, "member_elsewhere": elsewhere, "facilitator_elsewhere": other_staff,
                   "facilitator": staff}
        for name, client in clients.items():
            await client.subscribe(name, ROUND_EVENTS, roundId=to_base64("Round", round_.id), types=["vote.cast"])
        await _listeners(redis, round_.id, len(clients))
        async with unit_of_work(committed) as session:
            await deliberation.cast_vote(session, official, clause.id, "disagree")
        await relay_once(runtime, queue)
        for name, client in clients.items():
            received[name] = (await client.recv())["payload"]["data"]["roundEvents"]
    for name in ("member", "member_elsewhere", "facilitator_elsewhere"):
        assert _gives_away(received[name]) == set(), (name, received[name])
        assert received[name]["payload"]["clause_id"] == str(clause.id)
    assert received["facilitator"]["payload"]["choice"] == "disagree" and received["facilitator"]["actorId"] is None


async def test_a_webhook_body_carries_no_ones_vote(committed, runtime, queue, receiver):
    round_, clause, official, facilitator, _ = await _deliberating_round(committed)
    await relay_once(runtime, queue)
    await queue.flushdb()
    inbox = receiver()
    async with unit_of_work(committed) as session:
        await webhooks.register_webhook(session, facilitator, round_.id, url=inbox.url, event_types=["vote.cast"])
    async with unit_of_work(committed) as session:
        await deliberation.cast_vote(session, official, clause.id, "disagree")
    await relay_once(runtime, queue)
    await run_jobs(queue, runtime)
    ((_, headers, body),) = inbox.requests
    sent = json.loads(body)
    assert headers["X-Ruam-Event"] == "vote.cast" and sent["payload"]["clause_id"] == str(clause.id)
    assert _gives_away(sent) == set(), sent
    assert "disagree" not in body.decode()
