"""A need its facilitators hid is not shown to anyone else, whichever way it is reached: through a
visible comment on it, or through a published proposal that was computed while it was open."""

from __future__ import annotations

import json

import pytest

from schema import ids
from server.consolidation.service import consolidate, publish
from server.deliberation.service import post_comment
from tests.factories import make_member, make_participant, make_round
from tests.schema.conftest import api, token_for  # noqa: F401 (fixture)
from tests.schema.scenario import deliberating_round

SECRET = "ชื่อและที่อยู่ของผู้ร้องเรียน"


@pytest.fixture
async def s(session):
    s = await deliberating_round(session)
    s.tokens["elsewhere"] = await token_for(session, await make_member(session, await make_round(session)))
    s.needs[0].title = SECRET
    s.comment = await post_comment(session, s.villagers[1], need_id=s.needs[0].id, stance="support",
                                   body="เห็นด้วยกับคำร้องนี้")
    proposal = await consolidate(session, s.round.id)  # the need is open: clause 1 answers it
    await publish(session, s.facilitator, s.round.id, proposal.version, while_voting=True)
    s.needs[0].status = "hidden"  # as its facilitators decide after publication
    s.needs[1].status = "hidden"  # the one no clause answers
    await session.flush()
    return s


@pytest.mark.parametrize("reader", ["elsewhere", "stranger", "official"])
async def test_a_visible_comment_does_not_lead_to_its_hidden_need(api, s, reader):
    data = await api.data("query ($id: ID!) { node(id: $id) { ... on Comment { body need { id title } } } }",
                          {"id": ids.encode("Comment", s.comment.id)}, token=s.tokens[reader])
    assert data["node"] is None or data["node"]["need"] is None, data
    assert SECRET not in json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize("reader", ["elsewhere", "stranger", "official"])
async def test_a_published_proposal_does_not_list_hidden_needs(api, s, reader):
    data = await api.data("""query ($id: ID!) { round(id: $id) { publishedProposal {
      clauses { answers } unansweredNeeds { groupKey needs } } } }""", {"id": s.round_id}, token=s.tokens[reader])
    text = json.dumps(data)
    for need in s.needs:
        assert ids.encode("Need", need.id) not in text, data


async def test_its_facilitators_still_reach_it(api, s):
    data = await api.data("query ($id: ID!) { node(id: $id) { ... on Comment { need { title } } } }",
                          {"id": ids.encode("Comment", s.comment.id)}, token=s.tokens["facilitator"])
    assert data["node"]["need"] == {"title": SECRET}


async def test_a_stranger_gets_nothing_else(api, s, session):
    token = await token_for(session, await make_participant(session))
    data = await api.data("query ($id: ID!) { node(id: $id) { id } }", {"id": ids.encode("Need", s.needs[0].id)},
                          token=token)
    assert data["node"] is None
