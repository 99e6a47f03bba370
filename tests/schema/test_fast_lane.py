"""castVote's fast lane (schema/fastlane.py, server/deliberation/fast.py) answers exactly as the general path.

Each answer it gives is compared with the general path's answer to the same request (the lane switched
off), refusals included; and what it remembers between votes never lets a change slip through.
"""

from __future__ import annotations

import asyncio
import hashlib
from datetime import datetime

import pytest
from sqlalchemy import func, select

from schema import fastlane
from schema import http as graphql_http
from server.auth import service as auth
from server.auth.models import ApiToken
from server.deliberation import fast
from server.deliberation.models import Vote
from server.drafts import service as drafts
from server.events.models import Event
from server.people import service as people
from server.rounds import service as rounds
from server.rounds.models import StakeholderGroup
from tests.schema.conftest import token_for
from tests.schema.scenario import deliberating_round

RESULT = "__typename ... on Error { message code }"
SIMPLE = "mutation ($c: ID!, $x: VoteChoice!) { castVote(clauseId: $c, choice: $x) { " + RESULT + \
         " ... on Vote { choice enteredByProxy updatedAt } } }"
COVERED = {
    "variables": SIMPLE,
    "aliases, literal choice, a named operation": """mutation Vote($c: ID!) { mine: castVote(clauseId: $c, choice: AGREE) {
        kind: __typename ... on Vote { agreed: choice at: updatedAt choice } } }""",
    "named fragments, on the union and on the interface": """mutation ($c: ID!, $x: VoteChoice!, $a: ID) {
        castVote(clauseId: $c, choice: $x, amendmentId: $a) { ...result ...err } }
        fragment result on CastVoteResult { __typename ... on Vote { updatedAt enteredByProxy } ... { ... on Vote { choice } } }
        fragment err on Error { message }""",
}


@pytest.fixture
async def s(session):
    fast.forget()
    return await deliberating_round(session, votes=False)


@pytest.fixture
def lane(monkeypatch):
    """Counts the votes the fast lane wrote; `lane.off()` sends every request down the general path."""

    class Lane:
        written = 0

        def off(self):
            monkeypatch.setattr(fastlane, "covered", lambda body: None)

        def on(self):
            monkeypatch.undo()
            watch()

    lane = Lane()

    def watch():
        real = graphql_http.cast_vote_with_token

        async def counted(*args, **kwargs):
            vote = await real(*args, **kwargs)
            lane.written += 1
            return vote

        monkeypatch.setattr(graphql_http, "cast_vote_with_token", counted)

    watch()
    return lane


async def _votes(session, participant) -> dict:
    rows = await session.execute(select(Vote.clause_id, Vote.value).where(Vote.participant_id == participant.id))
    return dict(rows.all())


@pytest.mark.parametrize("name", list(COVERED))
async def test_covered_documents_answer_as_the_general_path(api, s, session, lane, name):
    document = COVERED[name]
    variables = {"c": s.gid("Clause", s.clauses[0]), "x": "DISAGREE"}
    fast_answer = await api(document, variables, token=s.tokens["villager"])
    assert lane.written == 1, "the fast lane answered"
    vote = next(iter(fast_answer["data"].values()))
    stored = await session.scalar(select(Vote).where(Vote.participant_id == s.villagers[0].id))
    times = [v for v in vote.values() if isinstance(v, str) and "T" in v]
    assert all(datetime.fromisoformat(t) == stored.updated_at for t in times)

    lane.off()
    general = await api(document, variables, token=s.tokens["villager"])
    assert lane.written == 1
    # the same keys in the same order, the same values: in a test, now() is the same for both requests
    assert list(vote) == list(next(iter(general["data"].values())))
    assert fast_answer == general
    assert await _votes(session, s.villagers[0]) == {s.clauses[0].id: -1 if "choice: AGREE" not in document else 1}


