"""A round's phases and groups are changed by its facilitators only.

Attacked from outside: a member and another round's facilitator post the setup forms straight (no
JavaScript, a valid CSRF token of their own session), and call editPhases and editGroups through
/graphql, a member even with a token that carries the facilitate scope. Nothing changes.
"""

import pytest
from sqlalchemy import select

from server.database import unit_of_work
from server.rounds.models import Round, StakeholderGroup
from tests.factories import make_round
from tests.schema import conftest as api_fixtures
from tests.schema.conftest import add_readers_from_elsewhere, token_for
from tests.schema.scenario import deliberating_round
from tests.web.conftest import client, committed, csrf_of, join_round  # noqa: F401 -- fixtures, for this module
from tests.web.facilitation import sign_in_as

api = api_fixtures.api  # the fixture, for this module

PHASES = {"count": "2", "phase-0-key": "needs", "phase-0-th": "ยึด", "phase-1-key": "drafting",
          "phase-1-opens": "vote:participant"}
GROUPS = {"count": "1", "group-0-key": "villagers", "group-0-th": "ยึด", "group-0-quorum": "0"}
EDIT_PHASES = """mutation ($round: ID!) { editPhases(input: {roundId: $round, phases: [{key: "deliberation"}]}) {
  __typename } }"""
EDIT_GROUPS = """mutation ($round: ID!) { editGroups(input: {roundId: $round, groups: [
  {key: "villagers", name: [{language: "th", text: "ยึด"}], quorum: 0}]}) { __typename } }"""


async def _unchanged(committed, round_) -> None:
    async with unit_of_work(committed) as session:
        stored = await session.get(Round, round_.id)
        group = await session.scalar(select(StakeholderGroup).where(
            StakeholderGroup.round_id == round_.id, StakeholderGroup.key == "villagers"))
    assert stored.phases == round_.phases and stored.current_phase == round_.current_phase
    assert group is not None and group.quorum != 0


async def test_a_member_posting_the_forms_is_refused(client, committed):
    joined, clause, _ = await join_round(client, committed, phase="drafting")
    token = csrf_of(await client.get(f"/drafts/{clause.draft_id}"))  # the member's own, valid token
    assert (await client.get(f"/facilitate/{joined.slug}/setup")).status_code == 403
    for path, data in (("phases", PHASES), ("groups", GROUPS)):
        refused = await client.post(f"/facilitate/{joined.slug}/setup/{path}", data={**data, "csrf_token": token})
        assert refused.status_code == 403, path
    await _unchanged(committed, joined)


async def test_another_rounds_facilitator_posting_the_forms_is_refused(client, committed):
    async with unit_of_work(committed) as session:
        theirs = await make_round(session, phase="drafting")
    await sign_in_as(client, committed)
    token = csrf_of(await client.get("/facilitate"))
    assert (await client.get(f"/facilitate/{theirs.slug}/setup")).status_code == 403
    for path, data in (("phases", PHASES), ("groups", GROUPS)):
        refused = await client.post(f"/facilitate/{theirs.slug}/setup/{path}", data={**data, "csrf_token": token})
        assert refused.status_code == 403, path
    await _unchanged(committed, theirs)


@pytest.mark.parametrize("reader", ["villager", "villager_with_facilitate", "member_elsewhere",
                                    "facilitator_elsewhere"])
async def test_no_one_but_its_facilitators_edits_a_round_through_the_api(api, session, reader):
    s = await deliberating_round(session, votes=False)
    await add_readers_from_elsewhere(session, s.tokens)
    s.tokens["villager_with_facilitate"] = await token_for(session, s.villagers[0], "read", "participate",
                                                           "facilitate")
    before = (list(s.round.phases), s.round.current_phase)
    for query, name in ((EDIT_PHASES, "editPhases"), (EDIT_GROUPS, "editGroups")):
        answer = (await api.data(query, {"round": s.round_id}, token=s.tokens[reader]))[name]
        assert answer["__typename"] == "NotPermitted", (reader, name, answer)
    await session.refresh(s.round)
    assert (s.round.phases, s.round.current_phase) == before
    villagers = await session.scalar(select(StakeholderGroup).where(
        StakeholderGroup.round_id == s.round.id, StakeholderGroup.key == "villagers"))
    assert villagers.quorum != 0
