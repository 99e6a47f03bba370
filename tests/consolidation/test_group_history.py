"""Opinion groups with a history: they hold still when a few votes come in, k does not flip
on a tie (and the tie is reported), and replaying a Pol.is export's votes ends near the
groups Pol.is exported (tests/data/polis, CC BY 4.0, The Computational Democracy Project)."""

from pathlib import Path

import numpy as np
import pytest

from server.consolidation.clustering import add_distal_centers, kmeans_from, pairwise_distances, silhouette
from server.consolidation.history import KSmoother, Prior, groups_with_history, smooth_k
from server.consolidation.matrix import from_votes
from server.consolidation.opinion import opinion_groups
from server.consolidation.partitions import adjusted_rand_index
from server.consolidation.polis_export import read_polis_export
from server.consolidation.replay import read_vote_log, replay, update_points
from tests.camps import three_camps

DATA = Path(__file__).resolve().parents[1] / "data" / "polis"


def placed_ari(a, b):
    both = (a >= 0) & (b >= 0)
    return adjusted_rand_index(a[both], b[both])


def people_silhouette(groups):
    placed = groups.group_of >= 0
    return silhouette(pairwise_distances(groups.projection[placed]), groups.group_of[placed])


def test_groups_hold_still_when_one_percent_more_votes_come_in():
    p, s, v, n_p, n_s = three_camps()
    cuts = [round(len(p) * f) for f in (0.95, 0.96, 0.97, 0.98, 0.99, 1.0)]
    state, before = None, None
    for cut in cuts:
        votes = from_votes(p[:cut], s[:cut], v[:cut], n_p, n_s)
        state = groups_with_history(votes, state.prior if state else None)
        cold = opinion_groups(votes)
        if before is not None:
            assert placed_ari(before, state.groups.group_of) >= 0.95
        # holding still costs next to nothing of the groups' quality
        assert people_silhouette(state.groups) >= people_silhouette(cold) - 0.02
        before = state.groups.group_of
    assert state.groups.n_groups == 3


def test_without_history_the_groups_are_the_cold_start():
    p, s, v, n_p, n_s = three_camps()
    votes = from_votes(p, s, v, n_p, n_s)
    first, again, cold = groups_with_history(votes), groups_with_history(votes), opinion_groups(votes)
    assert np.array_equal(first.groups.group_of, cold.group_of)
    assert first.groups.silhouette_by_k == cold.silhouette_by_k
    assert np.array_equal(first.groups.group_of, again.groups.group_of)


def test_group_names_follow_their_people():
    p, s, v, n_p, n_s = three_camps()
    votes = from_votes(p, s, v, n_p, n_s)
    first = groups_with_history(votes)
    # the same people under other names: the next version gives them back their old names
    renamed = np.where(first.groups.group_of >= 0, (first.groups.group_of + 1) % 3, -1)
    second = groups_with_history(votes, Prior(renamed, first.smoother))
    assert np.array_equal(second.groups.group_of, renamed)


def test_a_tie_does_not_flip_k_however_long_it_lasts():
    state = smooth_k(None, {2: 0.40, 3: 0.39})
    assert state.k == 2
    for _ in range(10):  # k = 3 wins every time, by less than the margin
        state = smooth_k(state, {2: 0.40, 3: 0.41})
        assert state.k == 2


def test_k_changes_after_four_clear_wins_in_a_row():
    state = KSmoother(2, 2, 0)
    for _ in range(3):
        state = smooth_k(state, {2: 0.30, 3: 0.45})
        assert state.k == 2
    # an interruption starts the count again
    state = smooth_k(state, {2: 0.45, 3: 0.30})
    assert (state.k, state.streak) == (2, 0)
    for _ in range(3):
        state = smooth_k(state, {2: 0.30, 3: 0.45})
    assert state.k == 2
    state = smooth_k(state, {2: 0.30, 3: 0.45})
    assert state.k == 3


def test_a_tie_between_two_k_is_reported_with_both_groupings():
    # london.youth.policing: k = 4 beats k = 3 by 0.001 of silhouette
    export = read_polis_export(DATA / "london.youth.policing")
    result = groups_with_history(export.votes)
    scores = dict(result.groups.silhouette_by_k)
    assert result.runner_up is not None
    assert {result.smoother.k, result.runner_up.k} == {3, 4}
    assert result.runner_up.gap == pytest.approx(scores[result.smoother.k] - scores[result.runner_up.k])
    assert abs(result.runner_up.gap) <= 0.02
    grouped = int((result.groups.group_of >= 0).sum())
    assert sum(result.runner_up.sizes) == grouped and len(result.runner_up.sizes) == result.runner_up.k
    assert np.array_equal(result.runner_up.group_of >= 0, result.groups.group_of >= 0)
    # a clear winner reports no tie
    clear = groups_with_history(export.votes, tie_gap=0.0001)
    assert clear.runner_up is None


def test_warm_kmeans_keeps_the_order_of_its_centres_and_grows_to_k():
    points = np.array([[0.0, 0], [0.2, 0], [10, 0], [10.2, 0], [50, 0]])
    result = kmeans_from(points[:4], np.array([[10.0, 0], [0, 0]]))
    assert result.label.tolist() == [1, 1, 0, 0]
    grown = add_distal_centers(points, np.array([[10.0, 0], [0, 0]]), 3)
    assert grown[-1].tolist() == [50.0, 0.0]
    assert len(add_distal_centers(points, points, 10)) == 5  # no more distinct points


def test_update_points_follow_polls_and_growth():
    time_ms = np.array([0, 10, 5000, 5001, 9000, 20000, 20001, 20002])
    # windows end after 2, 4, 5 events and at the end; every one counts while the log is short
    assert update_points(time_ms, growth=0.0) == [2, 4, 5, 8]
    # at least half the votes so far must be new
    assert update_points(time_ms, growth=0.5) == [2, 4, 8]


def test_replay_of_brexit_consensus_ends_near_polis_groups():
    folder = DATA / "brexit-consensus"
    export = read_polis_export(folder)
    log = read_vote_log(folder, export)
    final = replay(log, update_points(log.time_ms))
    # measured 0.897 (a cold start on the final votes: 0.876)
    assert placed_ari(final.groups.group_of, export.polis_group) >= 0.85
    assert final.groups.n_groups == int(export.polis_group.max()) + 1
    votes, _ = log.matrix(len(log.time_ms))
    assert votes.n_votes == export.votes.n_votes  # the log's latest votes are the export's


def test_groups_are_matched_to_the_previous_ones_with_the_largest_overlap():
    from scipy.optimize import linear_sum_assignment

    from server.consolidation.history import _best_matching

    rng = np.random.default_rng(5)
    for _ in range(200):
        overlap = rng.integers(0, 6, size=(rng.integers(1, 6), rng.integers(1, 6))).astype(float)
        pairs = _best_matching(overlap)
        rows, cols = zip(*pairs, strict=True)
        assert len(set(rows)) == len(rows) == len(set(cols)) == min(overlap.shape)
        r, c = linear_sum_assignment(-overlap)
        assert overlap[list(rows), list(cols)].sum() == overlap[r, c].sum()
