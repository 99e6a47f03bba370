"""A group of fewer than 3 people reads "fewer than 3" everywhere outside its round's facilitators, and
nothing derived from it gives it away: no flag naming it (below the threshold, lacking quorum, still to
ask, under-heard), no total from which the shown groups can be subtracted, no clause status that only
its votes decide, no unanswered needs filed under its name.

Tried through /graphql as a member of another round, through the public CSV and PDF of a published
version, and on the live page's projector mode.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from pypdf import PdfReader

from schema import ids
from server.consolidation.service import consolidate, publish
from server.database import unit_of_work
from server.deliberation.service import cast_vote
from server.people.models import Participant
from server.rounds.service import GroupSpec, move_phase
from tests.factories import make_clause, make_member, make_need, make_participant, make_round
from tests.schema.conftest import api, token_for  # noqa: F401 (fixture)
from tests.web.conftest import client, committed  # noqa: F401 (fixture)
from tests.web.facilitation import my_round

GROUPS = [GroupSpec("villagers", {"en": "Villagers"}, quorum=3), GroupSpec("officials", {"en": "Officials"}, quorum=3)]
CLAUSE = "รัฐจะออกโฉนดชุมชนภายในหนึ่งปี"

PROPOSAL = """query ($id: ID!) { round(id: $id) { latestProposal {
  inputCounts underHeardGroups
  groups { key participants fewerThanThree }
  clauses { status groupsToAsk }
  statements { status groupsLackingQuorum groupsBelowThreshold groups { groupKey seen fewerThanThree } }
  unansweredNeeds { groupKey needs }
} } }"""


async def _small_group_round(session, facilitator=None):
    """Four villagers agree with a clause; the two officials (fewer than 3, so never their quorum of 3)
    disagree, and one of them filed a need no clause answers."""
    round_ = await make_round(session, facilitator, groups=GROUPS)
    facilitator = await session.get(Participant, round_.created_by_id)
    villagers = [await make_member(session, round_) for _ in range(4)]
    officials = [await make_member(session, round_, group_key="officials") for _ in range(2)]
    await make_need(session, round_, officials[0], title="Officials' need no clause answers")
    clause = await make_clause(session, round_, text=CLAUSE)
    await move_phase(session, facilitator, round_.id, "deliberation")
    for person in villagers:
        await cast_vote(session, person, clause.id, "agree")
    for person in officials:
        await cast_vote(session, person, clause.id, "disagree")
    return round_, facilitator, villagers, officials, clause


@pytest.fixture
async def small(session):
    round_, facilitator, villagers, officials, clause = await _small_group_round(session)
    await consolidate(session, round_.id)
    await publish(session, facilitator, round_.id, 1, while_voting=True)
    elsewhere = await make_member(session, await make_round(session))
    return {"round": ids.encode("Round", round_.id), "round_row": round_, "clause": clause,
            "officials": officials, "facilitator": facilitator,
            "elsewhere": await token_for(session, elsewhere),
            "villager": await token_for(session, villagers[0]),
            "staff": await token_for(session, facilitator, "read", "facilitate"),
            "stranger": await token_for(session, await make_participant(session))}


@pytest.mark.parametrize("reader", ["elsewhere", "villager", "stranger"])
async def test_no_flag_names_the_small_group(api, small, reader):
    shown = (await api.data(PROPOSAL, {"id": small["round"]}, token=small[reader]))["round"]["latestProposal"]
    [statement] = shown["statements"]
    assert "officials" not in statement["groupsLackingQuorum"] + statement["groupsBelowThreshold"]
    assert "officials" not in shown["clauses"][0]["groupsToAsk"] and "officials" not in shown["underHeardGroups"]
    assert "officials" not in [u["groupKey"] for u in shown["unansweredNeeds"]]
    assert {g["groupKey"]: g["seen"] for g in statement["groups"]} == {"villagers": 4, "officials": None}


@pytest.mark.parametrize("reader", ["elsewhere", "villager", "stranger"])
async def test_totals_do_not_give_the_small_group_by_subtraction(api, small, reader):
    shown = (await api.data(PROPOSAL, {"id": small["round"]}, token=small[reader]))["round"]["latestProposal"]
    counts, groups = shown["inputCounts"], shown["groups"]
    [statement] = shown["statements"]
    if counts.get("participants") is not None:  # participants − the groups shown = the groups not shown
        assert all(g["participants"] is not None for g in groups), counts
    if counts.get("votes") is not None:  # votes − every figure shown = the figures not shown
        assert all(g["seen"] is not None for g in statement["groups"]), counts


async def test_the_facilitators_see_every_figure_and_flag(api, small):
    shown = (await api.data(PROPOSAL, {"id": small["round"]}, token=small["staff"]))["round"]["latestProposal"]
    [statement] = shown["statements"]
    assert statement["groupsLackingQuorum"] == ["officials"] and statement["groupsBelowThreshold"] == ["officials"]
    assert shown["clauses"][0]["groupsToAsk"] == ["officials"] and shown["underHeardGroups"] == ["officials"]
    assert shown["inputCounts"]["participants"] == 6 and shown["inputCounts"]["votes"] == 6
    assert "officials" in [u["groupKey"] for u in shown["unansweredNeeds"]]


async def test_a_clause_status_does_not_tell_how_a_small_group_voted(api, session):
    """With a quorum of 1, the one official's vote alone turned "consensus" into "contested"."""
    round_ = await make_round(session)  # villagers (quorum 2) and government (quorum 1)
    facilitator = await session.get(Participant, round_.created_by_id)
    villagers = [await make_member(session, round_) for _ in range(3)]
    official = await make_member(session, round_, group_key="government")
    clause = await make_clause(session, round_)
    await move_phase(session, facilitator, round_.id, "deliberation")
    for villager in villagers:
        await cast_vote(session, villager, clause.id, "agree")
    token = await token_for(session, await make_participant(session))
    seen = []
    for choice in ("agree", "disagree"):
        await cast_vote(session, official, clause.id, choice)
        proposal = await consolidate(session, round_.id)
        await publish(session, facilitator, round_.id, proposal.version, while_voting=True)
        shown = (await api.data(PROPOSAL, {"id": ids.encode("Round", round_.id)}, token=token))["round"]
        seen.append((shown["latestProposal"]["clauses"][0]["status"], shown["latestProposal"]["statements"][0]["status"]))
    assert seen[0] == seen[1], seen


