"""Opinion groups: in-conversation rule, sparse PCA, projection, k-means, silhouette."""

import numpy as np
import pytest

from server.consolidation.clustering import kmeans, pairwise_distances, silhouette
from server.consolidation.matrix import VoteMatrix, from_votes
from server.consolidation.opinion import (
    VotePCA,
    choose_groups,
    in_conversation,
    opinion_groups,
    project,
    vote_pca,
)
from server.consolidation.partitions import adjusted_rand_index


def two_camps(n_per_camp=30, n_statements=20, missing=0.3, noise=0.1, seed=1):
    """Camp 0 agrees with the first half of the statements and disagrees with the second;
    camp 1 the opposite; some votes missing, some flipped, some passes."""
    rng = np.random.default_rng(seed)
    n = 2 * n_per_camp
    camp = np.repeat([0, 1], n_per_camp)
    p, s = np.meshgrid(np.arange(n), np.arange(n_statements), indexing="ij")
    p, s = p.ravel(), s.ravel()
    keep = rng.random(len(p)) >= missing
    p, s = p[keep], s[keep]
    value = np.where(camp[p] == 0, 1, -1) * np.where(s < n_statements // 2, 1, -1)
    value = np.where(rng.random(len(p)) < noise, -value, value)
    value = np.where(rng.random(len(p)) < 0.05, 0, value)
    return from_votes(p, s, value, n, n_statements), camp


def blobs(n=40, seed=0):
    rng = np.random.default_rng(seed)
    pts = np.vstack([rng.normal([-5, 0], 0.3, (n, 2)), rng.normal([5, 0], 0.3, (n, 2))])
    return pts, np.repeat([0, 1], n)


def test_in_conversation_threshold_and_greedy_top_up():
    counts = [10, 7, 6, 1, 0]
    p = np.repeat(np.arange(5), counts)
    s = np.concatenate([np.arange(c) for c in counts])
    votes = from_votes(p, s, np.ones(len(p)), 5, 10)
    assert in_conversation(votes, greedy_n=0).tolist() == [True, True, False, False, False]
    # Fewer than greedy_n qualify: the most active others join, never someone without votes.
    assert in_conversation(votes, greedy_n=3).tolist() == [True, True, True, False, False]
    assert in_conversation(votes, greedy_n=15).tolist() == [True, True, True, True, False]


def test_in_conversation_with_fewer_than_seven_statements():
    # Three statements: voting on all three is enough.
    votes = from_votes([0, 0, 0, 1, 1], [0, 1, 2, 0, 1], [1, 1, 1, 1, 1], 2, 3)
    assert in_conversation(votes, greedy_n=0).tolist() == [True, False]


def test_projection_scaling_by_hand():
    # p0 votes (1, 1), p1 (-1, -1), p2 only (1, ·). Column means (1/3, 0).
    votes = from_votes([0, 0, 1, 1, 2], [0, 1, 0, 1, 0], [1, 1, -1, -1, 1], 3, 2)
    pca = VotePCA(center=np.array([1 / 3, 0.0]), components=np.eye(2),
                  singular_values=np.ones(2))
    proj = project(votes, pca)
    assert proj[0] == pytest.approx([2 / 3, 1.0])
    assert proj[1] == pytest.approx([-4 / 3, -1.0])
    # p2's imputed vote adds 0; one vote of two, so scaled by sqrt(2 / 1).
    assert proj[2] == pytest.approx([2 / 3 * np.sqrt(2), 0.0])


def test_pca_first_component_separates_the_camps():
    votes, camp = two_camps()
    proj = project(votes, vote_pca(votes))
    side = proj[:, 0] > 0
    assert side.tolist() == (camp == 0).tolist() or side.tolist() == (camp == 1).tolist()


def test_sparse_and_dense_pca_agree():
    votes, _ = two_camps(n_per_camp=150, n_statements=60, missing=0.8, noise=0.05, seed=3)
    dense = vote_pca(votes)
    sparse = vote_pca(votes, dense_cells=0)  # force the ARPACK path
    assert sparse.singular_values == pytest.approx(dense.singular_values, rel=1e-8)
    assert np.allclose(np.abs(sparse.components[0]), np.abs(dense.components[0]), atol=1e-6)
    assert np.allclose(sparse.components[0], dense.components[0], atol=1e-6)  # same sign


def test_opinion_groups_recover_two_camps():
    votes, camp = two_camps()
    groups = opinion_groups(votes)
    assert groups.n_groups == 2
    assert adjusted_rand_index(groups.group_of, camp) == 1.0


def test_kmeans_recovers_blobs_and_is_seeded():
    pts, truth = blobs()
    first = kmeans(pts, 2, seed=7, n_init=3)
    again = kmeans(pts, 2, seed=7, n_init=3)
    assert adjusted_rand_index(first.label, truth) == 1.0
    assert np.array_equal(first.label, again.label) and np.array_equal(first.center, again.center)
    assert first.weight.tolist() == [40.0, 40.0]


def test_kmeans_first_distinct_init_is_polis_cold_start():
    pts = np.array([[0.0, 0.0], [0.0, 0.0], [10.0, 0.0], [0.1, 0.0], [10.1, 0.0]])
    result = kmeans(pts, 2, init="first-distinct")
    assert result.label.tolist() == [0, 0, 1, 0, 1]
    assert kmeans(pts, 10).center.shape == (4, 2)  # k capped at the distinct points


def test_weighted_kmeans_moves_centre_towards_heavy_points():
    pts = np.array([[0.0, 0.0], [1.0, 0.0], [100.0, 0.0]])
    result = kmeans(pts, 2, weights=np.array([3.0, 1.0, 1.0]), init="first-distinct")
    assert result.center[0] == pytest.approx([0.25, 0.0])


def test_silhouette_hand_computed():
    x = np.array([[0.0, 0], [1, 0], [10, 0], [11, 0]])
    d = pairwise_distances(x)
    labels = np.array([0, 0, 1, 1])
    expected = np.mean([9.5 / 10.5, 8.5 / 9.5, 8.5 / 9.5, 9.5 / 10.5])
    assert silhouette(d, labels) == pytest.approx(expected)
    # A point alone in its cluster scores 0; point 1 sits closer to it than to its own.
    assert silhouette(d, np.array([0, 1, 1, 1])) == pytest.approx(
        np.mean([0.0, (1 - 9.5) / 9.5, (10 - 5) / 10, (11 - 5.5) / 11]))


def test_weighted_silhouette_equals_silhouette_of_expanded_points():
    x = np.array([[0.0, 0], [1, 0], [10, 0], [11, 0]])
    weights = np.array([2, 1, 1, 3])
    labels = np.array([0, 0, 1, 1])
    expanded = np.repeat(x, weights, axis=0)
    expected = silhouette(pairwise_distances(expanded), np.repeat(labels, weights))
    assert silhouette(pairwise_distances(x), labels, weights) == pytest.approx(expected)


def test_choose_groups_picks_two_on_two_clean_blobs():
    pts, truth = blobs()
    for weighted in (False, True):
        label, scores = choose_groups(pts, np.ones(len(pts)), weighted_silhouette=weighted)
        assert [k for k, _ in scores] == [2, 3, 4, 5]
        assert max(scores, key=lambda ks: ks[1])[0] == 2
        assert adjusted_rand_index(label, truth) == 1.0


def test_opinion_groups_are_deterministic_and_ignore_vote_order():
    votes, _ = two_camps(n_per_camp=200, n_statements=40, missing=0.7, noise=0.3, seed=5)
    first, second = opinion_groups(votes), opinion_groups(votes)
    shuffle = np.random.default_rng(0).permutation(votes.n_votes)
    shuffled = opinion_groups(VoteMatrix(votes.participant[shuffle], votes.statement[shuffle],
                                         votes.value[shuffle], votes.n_participants,
                                         votes.n_statements))
    for other in (second, shuffled):
        assert np.array_equal(first.group_of, other.group_of)
        assert np.array_equal(first.projection, other.projection)
        assert np.array_equal(first.base_center, other.base_center)
        assert first.silhouette_by_k == other.silhouette_by_k


def test_opinion_groups_with_nobody_in_conversation():
    votes = VoteMatrix(np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.int8), 3, 4)
    groups = opinion_groups(votes)
    assert groups.n_groups == 0 and groups.group_of.tolist() == [-1, -1, -1]


def test_sparse_pca_path_is_deterministic():
    votes, _ = two_camps(n_per_camp=150, n_statements=60, missing=0.8, noise=0.3, seed=4)
    first, second = vote_pca(votes, dense_cells=0), vote_pca(votes, dense_cells=0)
    assert np.array_equal(first.components, second.components)
    assert np.array_equal(first.singular_values, second.singular_values)
