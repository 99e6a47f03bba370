"""castVote's fast lane never accepts a vote that the general path refuses, and stores what it would.

The fast lane (schema/fastlane.py, server/deliberation/fast.py) answers most castVote requests with one
statement of its own; the general path answers everything through service.cast_vote. An integrator, or
anyone holding a token, meets whichever answers. Tried from outside: each case is sent to /graphql with a
bearer token twice, with the fast lane answering what it covers and with it switched off, in a world that
hypothesis puts in every state: the round's phase, who holds the token (member, group-less member,
facilitator, admin, outsider, integrator, member of another round), its scopes, revoked or not, the person
withdrawn or not, the clause (of this round, of another, none), the amendment (none, the clause's, another
clause's, none such), on whose behalf, through a proxy record or not, and the choice. The lane remembers
contexts from earlier cases, whose changes have been rolled back since.

Both requests must get the same answer, and leave the same votes and the same vote.cast events behind;
and whenever the lane itself accepted, the general path accepted too.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, event, example, given, settings

from schema import fastlane, ids
from schema import http as graphql_http
from tests.schema import conftest as api_fixtures
from tests.vote_paths import Case, build_world, cases, prepare, stored

api = api_fixtures.api

CAST_VOTE = """mutation ($c: ID!, $x: VoteChoice!, $a: ID, $b: ID, $p: ID) {
  castVote(clauseId: $c, choice: $x, amendmentId: $a, onBehalfOf: $b, proxyId: $p) {
    __typename ... on Vote { choice enteredByProxy updatedAt } ... on Error { message code } } }"""


class Lane:
    """Switches the fast lane on and off, and counts the votes it accepted itself."""

    on = True
    accepted = 0


@pytest.fixture
def lane(monkeypatch):
    switch = Lane()
    covered, cast = fastlane.covered, graphql_http.cast_vote_with_token

    async def counted(*args, **kwargs):
        vote = await cast(*args, **kwargs)
        switch.accepted += 1
        return vote

    monkeypatch.setattr(fastlane, "covered", lambda body: covered(body) if switch.on else None)
    monkeypatch.setattr(graphql_http, "cast_vote_with_token", counted)
    return switch


@pytest.fixture
async def world(session, api):
    api.view.per_address = (10**6, 60)  # every case comes from one address
    return await build_world(session)


def _variables(world, case: Case) -> dict[str, object]:
    asked = case.ids(world)
    return {"c": ids.encode("Clause", asked["clause_id"]), "x": case.choice,
            "a": ids.encode("Amendment", asked["amendment_id"]) if asked["amendment_id"] else None,
            "b": ids.encode("Participant", asked["on_behalf_of"]) if asked["on_behalf_of"] else None,
            "p": ids.encode("ProxyRecord", world.proxy_id) if case.proxy else None}


async def _sent(api, session, world, case: Case):
    savepoint = await session.begin_nested()
    try:
        token = await prepare(session, world, case)
        response = await api.client.post("/graphql", json={"query": CAST_VOTE, "variables": _variables(world, case)},
                                         headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})
        return response.status_code, response.json(), await stored(session, world)
    finally:
        await savepoint.rollback()


@settings(max_examples=200, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=cases(["AGREE", "DISAGREE", "PASS", "agree"], proxies=True))
@example(case=Case("villager", "participate", False, False, "deliberation", "first", None, None, "AGREE", False))
@example(case=Case("villager", "participate", False, False, "consolidation", "first", None, None, "AGREE", False))
@example(case=Case("villager", "participate", True, False, "deliberation", "first", None, None, "AGREE", False))
@example(case=Case("villager", "participate", False, False, "deliberation", "first", "second", None, "PASS", False))
async def test_the_fast_lane_never_accepts_what_the_service_refuses(api, session, world, lane, case):
    lane.on, before = True, lane.accepted
    fast = await _sent(api, session, world, case)
    by_the_lane = lane.accepted > before
    lane.on = False
    general = await _sent(api, session, world, case)
    assert lane.accepted == before + by_the_lane, "the lane answers nothing while it is switched off"

    status, answer, _ = general
    accepted = status == 200 and (answer.get("data") or {}).get("castVote", {}).get("__typename") == "Vote"
    assert accepted or not by_the_lane, f"the fast lane accepted what the general path refuses: {answer}"
    assert fast == general  # the same answer, the same votes and vote.cast events stored
    event("accepted by the fast lane" if by_the_lane else "accepted by the service" if accepted else "refused")
