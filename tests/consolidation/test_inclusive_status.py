"""Inclusive status with declared groups weighted equally, and amendment choice."""

import numpy as np
import pytest

from server.consolidation.matrix import from_votes
from server.consolidation.status import (
    CONSENSUS,
    CONTESTED,
    UNDER_HEARD,
    best_amendments,
    inclusive_status,
)
from server.consolidation.support import GroupSupport, posterior_mean, support_by_group


def support_from_counts(agree, seen):
    agree, seen = np.array(agree), np.array(seen)
    p = posterior_mean(agree, seen)
    return GroupSupport(agree, seen - agree, seen, p, p, p, 0.95)


def test_status_consensus_contested_under_heard():
    support = support_from_counts(
        agree=[[4, 4, 2], [4, 0, 2], [4, 4, 0], [2, 2, 2]],
        seen=[[4, 4, 2], [4, 4, 2], [4, 1, 0], [3, 3, 3]],
    )
    result = inclusive_status(support, quorum=np.array([2, 2, 1]), threshold=0.6)
    assert result.status.tolist() == [CONSENSUS, CONTESTED, UNDER_HEARD, CONSENSUS]
    assert result.groups_below(1) == [1]  # p = 1/6 for group 1
    assert result.groups_lacking_quorum(2) == [1, 2]  # 1 < 2 voters, 0 < 1 voter
    assert result.groups_lacking_quorum(0) == [] and result.groups_below(0) == []
    # Statement 3: p = 3/5 = 0.6 in every group, exactly the threshold: consensus (>=).


def test_under_heard_wins_over_contested():
    support = support_from_counts(agree=[[0, 0]], seen=[[10, 0]])
    result = inclusive_status(support, quorum=np.array([3, 3]), threshold=0.5)
    assert result.status.tolist() == [UNDER_HEARD]
    assert result.groups_below(0) == [0] and result.groups_lacking_quorum(0) == [1]


def test_groups_weigh_equally_whatever_their_size():
    # 1,000 people in group 0 agree; the 5 people of group 1 all disagree.
    n_big, n_small = 1000, 5
    votes = from_votes(np.arange(n_big + n_small), np.zeros(n_big + n_small, int),
                       np.r_[np.ones(n_big), -np.ones(n_small)])
    group_of = np.r_[np.zeros(n_big, int), np.ones(n_small, int)]
    support = support_by_group(votes, group_of, 2)
    result = inclusive_status(support, quorum=np.array([5, 5]), threshold=0.6)
    assert result.status.tolist() == [CONTESTED] and result.groups_below(0) == [1]


def test_threshold_and_quorum_are_checked():
    support = support_from_counts(agree=[[1]], seen=[[1]])
    with pytest.raises(ValueError):
        inclusive_status(support, quorum=np.array([1]), threshold=1.0)
    with pytest.raises(ValueError):
        inclusive_status(support, quorum=np.array([1, 1]), threshold=0.5)


def test_best_amendment_by_weakest_group_with_ties_to_lowest_id():
    clause_p = np.array([[0.7, 0.5], [0.8, 0.8], [0.5, 0.5]])
    amendment_p = np.array([
        [0.9, 0.55],  # 0 -> clause 0, min 0.55
        [0.6, 0.6],  # 1 -> clause 0, min 0.60
        [0.65, 0.6],  # 2 -> clause 0, min 0.60: tie with 1, the lower id wins
        [0.9, 0.7],  # 3 -> clause 1, min 0.70 < 0.80: the clause stays
        [0.5, 0.9],  # 4 -> clause 2, min 0.50 == clause's 0.50: a tie keeps the clause
    ])
    amended = np.array([0, 0, 0, 1, 2])
    assert best_amendments(clause_p, amendment_p, amended).tolist() == [1, -1, -1]
    eligible = np.array([True, False, True, True, True])  # e.g. 1 lacks quorum somewhere
    assert best_amendments(clause_p, amendment_p, amended, eligible).tolist() == [2, -1, -1]
    assert best_amendments(clause_p, np.zeros((0, 2)), np.zeros(0, int)).tolist() == [-1] * 3