async def test_the_vote_and_its_event_are_those_of_the_service(api, s, session, lane):
    answer = await api(SIMPLE, {"c": s.gid("Clause", s.clauses[1]), "x": "PASS"}, token=s.tokens["official"])
    assert answer["data"]["castVote"]["choice"] == "PASS" and lane.written == 1
    vote = await session.scalar(select(Vote).where(Vote.participant_id == s.official.id))
    assert (vote.clause_id, vote.value, vote.entered_by_id, vote.proxy_id, vote.amendment_id, vote.round_id) == (
        s.clauses[1].id, 0, s.official.id, None, None, s.round.id)
    event = await session.scalar(select(Event).where(Event.type == "vote.cast", Event.subject_id == vote.id))
    government = await session.scalar(select(StakeholderGroup.id).where(
        StakeholderGroup.round_id == s.round.id, StakeholderGroup.key == "government"))
    assert (event.round_id, event.actor_id) == (s.round.id, s.official.id)
    payload = dict(event.payload)
    assert len(payload.pop("request_id")) == 32  # the request that cast it, as every event carries
    assert payload == {"clause_id": str(s.clauses[1].id), "amendment_id": None, "choice": "pass",
                       "group_id": str(government), "proxy_id": None}

    again = await api(SIMPLE, {"c": s.gid("Clause", s.clauses[1]), "x": "AGREE"}, token=s.tokens["official"])
    assert again["data"]["castVote"]["choice"] == "AGREE" and lane.written == 2
    assert await session.scalar(select(func.count()).select_from(Vote).where(Vote.participant_id == s.official.id)) == 1
    events = await session.scalar(select(func.count()).select_from(Event).where(Event.subject_id == vote.id))
    assert events == 2  # one per vote cast, the re-vote included


async def test_refusals_are_the_general_paths_typed_errors(api, s, session, lane):
    """Whatever the lane refuses goes down the general path, which writes nothing and explains it."""
    stranger = (await api(SIMPLE, {"c": s.gid("Clause", s.clauses[0]), "x": "AGREE"},
                          token=s.tokens["stranger"]))["data"]["castVote"]
    read_only = (await api(SIMPLE, {"c": s.gid("Clause", s.clauses[0]), "x": "AGREE"},
                           token=s.tokens["facilitator_read_only"]))["data"]["castVote"]
    nowhere = (await api(SIMPLE, {"c": s.gid("Clause", s.draft), "x": "AGREE"},
                         token=s.tokens["villager"]))["data"]["castVote"]
    amendment = await drafts.propose_amendment(session, s.official, s.clauses[1].id, text="เร็วขึ้น", rationale="")
    elsewhere = (await api(COVERED["named fragments, on the union and on the interface"],
                           {"c": s.gid("Clause", s.clauses[0]), "x": "AGREE", "a": s.gid("Amendment", amendment)},
                           token=s.tokens["villager"]))["data"]["castVote"]
    for_someone = (await api(
        "mutation ($c: ID!, $p: ID) { castVote(clauseId: $c, choice: AGREE, onBehalfOf: $p) { " + RESULT + " } }",
        {"c": s.gid("Clause", s.clauses[0]), "p": s.gid("Participant", s.villagers[1])},
        token=s.tokens["villager"]))["data"]["castVote"]
    assert [stranger["__typename"], read_only["__typename"], nowhere["__typename"], elsewhere["__typename"],
            for_someone["__typename"]] == ["NotPermitted", "NotPermitted", "NotFound", "NotFound", "ProxyRequired"]
    assert read_only["message"] == "This token does not allow participate."
    assert lane.written == 0 and await session.scalar(select(func.count()).select_from(Vote).where(Vote.round_id == s.round.id)) == 0

    lane.off()
    for token, expected in (("stranger", stranger), ("facilitator_read_only", read_only)):
        general = await api(SIMPLE, {"c": s.gid("Clause", s.clauses[0]), "x": "AGREE"}, token=s.tokens[token])
        assert general["data"]["castVote"] == expected


