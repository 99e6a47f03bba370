"""The event log must not let anyone outside a round's facilitators count a small group.

Each membership.set named the member's group, and each invites.created the group and how many
codes it got: counting them gives a group's size, which the support figures hide as "fewer than 3".
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from server.auth.service import create_invites
from server.events.models import Event
from server.webhooks.service import public_message
from tests.schema import conftest as api_fixtures
from tests.schema.conftest import add_readers_from_elsewhere
from tests.schema.scenario import deliberating_round

api = api_fixtures.api  # the fixture, for this module

EVENTS = """query ($id: ID!) { round(id: $id) { events(types: ["membership.set", "invites.created"], first: 50) {
  edges { node { type subjectId payload } } } } }"""


@pytest.fixture
async def s(session):
    s = await deliberating_round(session)
    await create_invites(session, s.facilitator, s.round.id, group_key="government", count=2)
    await session.flush()
    await add_readers_from_elsewhere(session, s.tokens)
    return s


async def _events(api, s, reader):
    data = await api.data(EVENTS, {"id": s.round_id}, token=s.tokens[reader])
    return [e["node"] for e in data["round"]["events"]["edges"]]


@pytest.mark.parametrize("reader", ["villager", "official", "member_elsewhere", "facilitator_elsewhere", "stranger"])
async def test_no_group_can_be_counted_from_the_log(api, s, reader):
    events = await _events(api, s, reader)
    assert {e["type"] for e in events} == {"membership.set", "invites.created"}
    text = json.dumps(events)
    assert "government" not in text and "villagers" not in text, events
    assert all("count" not in e["payload"] and "max_uses" not in e["payload"] for e in events)


async def test_nor_from_a_webhook(s, session):
    for event in await session.scalars(select(Event).where(Event.round_id == s.round.id,
                                                           Event.type.in_(["membership.set", "invites.created"]))):
        body = json.loads(public_message(event))
        assert "group" not in body["payload"] and "count" not in body["payload"], body


async def test_the_rounds_facilitators_see_groups(api, s):
    events = await _events(api, s, "facilitator")
    groups = [e["payload"]["group"] for e in events if e["type"] == "membership.set"]
    assert groups.count("villagers") == 3 and groups.count("government") == 1
    (invites,) = [e for e in events if e["type"] == "invites.created"]
    assert invites["payload"]["count"] == 2
