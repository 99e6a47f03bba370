"""Votes accepted are counted in /metrics, by the path that stored them: castVote's fast lane or the service."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from schema import fastlane
from server.deliberation import fast
from tests.schema.scenario import deliberating_round

CAST = "mutation ($c: ID!, $x: VoteChoice!) { castVote(clauseId: $c, choice: $x) { __typename } }"


async def votes(api) -> dict[str, float]:
    scraped = await api.client.get("/metrics")
    return {sample.labels["lane"]: sample.value for family in text_string_to_metric_families(scraped.text)
            if family.name == "ruam_votes_accepted" for sample in family.samples if sample.name.endswith("_total")}


async def test_each_vote_stored_is_counted_once_by_its_path(api, session, monkeypatch):
    fast.forget()
    s = await deliberating_round(session, votes=False)
    before = await votes(api)

    answer = await api(CAST, {"c": s.gid("Clause", s.clauses[0]), "x": "AGREE"}, token=s.tokens["villager"])
    assert answer["data"]["castVote"]["__typename"] == "Vote"
    monkeypatch.setattr(fastlane, "covered", lambda body: None)  # the general path, through the service
    answer = await api(CAST, {"c": s.gid("Clause", s.clauses[1]), "x": "PASS"}, token=s.tokens["villager"])
    assert answer["data"]["castVote"]["__typename"] == "Vote"
    refused = await api(CAST, {"c": s.gid("Clause", s.clauses[1]), "x": "PASS"}, token=s.tokens["stranger"])
    assert refused["data"]["castVote"]["__typename"] != "Vote"

    after = await votes(api)
    assert after.get("fast", 0) == before.get("fast", 0) + 1
    assert after.get("service", 0) == before.get("service", 0) + 1