async def test_what_it_remembers_never_outlives_a_change(api, s, session, lane):
    """A moved phase, a new group, a revoked token, a withdrawal: each counts from the very next vote."""
    vote = {"c": s.gid("Clause", s.clauses[0]), "x": "AGREE"}
    assert (await api(SIMPLE, vote, token=s.tokens["villager"]))["data"]["castVote"]["__typename"] == "Vote"
    # an amendment of another clause, then of this one, with the context remembered from that vote
    on_amendment = COVERED["named fragments, on the union and on the interface"]
    other = await drafts.propose_amendment(session, s.official, s.clauses[1].id, text="เร็วขึ้น", rationale="")
    this = await drafts.propose_amendment(session, s.official, s.clauses[0].id, text="ช้าลง", rationale="")
    wrong = await api(on_amendment, {**vote, "a": s.gid("Amendment", other)}, token=s.tokens["villager"])
    assert wrong["data"]["castVote"]["__typename"] == "NotFound"
    right = await api(on_amendment, {**vote, "a": s.gid("Amendment", this)}, token=s.tokens["villager"])
    assert right["data"]["castVote"]["__typename"] == "Vote"
    amended = await session.scalars(select(Vote.amendment_id).where(Vote.amendment_id.is_not(None)))
    assert list(amended) == [this.id] and lane.written == 2

    await rounds.move_phase(session, s.facilitator, s.round.id, "consolidation")
    closed = (await api(SIMPLE, vote, token=s.tokens["villager"]))["data"]["castVote"]
    assert closed["__typename"] == "PhaseClosed" and closed["code"] == "phase_closed"
    await rounds.move_phase(session, s.facilitator, s.round.id, "deliberation")
    assert (await api(SIMPLE, vote, token=s.tokens["villager"]))["data"]["castVote"]["__typename"] == "Vote"

    await rounds.add_member(session, s.facilitator, s.round.id, s.villagers[0].id, group_key="government")
    assert (await api(SIMPLE, vote, token=s.tokens["villager"]))["data"]["castVote"]["__typename"] == "Vote"
    latest = await session.scalar(select(Event).where(Event.type == "vote.cast").order_by(Event.id.desc()).limit(1))
    government = await session.scalar(select(StakeholderGroup.id).where(
        StakeholderGroup.round_id == s.round.id, StakeholderGroup.key == "government"))
    assert latest.payload["group_id"] == str(government)
    assert lane.written == 4

    token = await session.scalar(select(ApiToken).where(
        ApiToken.token_hash == hashlib.sha256(s.tokens["villager"].encode()).hexdigest()))
    await auth.revoke_token(session, None, token.id)
    revoked = await api(SIMPLE, vote, token=s.tokens["villager"], status=401)
    assert revoked["errors"][0]["extensions"]["code"] == "not_permitted"

    official = await token_for(session, s.official)
    assert (await api(SIMPLE, vote, token=official))["data"]["castVote"]["__typename"] == "Vote"
    await people.withdraw(session, s.official, s.official.id)
    await api(SIMPLE, vote, token=official, status=401)
    assert lane.written == 5


async def test_unusual_variables_and_proxy_votes_take_the_general_path(api, s, lane):
    clause = s.gid("Clause", s.clauses[0])
    assert (await api(SIMPLE, {"c": clause, "x": "agree"}, token=s.tokens["villager"]))["errors"]
    assert (await api(SIMPLE, {"c": clause}, token=s.tokens["villager"]))["errors"]
    assert (await api(SIMPLE, {"c": ["x"], "x": "AGREE"}, token=s.tokens["villager"]))["errors"]
    proxy = "mutation ($c: ID!, $p: ID) { castVote(clauseId: $c, choice: AGREE, proxyId: $p) { " + RESULT + " } }"
    refused = (await api(proxy, {"c": clause, "p": clause}, token=s.tokens["villager"]))["data"]["castVote"]
    assert refused["__typename"] == "NotPermitted"  # the facilitate scope, checked by the general path
    assert lane.written == 0


def test_only_what_the_write_answers_is_covered():
    assert fastlane.compile_plan(SIMPLE).keys == (("__typename", "__typename"), ("choice", "choice"),
                                                  ("enteredByProxy", "enteredByProxy"), ("updatedAt", "updatedAt"))
    for document in (
        SIMPLE.replace("updatedAt", "updatedAt clause { position }"),  # needs the clause
        SIMPLE.replace("updatedAt", "updatedAt @include(if: true)"),  # directives
        SIMPLE + " query Q { __typename }",  # two operations
        "query { __typename }",
        "mutation { castVote(clauseId: 1) { __typename } }",  # invalid: no choice
        "mutation ($c: ID! = \"x\") { castVote(clauseId: $c, choice: AGREE) { __typename } }",  # a default
        ("mutation ($c: ID!) { a: castVote(clauseId: $c, choice: AGREE) { __typename } "
         "b: castVote(clauseId: $c, choice: PASS) { __typename } }"),
    ):
        assert fastlane.plan_for(document) is None, document


