"""Support per declared group: counts, p and intervals against hand-computed values."""

import math

import numpy as np
import pytest

from server.consolidation import support
from server.consolidation.matrix import VoteMatrix, from_votes
from server.consolidation.support import (
    beta_interval,
    count_by_group,
    count_by_groupings,
    support_by_group,
    wilson_interval,
)


def small_votes():
    # Participants 0, 1 in group 0; 2 in group 1; 3 declared no group (-1).
    # statement 0: agree, pass, disagree, agree(ignored); statement 1: disagree by 0 only.
    votes = from_votes([0, 1, 2, 3, 0], [0, 0, 0, 0, 1], [1, 0, -1, 1, -1], n_statements=3)
    return votes, np.array([0, 0, 1, -1])


def test_counts_per_statement_and_group():
    votes, group_of = small_votes()
    agree, disagree, seen = count_by_group(votes, group_of, 2)
    assert agree.tolist() == [[1, 0], [0, 0], [0, 0]]
    assert disagree.tolist() == [[0, 1], [1, 0], [0, 0]]
    assert seen.tolist() == [[2, 1], [1, 0], [0, 0]]  # the pass counts as seen


def test_p_is_laplace_smoothed():
    votes, group_of = small_votes()
    s = support_by_group(votes, group_of, 2)
    assert s.p.tolist() == [[2 / 4, 1 / 3], [1 / 3, 1 / 2], [1 / 2, 1 / 2]]


def test_beta_interval_closed_forms():
    # Beta(1, 1) (nothing seen) is uniform: the 95% interval is (0.025, 0.975).
    low, high = beta_interval(np.array([0]), np.array([0]))
    assert low[0] == pytest.approx(0.025, abs=1e-12) and high[0] == pytest.approx(0.975)
    # A = S = 4: Beta(5, 1), CDF x^5.
    low, high = beta_interval(np.array([4]), np.array([4]))
    assert low[0] == pytest.approx(0.025 ** (1 / 5)) and high[0] == pytest.approx(0.975 ** (1 / 5))
    # A = 0, S = 1: Beta(1, 2), CDF 1 - (1 - x)^2.
    low, high = beta_interval(np.array([0]), np.array([1]))
    assert low[0] == pytest.approx(1 - math.sqrt(0.975))
    assert high[0] == pytest.approx(1 - math.sqrt(0.025))


def test_wilson_interval_hand_computed():
    # 8 of 10 at 95%: centre (0.8 + z²/20) / (1 + z²/10), half-width as in Wilson (1927).
    low, high = wilson_interval(np.array([8, 0]), np.array([10, 0]))
    z = 1.959963984540054
    centre = (0.8 + z * z / 20) / (1 + z * z / 10)
    half = z * math.sqrt(0.8 * 0.2 / 10 + z * z / 400) / (1 + z * z / 10)
    assert low[0] == pytest.approx(centre - half) and high[0] == pytest.approx(centre + half)
    assert (round(low[0], 4), round(high[0], 4)) == (0.4902, 0.9433)  # published tables
    assert (low[1], high[1]) == (0.0, 1.0)  # nothing seen: nothing known


def test_interval_contains_p_and_shrinks_with_votes():
    agree, seen = np.array([3, 30, 300]), np.array([4, 40, 400])
    low, high = beta_interval(agree, seen)
    p = (agree + 1) / (seen + 2)
    assert np.all((low < p) & (p < high))
    assert np.all(np.diff(high - low) < 0)


def test_group_of_must_match_participants():
    votes, _ = small_votes()
    with pytest.raises(ValueError):
        count_by_group(votes, np.array([0, 1]), 2)


@pytest.mark.parametrize("joint_cells", [support.MAX_JOINT_CELLS, 0])  # 0: too many groups, one pass each
def test_counting_several_groupings_at_once_gives_each_one_s_counts(monkeypatch, joint_cells):
    monkeypatch.setattr(support, "MAX_JOINT_CELLS", joint_cells)
    rng = np.random.default_rng(11)
    keys = np.unique(rng.integers(0, 40 * 9, 200))
    votes = VoteMatrix((keys // 9).astype(np.int32), (keys % 9).astype(np.int32),
                       rng.integers(-1, 2, len(keys)).astype(np.int8), 40, 9)
    declared = rng.integers(-1, 3, 40)  # -1: no group, left out of this grouping only
    opinion = rng.integers(-1, 4, 40)
    everyone = np.zeros(40, dtype=np.int64)
    together = count_by_groupings(votes, [(declared, 3), (opinion, 4), (everyone, 1)])
    for (group_of, n), counts in zip([(declared, 3), (opinion, 4), (everyone, 1)], together, strict=True):
        mask = (group_of >= 0)[votes.participant]
        for got, alone in zip(counts, count_by_group(votes, group_of, n), strict=True):
            assert got.tolist() == alone.tolist()
        # and what a loop over the votes counts
        agree = np.zeros((votes.n_statements, n), dtype=np.int64)
        np.add.at(agree, (votes.statement[mask], group_of[votes.participant[mask]]), votes.value[mask] == 1)
        assert counts[0].tolist() == agree.tolist()
    assert together[2][2][:, 0].sum() == votes.n_votes
