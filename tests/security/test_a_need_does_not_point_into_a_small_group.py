"""A need carries the group of whoever raised it. For a group of fewer than 3 people that names one of
two or three people, so outside the round's facilitators it is not shown: neither on the need nor by
filtering needs on that group (nor in a proposal's unanswered needs: test_small_groups_are_not_worked_out)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from schema import ids
from server.rounds.models import StakeholderGroup
from tests.factories import make_member, make_participant, make_round
from tests.schema.conftest import api, token_for  # noqa: F401 (fixture)
from tests.schema.scenario import deliberating_round

NEEDS = """query ($round: ID!, $group: ID!) {
  round(id: $round) { needs(first: 20) { edges { node { title group { key } } } } }
  needs(filter: {groupId: $group}) { totalCount edges { node { title } } }
}"""


@pytest.fixture
async def s(session):
    s = await deliberating_round(session)  # one official: the government group has fewer than 3 people
    s.tokens["elsewhere"] = await token_for(session, await make_member(session, await make_round(session)))
    s.tokens["stranger"] = await token_for(session, await make_participant(session))
    s.government = await session.scalar(select(StakeholderGroup.id).where(
        StakeholderGroup.round_id == s.round.id, StakeholderGroup.key == "government"))
    # as if the official had raised it while needs were open: a need carries its author's group
    need = s.needs[1]
    need.author_id, need.group_id, need.title = s.official.id, s.government, "ถนนเข้าหมู่บ้านชำรุด"
    await session.flush()
    return s


async def _read(api, s, reader):
    return await api.data(NEEDS, {"round": s.round_id, "group": ids.encode("StakeholderGroup", s.government)},
                          token=s.tokens[reader])


@pytest.mark.parametrize("reader", ["elsewhere", "stranger", "villager"])
async def test_the_small_group_is_not_named_on_its_need(api, s, reader):
    data = await _read(api, s, reader)
    shown = {e["node"]["title"]: e["node"]["group"] for e in data["round"]["needs"]["edges"]}
    assert shown.get("ถนนเข้าหมู่บ้านชำรุด") is None, shown
    if reader == "villager":  # outside the round its needs are not listed at all (test_needs_stay_in_their_round)
        assert {g["key"] for g in shown.values() if g} == {"villagers"}  # a group of 3 is named
    assert data["needs"]["totalCount"] == 0 and "ถนนเข้าหมู่บ้านชำรุด" not in json.dumps(data["needs"])


async def test_its_facilitators_see_it(api, s):
    data = await _read(api, s, "facilitator")
    shown = {e["node"]["title"]: e["node"]["group"] for e in data["round"]["needs"]["edges"]}
    assert shown["ถนนเข้าหมู่บ้านชำรุด"] == {"key": "government"}
    assert data["needs"]["totalCount"] == 1