async def _published_in_the_open(client, committed):
    round_, _me = await my_round(client, committed)
    async with unit_of_work(committed) as session:
        round_, facilitator, *_ = await _small_group_round(session, await session.get(Participant, round_.created_by_id))
        await consolidate(session, round_.id)
        await publish(session, facilitator, round_.id, 1, while_voting=True)
    client.cookies.clear()  # anyone may download a published version
    client.cookies.set("lang", "en")
    return round_


async def test_the_csv_flags_no_small_group(client, committed):
    round_ = await _published_in_the_open(client, committed)
    exported = await client.get(f"/facilitate/{round_.slug}/proposal/1.csv")
    assert exported.status_code == 200
    rows = {r["group"]: r for r in csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff")))}
    officials = rows["officials"]
    assert officials["lacks_quorum"] not in ("True", "False") and officials["below_threshold"] not in ("True", "False")
    assert officials["group_participants"] == officials["seen"] == "fewer than 3"
    assert "officials" not in rows["villagers"]["groups_to_ask"] and "officials" not in rows["villagers"]["dissent"]


async def test_the_pdf_names_no_small_group_and_gives_no_total_to_subtract_from(client, committed):
    round_ = await _published_in_the_open(client, committed)
    pdf = await client.get(f"/facilitate/{round_.slug}/proposal/1.pdf")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).split())
    asked = re.search(r"Groups still to ask: ([^.]*?)(?: Below| For| Against| Needs|$)", text)
    assert asked is None or "Officials" not in asked.group(1), text
    assert "Officials:" not in text  # the unanswered needs, filed under the group's name
    assert "6 participants" not in text and "6 votes" not in text, text  # totals: 6 − the 4 villagers shown


async def test_the_projector_does_not_say_a_small_group_reached_its_quorum(client, committed):
    client.cookies.set("lang", "en")
    round_, me = await my_round(client, committed)  # villagers (quorum 2) and government (quorum 1)
    async with unit_of_work(committed) as session:
        villagers = [await make_member(session, round_) for _ in range(3)]
        official = await make_member(session, round_, group_key="government")
        clause = await make_clause(session, round_)
        await move_phase(session, me, round_.id, "deliberation")
        for person in [*villagers, official]:
            await cast_vote(session, person, clause.id, "agree")
    everything = (await client.get(f"/facilitate/{round_.slug}/live")).text
    assert everything.count("quorum reached") == 2  # the facilitators' own view
    projected = (await client.get(f"/facilitate/{round_.slug}/live?public=1")).text
    assert projected.count("quorum reached") == 1, projected  # the villagers only: one official voted
