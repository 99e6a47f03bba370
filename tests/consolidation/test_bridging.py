"""Bridging consensus (server/consolidation/bridging.py): hand-made matrices with scores worked out by
hand, the floor of votes per group, the five Pol.is conversations, what a public reader may see of it,
and the API field, the exports and the outcome page that carry it."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np
import pytest

from schema import ids
from server.consolidation.bridging import FLOOR, bridging
from server.consolidation.compute import PARAMETERS
from server.consolidation.export import proposal_csv, proposal_json
from server.consolidation.matrix import from_votes
from server.consolidation.opinion import opinion_groups
from server.consolidation.polis_export import read_polis_export
from server.consolidation.repness import group_informed_consensus
from server.consolidation.report import report
from server.consolidation.rules import Current, shown
from server.consolidation.service import consolidate, publish
from server.consolidation.support import count_by_group, support_by_group
from server.database import unit_of_work
from server.deliberation.service import cast_vote
from server.disclosure import FACILITATOR, PUBLIC, SMALL_GROUP
from server.people.models import Participant
from server.rounds.service import move_phase
from tests.factories import make_clause, make_member, make_round
from tests.schema.conftest import api, token_for  # noqa: F401 (fixture)
from tests.web.conftest import client, committed  # noqa: F401 (fixture)
from tests.web.facilitation import my_round

POLIS = Path(__file__).resolve().parents[1] / "data" / "polis"
CONVERSATIONS = ["london.youth.policing", "scoop-hivemind.freshwater", "brexit-consensus",
                 "canadian-electoral-reform", "vtaiwan.uberx"]


def scores(agree, seen, floor=FLOOR):
    return bridging(np.array(agree), np.array(seen), floor)


# Hand-made matrices: one row per statement, one column per group; p_g = (A + 1) / (S + 2).

def test_two_groups_by_hand():
    # p = 9/12 = 0.75 and 3/12 = 0.25: sqrt(0.75 · 0.25) = sqrt(0.1875) = 0.4330127...
    result = scores([[8, 2]], [[10, 10]])
    assert result.at(0) == pytest.approx(0.4330127018922193, abs=1e-12)
    assert result.lacking_at(0) == []


def test_three_groups_by_hand():
    # p = 5/7, 2/5, 4/6: product 4/21 = 0.190476..., its cube root 0.5753695...
    result = scores([[4, 1, 3]], [[5, 3, 4]])
    assert result.at(0) == pytest.approx(0.5753695826647881, abs=1e-12)


def test_agreement_in_every_group_alike_is_that_agreement():
    # 6 of 10 agree in each of three groups: p = 7/12 = 0.58333... everywhere, and so the score
    assert scores([[6, 6, 6]], [[10, 10, 10]]).at(0) == pytest.approx(7 / 12, abs=1e-12)


def test_loved_by_one_group_and_rejected_by_another_scores_low_as_does_group_informed_consensus():
    agree, seen = np.array([[10, 0], [6, 6]]), np.array([[10, 10], [10, 10]])
    result = bridging(agree, seen)
    # p = 11/12 and 1/12: sqrt(11/144) = sqrt(11) / 12 = 0.2763853...; GIC = 11/144 = 0.0763888...
    assert result.at(0) == pytest.approx(0.2763853991962833, abs=1e-12)
    gic = group_informed_consensus(agree, seen)
    assert gic[0] == pytest.approx(11 / 144, abs=1e-12)
    # both rank it below a statement 6 in 10 of each group agree with (p = 7/12 in each)
    assert result.at(0) < 0.3 < result.at(1) == pytest.approx(7 / 12)
    assert gic[0] < 0.1 < gic[1]


def test_moderately_liked_by_all_beats_loved_by_the_largest_group_only():
    # row 0: 6 of 10 agree in each group; row 1: 95 of 100 in the largest group, 3 of 10 in the other two
    agree, seen = np.array([[6, 6, 6], [95, 3, 3]]), np.array([[10, 10, 10], [100, 10, 10]])
    result = bridging(agree, seen)
    assert result.at(0) == pytest.approx(0.5833333333333334, abs=1e-12)
    # (96/102 · 4/12 · 4/12) ** (1/3) = 0.10457516... ** (1/3) = 0.4711322...
    assert result.at(1) == pytest.approx(0.47113226842052874, abs=1e-12)
    assert result.at(0) > result.at(1)
    overall = agree.sum(axis=1) / seen.sum(axis=1)  # 18/30 = 0.6 against 101/120 = 0.84: a head count prefers row 1
    assert overall[1] > overall[0]


def test_a_group_below_the_floor_gives_no_score_and_is_named():
    assert FLOOR >= SMALL_GROUP  # so a declared score never rests on a figure hidden from the public
    # group 1 has FLOOR - 1 votes on row 0, FLOOR on row 1; group 2 none on row 2
    agree = [[5, 1, 3], [5, 1, 3], [5, 1, 0]]
    seen = [[5, FLOOR - 1, 4], [5, FLOOR, 4], [5, FLOOR, 0]]
    result = scores(agree, seen)
    assert result.at(0) is None and result.lacking_at(0) == [1]
    assert result.at(1) is not None and result.lacking_at(1) == []
    assert result.at(2) is None and result.lacking_at(2) == [2]
    # the floor is the parameter's: with 1 vote enough, row 0 has a score
    assert scores(agree, seen, floor=1).at(0) is not None


def test_fewer_than_two_groups_bridge_nothing():
    one = scores([[5]], [[5]])
    assert one.at(0) is None and one.lacking_at(0) == []
    none = bridging(np.zeros((3, 0)), np.zeros((3, 0)))
    assert [none.at(s) for s in range(3)] == [None] * 3


def test_the_same_counts_give_the_same_bits():
    rng = np.random.default_rng(7)
    seen = rng.integers(3, 50, size=(200, 5))
    agree = rng.integers(0, seen + 1)
    first, again = bridging(agree, seen), bridging(agree.copy(), seen.copy())
    assert first.score.tobytes() == again.score.tobytes()
    assert np.all((first.score >= 0) & (first.score <= 1))


# The five Pol.is conversations, with the opinion groups Ruam computes for them.

@pytest.fixture(scope="module", params=CONVERSATIONS)
def conversation(request):
    export = read_polis_export(POLIS / request.param)
    keys = ("base_k", "max_groups", "min_votes", "greedy_n", "seed", "group_n_init", "weighted_silhouette", "init")
    groups = opinion_groups(export.votes, **{k: PARAMETERS[k] for k in keys})
    agree, _, seen = count_by_group(export.votes, groups.group_of, groups.n_groups)
    return request.param, agree, seen, bridging(agree, seen)


def test_polis_scores_lie_between_0_and_1_and_skip_only_statements_below_the_floor(conversation):
    name, _agree, seen, result = conversation
    scored = ~np.isnan(result.score)
    assert scored.sum() >= 0.6 * len(scored), name  # measured: 23/36 (london) up to 100% of statements
    assert np.all((result.score[scored] > 0) & (result.score[scored] < 1)), name
    assert np.array_equal(~scored, (seen < FLOOR).any(axis=1)), name


def test_polis_top_bridging_statements_are_agreed_in_every_opinion_group(conversation):
    """Measured on the five conversations: the five statements ranked top by bridging have, in every
    opinion group, at least 67% of its voters agreeing (London; 75% to 91% elsewhere), and their weakest
    group agrees at least as much as in the five statements most agreed by head count."""
    name, agree, seen, result = conversation
    share = agree / np.maximum(seen, 1)
    scored = ~np.isnan(result.score)
    top = np.argsort(-np.where(scored, result.score, -1.0), kind="stable")[:5]
    assert share[top].min() >= 0.6, (name, share[top].min(axis=1))
    overall = (agree.sum(axis=1) + 1) / (seen.sum(axis=1) + 2)
    by_count = np.argsort(-np.where(scored, overall, -1.0), kind="stable")[:5]
    assert share[top].min() >= share[by_count].min(), name


# What a public reader may see (rules.py).

GROUPS = ("villagers", "fishers", "officials")


def _stored(votes, floor):
    """A stored result, shaped as compute.py stores it, from (voter's group, vote) pairs on one statement."""
    group_of = np.array([GROUPS.index(g) for g, _ in votes])
    value = np.array([{"agree": 1, "disagree": -1, "pass": 0}[v] for _, v in votes])
    matrix = from_votes(np.arange(len(votes)), np.zeros(len(votes), int), value)
    support = support_by_group(matrix, group_of, len(GROUPS))
    scored = bridging(support.agree, support.seen, floor)
    cells = {k: {"agree": int(support.agree[0, g]), "disagree": int(support.disagree[0, g]),
                 "seen": int(support.seen[0, g]), "p": float(support.p[0, g]), "low": float(support.low[0, g]),
                 "high": float(support.high[0, g])} for g, k in enumerate(GROUPS)}
    statement = {"id": "s", "kind": "clause", "clause_id": "s", "status": "contested", "gic": 0.0,
                 "groups": cells, "groups_lacking_quorum": [], "groups_below_threshold": [],
                 "bridging": {"declared": {"score": scored.at(0), "lacking": [GROUPS[g] for g in scored.lacking_at(0)]},
                              "opinion": {"score": None, "lacking": []}}}
    return {"groups": [{"key": k, "quorum": 1, "participants": int(support.seen[0, g])} for g, k in enumerate(GROUPS)],
            "statements": [statement], "clauses": []}


def _world(officials_vote):
    """Five villagers (4 agree), four fishers (3 agree, 1 pass) and two officials voting alike."""
    return ([("villagers", "agree")] * 4 + [("villagers", "disagree")] + [("fishers", "agree")] * 3
            + [("fishers", "pass")] + [("officials", officials_vote)] * 2)


def _public_view(result):
    [statement] = shown(result, {}, PUBLIC, Current()).result["statements"]
    return statement["bridging"], statement["groups"]


@pytest.mark.parametrize("floor", [1, 2, FLOOR])
def test_a_public_reader_cannot_work_out_a_small_group_from_the_bridging_score(floor):
    """The attack: score ** 3 / (p_villagers · p_fishers) is the officials' p. With a floor the two
    officials clear (1 or 2: a floor someone lowered) the facilitators see a score that gives it away; a
    public reader sees the same thing whether the officials agreed or disagreed."""
    worlds = [_stored(_world(vote), floor) for vote in ("agree", "disagree")]
    facilitators = [shown(w, {}, FACILITATOR, Current()).result["statements"][0] for w in worlds]
    if floor <= 2:
        for seen_by_them in facilitators:
            p = {k: g["p"] for k, g in seen_by_them["groups"].items()}
            derived = seen_by_them["bridging"]["declared"]["score"] ** 3 / (p["villagers"] * p["fishers"])
            assert derived == pytest.approx(p["officials"])  # the attack works on the numbers...
        assert facilitators[0]["bridging"] != facilitators[1]["bridging"]
    else:
        assert facilitators[0]["bridging"]["declared"] == {"score": None, "lacking": ["officials"]}
    public = [_public_view(w) for w in worlds]
    assert public[0] == public[1]  # ...and a public reader has none of them
    bridged, figures = public[0]
    assert bridged["declared"] == {"score": None, "lacking": []}
    assert figures["officials"]["p"] is None and figures["villagers"]["p"] is not None


def test_a_score_resting_on_shown_groups_only_is_public():
    three_each = [("villagers", "agree")] * 3 + [("fishers", "agree")] * 3 + [("officials", "disagree")] * 3
    bridged, _ = _public_view(_stored(three_each, FLOOR))
    # p = 4/5, 4/5, 1/5: (16/125) ** (1/3) = 0.5039684...
    assert bridged["declared"]["score"] == pytest.approx(0.5039684199579493, abs=1e-9)


# Through the database: the API field, the exports and the outcome page.

QUERY = """query ($id: ID!) { round(id: $id) { latestProposal {
  statements { groupInformedConsensus bridging { score groupsLackingVotes }
               bridgingOpinionGroups { score groupsLackingVotes } }
  clauses { bridging { score groupsLackingVotes } bridgingOpinionGroups { score groupsLackingVotes } }
} } }"""


async def _voted_round(session, facilitator=None):
    """Three villagers all agree (p = 4/5), three officials 2 to 1 (p = 3/5): sqrt(0.48) = 0.6928203..."""
    round_ = await make_round(session, facilitator)
    facilitator = await session.get(Participant, round_.created_by_id)
    villagers = [await make_member(session, round_) for _ in range(3)]
    officials = [await make_member(session, round_, group_key="government") for _ in range(3)]
    clause = await make_clause(session, round_)
    await move_phase(session, facilitator, round_.id, "deliberation")
    for person, vote in zip(villagers + officials, ["agree"] * 5 + ["disagree"], strict=True):
        await cast_vote(session, person, clause.id, vote)
    proposal = await consolidate(session, round_.id)
    await publish(session, facilitator, round_.id, proposal.version, while_voting=True)
    return round_, proposal


EXPECTED = math.sqrt(0.8 * 0.6)


async def test_the_api_gives_the_bridging_score_of_statements_and_clauses(api, session):
    round_, _ = await _voted_round(session)
    token = await token_for(session, await make_member(session, await make_round(session)))
    proposal = (await api.data(QUERY, {"id": ids.encode("Round", round_.id)}, token=token))["round"]["latestProposal"]
    [statement], [clause] = proposal["statements"], proposal["clauses"]
    assert statement["bridging"] == {"score": pytest.approx(EXPECTED, abs=1e-6), "groupsLackingVotes": []}
    assert clause["bridging"] == statement["bridging"]
    opinion = statement["bridgingOpinionGroups"]
    assert opinion["score"] is None or 0 <= opinion["score"] <= 1
    assert all(g.isdigit() for g in opinion["groupsLackingVotes"])


async def test_the_exports_carry_the_score(session):
    round_, proposal = await _voted_round(session)
    shown_report = await report(session, round_, proposal, PUBLIC)
    rows = list(csv.DictReader(io.StringIO(proposal_csv(shown_report, locale="en").lstrip("\ufeff"))))
    assert {r["bridging_across_groups"] for r in rows} == {str(round(EXPECTED, 4))}
    assert {r["bridging_groups_lacking_votes"] for r in rows} == {""}
    [clause] = proposal_json(shown_report, locale="en")["clauses"]
    assert clause["bridging"]["across_groups"] == round(EXPECTED, 4)
    assert clause["bridging"]["groups_lacking_votes"] == []


async def test_the_outcome_page_says_agreed_across_groups(client, committed):
    mine, _me = await my_round(client, committed)
    async with unit_of_work(committed) as session:
        round_, _ = await _voted_round(session, await session.get(Participant, mine.created_by_id))
    client.cookies.set("lang", "en")
    facilitators = (await client.get(f"/facilitate/{round_.slug}/proposal")).text
    assert "Agreed across groups" in facilitators and "69 out of 100" in facilitators
    client.cookies.clear()
    client.cookies.set("lang", "th")
    page = await client.get(f"/rounds/{round_.slug}/outcome")
    assert page.status_code == 200
    assert "เห็นด้วยกันทุกกลุ่ม" in page.text and "69 จาก 100" in page.text