async def test_rate_limit_leases_never_let_more_than_the_limit_through(redis):
    """Two processes (two views) sharing Redis: each leases hits in blocks, and together they never pass
    more than the limit in a window; one may refuse a little early while the other holds a lease."""
    from starlette.requests import Request

    views = [graphql_http.GraphQLApp(), graphql_http.GraphQLApp()]
    for view in views:
        view.per_address, view.per_token = (10**6, 86_400), (400, 86_400)  # a window no test run crosses
    request = Request({"type": "http", "client": ("127.0.0.9", 1), "headers": []})
    bearer = "ruam_lease_test_" + hashlib.sha256(str(datetime.now()).encode()).hexdigest()
    passed = [0, 0]
    for i in range(500):
        if await views[i % 2]._rate_limited(redis, request, bearer) is None:
            passed[i % 2] += 1
    assert 400 - (graphql_http._lease(400) - 1) <= sum(passed) <= 400
    assert min(passed) > 150  # both took their share


async def _concurrent_votes(api, s, session):
    """Every member votes on both clauses at once, and villager 1 twice on clause 1 (agree, then disagree)."""
    members = [*s.villagers, s.official]
    tokens = [s.tokens["villager"], *[await token_for(session, v) for v in s.villagers[1:]], s.tokens["official"]]
    sent = [(t, c, "AGREE") for t in tokens for c in s.clauses] + [(tokens[0], s.clauses[0], "DISAGREE")]
    answers = await asyncio.gather(*(api(SIMPLE, {"c": s.gid("Clause", c), "x": x}, token=t) for t, c, x in sent))
    return members, answers


async def test_votes_arriving_together_are_written_together(api, s, session, lane, monkeypatch):
    batches = []
    real = graphql_http.write_votes

    async def recorded(conn, items):
        batches.append([(item[0], item[1]) for item in items])
        return await real(conn, items)

    monkeypatch.setattr(graphql_http, "write_votes", recorded)
    members, answers = await _concurrent_votes(api, s, session)
    assert all(a["data"]["castVote"]["__typename"] == "Vote" for a in answers)
    assert max(map(len, batches)) > 1, "votes waiting for the database left together"
    assert all(len(set(batch)) == len(batch) for batch in batches), "a token's votes on a clause never share one"
    stored = await session.execute(select(Vote.participant_id, Vote.clause_id, Vote.value)
                                   .where(Vote.round_id == s.round.id))
    stored = {(p, c): v for p, c, v in stored.all()}
    assert len(stored) == 2 * len(members)
    assert all(v == 1 for key, v in stored.items() if key != (s.villagers[0].id, s.clauses[0].id))
    events = await session.scalar(select(func.count()).select_from(Event).where(
        Event.type == "vote.cast", Event.round_id == s.round.id))
    assert events == len(answers) == lane.written


async def test_requests_in_flight_share_one_lease_at_a_time(redis):
    """Under contention one lease per key is on its way at a time, and the others wait for it instead of
    each going to Redis (a stampede that held some requests for hundreds of milliseconds); the one who
    fetched it takes its own hit first, so it is never left behind."""
    from starlette.requests import Request

    view = graphql_http.GraphQLApp()
    view.per_address, view.per_token = (10**6, 86_400), (10**6, 86_400)
    trips: dict[int, int] = {}
    script = view._counter(redis)

    async def counted(**kwargs):
        task = id(asyncio.current_task())
        trips[task] = trips.get(task, 0) + 1
        await asyncio.sleep(0.002)  # Redis is a round trip away, while others go on spending
        return await script(**kwargs)

    view._counting = (redis, counted)
    request = Request({"type": "http", "client": ("127.0.0.8", 1), "headers": []})
    bearer = "ruam_contention_" + hashlib.sha256(str(datetime.now()).encode()).hexdigest()

    async def one():
        for _ in range(20):
            assert await view._rate_limited(redis, request, bearer) is None
            await asyncio.sleep(0)

    await asyncio.gather(*(one() for _ in range(50)))
    assert sum(trips.values()) <= 4  # 1,000 requests, leases of 1,000 hits (both keys in one trip)
    leased = [int(await redis.get(key)) for key in await redis.keys("ruam:rate:graphql:token:*")]
    assert sum(leased) >= 1000
