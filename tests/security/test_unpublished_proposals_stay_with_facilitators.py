"""A proposal version nobody published is its round's facilitators' working copy, never anyone else's.

Asked as a member of another round (or of the round itself) would: by the round's latest version, by
version number, by the list of versions, by global id, and by what changed since an unpublished one.
"""

from __future__ import annotations

import pytest

from schema import ids
from server.consolidation.service import consolidate, publish
from server.deliberation import service as deliberation
from tests.factories import make_member, make_round
from tests.schema.conftest import api, token_for  # noqa: F401 (fixture)
from tests.schema.scenario import deliberating_round

ROUND = """query ($id: ID!, $node: ID!) {
  round(id: $id) {
    latestProposal { version publishedAt }
    publishedProposal { version changesSince(version: 2) { firstVersion } }
    proposal(version: 2) { version }
    proposals(first: 10) { edges { node { version } } }
  }
  node(id: $node) { id }
}"""


@pytest.fixture
async def s(session):
    s = await deliberating_round(session)
    s.tokens["member_elsewhere"] = await token_for(session, await make_member(session, await make_round(session)))
    first = await consolidate(session, s.round.id)
    await publish(session, s.facilitator, s.round.id, first.version, while_voting=True)
    for villager in s.villagers:  # new input: a second version, which nobody published
        await deliberation.cast_vote(session, villager, s.clauses[1].id, "disagree")
    await deliberation.cast_vote(session, s.official, s.clauses[1].id, "agree")
    s.unpublished = await consolidate(session, s.round.id)
    assert s.unpublished.version == 2 and s.unpublished.published_at is None
    return s


@pytest.mark.parametrize("reader", ["member_elsewhere", "stranger", "villager", "facilitator_read_only"])
async def test_an_unpublished_version_is_not_readable(api, s, reader):
    data = await api.data(ROUND, {"id": s.round_id, "node": ids.encode("ConsolidatedProposal", s.unpublished.id)},
                          token=s.tokens[reader])
    shown = data["round"]
    assert shown["latestProposal"]["version"] == 1  # the newest they may read: the published one
    assert shown["proposal"] is None and data["node"] is None
    assert [e["node"]["version"] for e in shown["proposals"]["edges"]] == [1]
    assert shown["publishedProposal"]["changesSince"] is None  # nor what changed since it


async def test_the_facilitators_keep_their_working_copy(api, s):
    data = await api.data(ROUND, {"id": s.round_id, "node": ids.encode("ConsolidatedProposal", s.unpublished.id)},
                          token=s.tokens["facilitator"])
    shown = data["round"]
    assert shown["latestProposal"] == {"version": 2, "publishedAt": None}
    assert shown["proposal"] == {"version": 2} and data["node"] is not None
    assert [e["node"]["version"] for e in shown["proposals"]["edges"]] == [2, 1]
    assert shown["publishedProposal"]["changesSince"] == {"firstVersion": False}


async def test_what_changed_is_told_from_the_version_published_before(api, s, session):
    """A published version's `changes` may not describe an unpublished one in between."""
    for villager in s.villagers:
        await deliberation.cast_vote(session, villager, s.clauses[1].id, "agree")
    third = await consolidate(session, s.round.id)
    await publish(session, s.facilitator, s.round.id, third.version, while_voting=True)
    query = """query ($id: ID!) { round(id: $id) { publishedProposal { version
      changes { firstVersion statusChanged { statement before after } } } } }"""
    public = (await api.data(query, {"id": s.round_id}, token=s.tokens["member_elsewhere"]))["round"]
    staff = (await api.data(query, {"id": s.round_id}, token=s.tokens["facilitator"]))["round"]
    assert public["publishedProposal"]["version"] == staff["publishedProposal"]["version"] == 3
    # version 2 called clause 2 contested (every villager disagreed), version 3 does not; the public
    # compares 3 with 1, where clause 2 had no votes at all, so it never hears of version 2's status
    assert all(c["before"] != "contested" for c in public["publishedProposal"]["changes"]["statusChanged"])
    assert any(c["before"] == "contested" for c in staff["publishedProposal"]["changes"]["statusChanged"])
