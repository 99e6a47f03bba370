"""The public reading of a proposal depends on nothing a small group's hidden figures hold.

Two officials (a group of fewer than 3) vote every way they can on a clause that four villagers
support; whatever they do, and whatever their quorum, the proposal as the public reads it
(server/consolidation/rules.py) is the same: figures, flags, statuses and totals alike.
"""

from __future__ import annotations

import itertools
import json

import pytest

from server.consolidation.rules import Current, clause_statuses, shown
from server.disclosure import FACILITATOR, PUBLIC, SMALL_GROUP, discloses, discloses_total, fewer_than

THRESHOLD = 0.6
CHOICES = ("agree", "disagree", "pass", None)  # None: did not vote


def _cell(votes: list[str | None], quorum: int) -> tuple[dict, bool, bool]:
    agree, disagree = votes.count("agree"), votes.count("disagree")
    seen = sum(v is not None for v in votes)
    p = (agree + 1) / (seen + 2)
    return ({"agree": agree, "disagree": disagree, "seen": seen, "p": p, "low": p / 2, "high": (1 + p) / 2},
            seen < quorum, p < THRESHOLD)


def _result(officials: list[str | None], quorum: int) -> tuple[dict, dict]:
    cells = {"villagers": _cell(["agree"] * 4, 3), "officials": _cell(officials, quorum)}
    lacking = [k for k, (_, lacks, _) in cells.items() if lacks]
    below = [k for k, (_, _, low) in cells.items() if low]
    status = "under_heard" if lacking else "contested" if below else "consensus"
    statement = {"id": "s1", "clause_id": "s1", "kind": "clause", "status": status, "gic": 0.5,
                 "groups": {k: c for k, (c, _, _) in cells.items()},
                 "groups_lacking_quorum": lacking, "groups_below_threshold": below}
    result = {"threshold": THRESHOLD, "statements": [statement],
              "groups": [{"key": "villagers", "quorum": 3, "participants": 4},
                         {"key": "officials", "quorum": quorum, "participants": 2}],
              "clauses": [{"clause_id": "s1", "adopted": "s1", "amended": False, "text": "t", "status": status,
                           "groups_to_ask": lacking, "answers": [], "voices": {}}],
              "under_heard_groups": lacking, "needs": {"answered": {}, "unanswered_by_group": {}}}
    votes = 4 + sum(v is not None for v in officials)
    return result, {"participants": 6, "statements": 1, "votes": votes, "comments": 0, "needs": 0}


@pytest.mark.parametrize("quorum", [1, 2, 3])
def test_whatever_the_small_group_did_the_public_reads_the_same(quorum):
    readings = set()
    statuses = set()
    for officials in itertools.product(CHOICES, repeat=2):
        result, counts = _result(list(officials), quorum)
        public = shown(result, counts, PUBLIC, Current())
        readings.add(json.dumps([public.result, public.input_counts], sort_keys=True))
        statuses.add(json.dumps(clause_statuses(result, PUBLIC)))
    assert len(readings) == 1 and len(statuses) == 1, readings


def test_the_facilitators_read_what_was_computed():
    result, counts = _result(["disagree", "agree"], 1)
    seen = shown(result, counts, FACILITATOR, Current())
    assert seen.input_counts == counts and seen.result["statements"][0]["status"] == "contested"
    assert seen.result["statements"][0]["groups"]["officials"]["seen"] == 2


def test_a_total_is_shown_only_when_every_part_is():
    assert discloses_total(PUBLIC, [SMALL_GROUP, SMALL_GROUP + 4])
    assert not discloses_total(PUBLIC, [SMALL_GROUP, 0])  # a part of 0 reads "fewer than 3" too
    assert discloses_total(FACILITATOR, [1]) and not discloses(PUBLIC, SMALL_GROUP - 1)


def test_the_words_are_made_from_the_number():
    assert fewer_than("en") == f"fewer than {SMALL_GROUP}" and str(SMALL_GROUP) in fewer_than("th")
