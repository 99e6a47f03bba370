"""Each event shows each reader only what that reader may know elsewhere in Ruam.

- a member's answer to "was this commitment delivered?" is theirs alone (counts are public);
- a proposal version is announced to the round's facilitators until it is published;
- the address an integrator's webhook posts to is the facilitators' business;
- a need or comment hidden by the facilitators does not live on in the event log's payloads.
"""

from __future__ import annotations

import json

import pytest

from server.commitments import service as commitments
from server.consolidation.service import consolidate
from server.deliberation import service as deliberation
from server.webhooks import service as webhooks
from tests.factories import make_commitment, make_member, make_round, publish_round
from tests.schema import conftest as api_fixtures
from tests.schema.conftest import token_for
from tests.schema.scenario import deliberating_round

api = api_fixtures.api  # the fixture, for this module

EVENTS = """query ($id: ID!, $types: [String!]) { round(id: $id) { events(types: $types, first: 50) {
  edges { node { type actorId subjectId payload } } } } }"""


@pytest.fixture
async def s(session):
    s = await deliberating_round(session)
    s.tokens["member_elsewhere"] = await token_for(session, await make_member(session, await make_round(session)))
    s.tokens["second_villager"] = await token_for(session, s.villagers[1])
    return s


async def _events(api, s, reader, *types):
    data = await api.data(EVENTS, {"id": s.round_id, "types": list(types)}, token=s.tokens[reader])
    return [e["node"] for e in data["round"]["events"]["edges"]]


async def test_a_members_delivery_check_is_theirs_alone(api, s, session):
    await publish_round(session, s.round)
    commitment = await make_commitment(session, s.clauses[0])
    await commitments.check_commitment(session, s.villagers[0], commitment.id, answer="not_delivered")
    await session.flush()
    for reader in ("facilitator", "second_villager", "official", "member_elsewhere"):
        (checked,) = await _events(api, s, reader, "commitment.checked")
        assert "answer" not in checked["payload"] and checked["actorId"] is None, (reader, checked)
    (mine,) = await _events(api, s, "villager", "commitment.checked")
    assert mine["payload"]["answer"] == "not_delivered"


async def test_an_unpublished_version_is_announced_to_facilitators_only(api, s, session):
    await consolidate(session, s.round.id)
    await session.flush()
    for reader in ("villager", "member_elsewhere", "stranger"):
        (made,) = await _events(api, s, reader, "proposal.consolidated")
        assert made["payload"] == {} and made["subjectId"] is None, (reader, made)
    (made,) = await _events(api, s, "facilitator", "proposal.consolidated")
    assert made["payload"]["version"] == 1 and made["subjectId"]


async def test_a_webhooks_address_is_for_facilitators(api, s, session):
    await webhooks.register_webhook(session, s.facilitator, s.round.id, url="https://hooks.ministry.example/ruam",
                                    event_types=["proposal.published"])
    await session.flush()
    for reader in ("villager", "member_elsewhere"):
        (registered,) = await _events(api, s, reader, "webhook.registered")
        assert "ministry.example" not in json.dumps(registered), registered
    (registered,) = await _events(api, s, "facilitator", "webhook.registered")
    assert registered["payload"]["host"] == "hooks.ministry.example"


async def test_hidden_needs_and_comments_leave_no_content_in_the_log(api, s, session):
    s.needs[1].status = "hidden"
    comment = await deliberation.post_comment(session, s.villagers[2], body="ความเห็นที่ถูกซ่อน", stance="oppose",
                                              clause_id=s.clauses[0].id)
    await deliberation.moderate_comment(session, s.facilitator, comment.id, state="hidden", reason="ไม่สุภาพ")
    await session.flush()
    for reader in ("villager", "member_elsewhere"):
        events = await _events(api, s, reader, "need.submitted", "comment.posted")
        for event in events:
            assert not {"area_code", "sector", "hazards", "severity", "people_affected", "stance"} & set(
                event["payload"]), (reader, event)
    staff = await _events(api, s, "facilitator", "need.submitted", "comment.posted")
    assert {e["payload"].get("sector") for e in staff if e["type"] == "need.submitted"} >= {"health"}
    assert [e["payload"]["stance"] for e in staff if e["type"] == "comment.posted"] == ["oppose"]
