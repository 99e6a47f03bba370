"""Why a comment was hidden is for the round's facilitators only (as `Comment.moderationReason` is):
the event log, a node fetch and a webhook body must not carry the reason to anyone else."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from server.deliberation import service as deliberation
from server.events.models import Event
from server.webhooks.service import public_message
from tests.schema import conftest as api_fixtures
from tests.schema.conftest import add_readers_from_elsewhere
from tests.schema.scenario import deliberating_round

api = api_fixtures.api  # the fixture, for this module

REASON = "ระบุชื่อและที่อยู่ของผู้อื่น"  # names and addresses of other people
MODERATED = """query ($id: ID!) { round(id: $id) { events(types: ["comment.moderated"]) {
  edges { node { id actorId payload } } } } }"""
NODE = """query ($id: ID!) { node(id: $id) { ... on Event { payload } } }"""


@pytest.fixture
async def s(session):
    s = await deliberating_round(session)
    comment = await deliberation.post_comment(session, s.villagers[0], body="บ้านของนายสมชาย เลขที่ 12",
                                              stance="question", clause_id=s.clauses[0].id)
    await deliberation.moderate_comment(session, s.facilitator, comment.id, state="hidden", reason=REASON)
    await session.flush()
    await add_readers_from_elsewhere(session, s.tokens)
    return s


async def _moderated(api, s, reader):
    data = await api.data(MODERATED, {"id": s.round_id}, token=s.tokens[reader])
    (edge,) = data["round"]["events"]["edges"]
    return edge["node"]


@pytest.mark.parametrize("reader", ["villager", "member_elsewhere", "facilitator_elsewhere", "stranger"])
async def test_no_one_but_the_facilitators_reads_the_reason(api, s, reader):
    event = await _moderated(api, s, reader)
    assert "reason" not in event["payload"] and event["payload"]["state"] == "hidden", event
    fetched = await api.data(NODE, {"id": event["id"]}, token=s.tokens[reader])
    assert REASON not in json.dumps(fetched, ensure_ascii=False)


async def test_a_webhook_gets_no_reason(s, session):
    event = await session.scalar(select(Event).where(Event.type == "comment.moderated", Event.round_id == s.round.id))
    shown = public_message(event)
    assert REASON not in shown and "reason" not in json.loads(shown)["payload"]


async def test_the_rounds_facilitators_read_the_reason_and_who_decided(api, s):
    event = await _moderated(api, s, "facilitator")
    assert event["payload"]["reason"] == REASON and event["actorId"]
