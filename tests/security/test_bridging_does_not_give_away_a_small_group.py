"""A clause's "agreed across groups" score rests on every declared group's figures: taken with the figures
of the groups shown, it would give a small group's support (score ** G over the others' product). Outside
the round's facilitators it is shown only when every group's figures are, and a group of fewer than 3 is
not named among those lacking votes for it.

Tried through /graphql by a member of another round, a member of the round and a stranger, in two rounds
alike but for how the two officials voted, and through the public CSV and JSON of a published version.
"""

from __future__ import annotations

import csv
import io

import pytest

from schema import ids
from server.consolidation.service import consolidate, publish
from server.database import unit_of_work
from server.deliberation.service import cast_vote
from server.people.models import Participant
from server.rounds.service import GroupSpec, move_phase
from tests.factories import make_clause, make_member, make_participant, make_round
from tests.schema.conftest import api, token_for  # noqa: F401 (fixture)
from tests.web.conftest import client, committed  # noqa: F401 (fixture)
from tests.web.facilitation import my_round

GROUPS = [GroupSpec("villagers", {"en": "Villagers"}, quorum=3), GroupSpec("officials", {"en": "Officials"}, quorum=3)]

BRIDGING = """query ($id: ID!) { round(id: $id) { latestProposal {
  statements { bridging { score groupsLackingVotes } groups { groupKey support } }
  clauses { bridging { score groupsLackingVotes } }
} } }"""


async def _round(session, officials_vote: str, facilitator=None):
    """Four villagers agree; the two officials (fewer than 3) both vote `officials_vote`."""
    round_ = await make_round(session, facilitator, groups=GROUPS)
    facilitator = await session.get(Participant, round_.created_by_id)
    villagers = [await make_member(session, round_) for _ in range(4)]
    officials = [await make_member(session, round_, group_key="officials") for _ in range(2)]
    clause = await make_clause(session, round_)
    await move_phase(session, facilitator, round_.id, "deliberation")
    for person in villagers:
        await cast_vote(session, person, clause.id, "agree")
    for person in officials:
        await cast_vote(session, person, clause.id, officials_vote)
    await consolidate(session, round_.id)
    await publish(session, facilitator, round_.id, 1, while_voting=True)
    return round_, villagers[0], facilitator


@pytest.mark.parametrize("reader", ["elsewhere", "member", "stranger"])
async def test_the_bridging_score_reads_the_same_whatever_the_small_group_voted(api, session, reader):
    seen = []
    for vote in ("agree", "disagree"):
        round_, villager, _ = await _round(session, vote)
        token = await token_for(session, {
            "elsewhere": await make_member(session, await make_round(session)), "member": villager,
            "stranger": await make_participant(session)}[reader])
        shown = (await api.data(BRIDGING, {"id": ids.encode("Round", round_.id)}, token=token))["round"]
        seen.append(shown["latestProposal"])
    assert seen[0] == seen[1], seen
    [statement] = seen[0]["statements"]
    assert statement["bridging"] == {"score": None, "groupsLackingVotes": []}
    assert seen[0]["clauses"][0]["bridging"] == {"score": None, "groupsLackingVotes": []}


async def test_the_facilitators_see_which_group_lacks_votes(api, session):
    round_, _, facilitator = await _round(session, "disagree")
    token = await token_for(session, facilitator, "read", "facilitate")
    shown = (await api.data(BRIDGING, {"id": ids.encode("Round", round_.id)}, token=token))["round"]
    [statement] = shown["latestProposal"]["statements"]
    assert statement["bridging"] == {"score": None, "groupsLackingVotes": ["officials"]}


async def test_the_public_exports_neither_score_nor_name_the_small_group(client, committed):
    mine, _me = await my_round(client, committed)
    async with unit_of_work(committed) as session:
        round_, *_ = await _round(session, "disagree", await session.get(Participant, mine.created_by_id))
    client.cookies.clear()  # anyone may download a published version
    rows = list(csv.DictReader(io.StringIO((await client.get(f"/rounds/{round_.slug}/outcome/1.csv"))
                                           .text.lstrip("\ufeff"))))
    assert {(r["bridging_across_groups"], r["bridging_groups_lacking_votes"]) for r in rows} == {("", "")}
    exported = (await client.get(f"/rounds/{round_.slug}/outcome/1.json")).json()
    assert exported["clauses"][0]["bridging"]["across_groups"] is None
    assert exported["clauses"][0]["bridging"]["groups_lacking_votes"] == []


async def test_the_public_pdf_scores_a_clause_only_when_every_group_is_shown(client, committed):
    """The PDF for partners says "agreed across groups" where every group's figures are public, and not
    where a group of fewer than 3 would be given away by it."""
    from pypdf import PdfReader

    mine, _me = await my_round(client, committed)
    async with unit_of_work(committed) as session:
        facilitator = await session.get(Participant, mine.created_by_id)
        small, *_ = await _round(session, "agree", facilitator)
        big = await make_round(session, facilitator, groups=GROUPS)
        clause = await make_clause(session, big)
        people = [await make_member(session, big) for _ in range(4)]
        people += [await make_member(session, big, group_key="officials") for _ in range(3)]
        await move_phase(session, facilitator, big.id, "deliberation")
        for person in people:
            await cast_vote(session, person, clause.id, "agree")
        await consolidate(session, big.id)
        await publish(session, facilitator, big.id, 1, while_voting=True)
    client.cookies.clear()
    client.cookies.set("lang", "en")

    async def text_of(round_) -> str:
        pdf = await client.get(f"/rounds/{round_.slug}/outcome/1.pdf")
        assert pdf.status_code == 200
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)

    # (4 + 1) / (4 + 2) and (3 + 1) / (3 + 2): geometric mean 0.8165
    assert "Agreed across groups: 82 out of 100" in " ".join((await text_of(big)).split())
    assert "Agreed across groups" not in await text_of(small)
