"""Pol.is's own update step, as the replay of an import runs it (polis_math.py, replay.py):
its k-means (first distinct rows, warm start with kept ids, most-distal newcomers), its power
iteration, its in-conversation rule, on hand-made matrices."""

import numpy as np
import scipy.sparse as sp

from server.consolidation.matrix import column_means, from_votes
from server.consolidation.polis_math import PolisClusters, centred_gram, polis_kmeans, polis_pca, power_iteration
from server.consolidation.replay import GramSums, PolisState, VoteLog, _in_conversation, _smooth_k, _warm_groups, replay


def test_a_cold_start_takes_the_first_distinct_rows_in_row_order():
    points = np.array([[0.0, 0], [0, 0], [5, 0], [10, 0]])
    result = polis_kmeans(points, 2)
    # starts at (0,0) and (5,0); 10 joins 5, whose centre moves to 7.5
    assert result.ids.tolist() == [0, 1]
    assert result.label.tolist() == [0, 0, 1, 1]
    assert result.center.tolist() == [[0.0, 0.0], [7.5, 0.0]]
    # another row order, another start, (10,0) and (5,0), and another local optimum
    flipped = polis_kmeans(points[::-1], 2)
    assert np.allclose(flipped.center, [[10.0, 0.0], [5 / 3, 0.0]])


def test_a_warm_start_keeps_cluster_ids_and_a_far_newcomer_founds_a_cluster():
    points = np.array([[0.0, 0], [0.2, 0], [10, 0], [10.2, 0], [50, 0]])
    last = PolisClusters(ids=np.array([3, 7]), center=np.zeros((2, 2)), label=np.array([0, 0, 1, 1, -1]))
    result = polis_kmeans(points, 3, last=last)
    assert result.ids.tolist() == [3, 7, 8]
    assert result.label.tolist() == [0, 0, 1, 1, 2]
    # with k = 2 there is no room for a new cluster: the newcomer joins the nearest, whose
    # centre it pulls away until the Lloyd steps leave it alone under the id 7
    kept = polis_kmeans(points, 2, last=last)
    assert kept.ids.tolist() == [3, 7] and kept.label.tolist() == [0, 0, 0, 0, 1]


def test_a_warm_start_merges_clusters_whose_centres_coincide_under_the_larger_ones_id():
    points = np.array([[1.0, 1], [1, 1], [1, 1], [9, 9]])
    last = PolisClusters(ids=np.array([0, 4, 5]), center=np.zeros((3, 2)), label=np.array([0, 1, 1, 2]))
    result = polis_kmeans(points, 2, last=last)
    assert result.ids.tolist() == [4, 5]
    assert result.label.tolist() == [0, 0, 0, 1]


def test_weights_pull_the_centres_and_clusters_left_empty_are_dropped():
    points = np.array([[0.0, 0], [1, 0], [10, 0]])
    weighted = polis_kmeans(points, 2, weights=np.array([1.0, 3.0, 1.0]))
    assert weighted.center[0].tolist() == [0.75, 0.0]
    # a start that leaves a centre without members: it is dropped, not kept empty
    last = PolisClusters(ids=np.array([0, 1, 2]), center=np.zeros((3, 2)), label=np.array([0, 0, 1]))
    grown = polis_kmeans(points, 3, last=last)
    assert len(grown.ids) == 3 and sorted(grown.sizes().tolist()) == [1, 1, 1]


def test_power_iteration_finds_the_top_axis_and_polis_pca_the_next_one_apart():
    data = np.array([[2.0, 0, 0], [-2, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 0.1]])
    gram = data.T @ data
    top = power_iteration(gram, np.ones(3))
    assert np.allclose(np.abs(top), [1, 0, 0], atol=1e-9)
    axes = polis_pca(centred_gram(sp.csr_matrix(data)), [None, None], np.random.default_rng(0))
    assert np.allclose(np.abs(axes), [[1, 0, 0], [0, 1, 0]], atol=1e-9)
    # started from the last update's axes, it stays on them whatever the random start would do
    again = polis_pca(centred_gram(sp.csr_matrix(data)), [axes[0], axes[1]], np.random.default_rng(99))
    assert np.allclose(again, axes)


def test_in_conversation_needs_seven_votes_tops_up_to_fifteen_and_never_lets_go():
    counts = np.array([9, 7, 6, 1, 0])
    order = np.arange(4)  # the rows of Pol.is's matrix: who has voted
    # fewer than 15 in: the most active others join, whatever their count
    member = _in_conversation(np.zeros(5, dtype=bool), counts, order, n_columns=40)
    assert member.tolist() == [True, True, True, True, False]
    # with only 3 statements voted on so far, 3 votes are enough
    few = _in_conversation(np.zeros(5, dtype=bool), np.array([3, 2, 0, 0, 0]), order, n_columns=3)
    assert few[0]
    previous = np.array([False, False, False, False, True])
    assert _in_conversation(previous, np.zeros(5, dtype=int), order, n_columns=40)[4]


def _two_camps_log(n_per_camp=20, n_statements=12, late_low=True):
    """Two camps voting opposite ways on every statement, in turn; then, if asked, a late
    participant with 2 votes."""
    rng = np.random.default_rng(3)
    participant, statement, value = [], [], []
    for s in range(n_statements):
        for p in rng.permutation(2 * n_per_camp):
            participant.append(p)
            statement.append(s)
            value.append(1 if p < n_per_camp else -1)
    n = 2 * n_per_camp
    if late_low:
        participant += [n, n]
        statement += [0, 1]
        value += [1, 1]
        n += 1
    time_ms = np.arange(len(participant)) * 2_000  # one poll per vote
    return VoteLog(np.array(participant), np.array(statement), np.array(value, dtype=np.int8),
                   time_ms, n, np.zeros(n_statements, dtype=bool))


def test_replay_separates_two_camps_and_leaves_out_a_late_low_voter():
    log = _two_camps_log()
    seen = []
    final = replay(log, [*range(1, len(log.time_ms) + 1, 7), len(log.time_ms)],
                   on_update=lambda end, state: seen.append(end))
    group = final.groups.group_of
    assert final.groups.n_groups == 2
    assert len(set(group[:20].tolist())) == 1 and len(set(group[20:40].tolist())) == 1
    assert group[0] != group[20]
    assert group[40] == -1  # 2 votes, joined when 40 people were in
    assert seen[-1] == len(log.time_ms)


def test_votes_on_a_moderated_out_statement_count_towards_the_seven():
    log = _two_camps_log(late_low=False)
    n = log.n_participants
    hidden = np.zeros(13, dtype=bool)
    hidden[12] = True
    # a latecomer votes on 6 shown statements and on the moderated-out one
    participant = np.concatenate([log.participant, np.full(7, n)])
    statement = np.concatenate([log.statement, [0, 1, 2, 3, 4, 5, 12]])
    value = np.concatenate([log.value, np.ones(7, dtype=np.int8)])
    time_ms = np.arange(len(participant)) * 2_000
    with_hidden = VoteLog(participant, statement, value, time_ms, n + 1, hidden)
    assert replay(with_hidden, [len(time_ms)]).groups.group_of[n] >= 0
    # the same six shown votes without it: not in
    without = VoteLog(participant[:-1], statement[:-1], value[:-1], time_ms[:-1], n + 1, hidden)
    assert replay(without, [len(time_ms) - 1]).groups.group_of[n] == -1


def test_a_workers_k_smoother_changes_k_on_the_fourth_win_in_a_row():
    state, smoothed = None, []
    for best in [2, 3, 3, 2, 3, 3, 3, 3, 4]:
        state = _smooth_k(state, best)
        smoothed.append(state[2])
    assert smoothed == [2, 2, 2, 2, 2, 2, 2, 3, 3]


def test_a_workers_group_clustering_follows_base_clusters_by_id():
    base = PolisClusters(ids=np.array([0, 2, 5]), center=np.zeros((3, 2)), label=np.zeros(0, dtype=np.int64))
    groups = PolisClusters(ids=np.array([0, 1]), center=np.zeros((2, 2)), label=np.array([1, 0, 1]))
    state = PolisState(np.zeros(0, dtype=bool), np.zeros((2, 0)), np.zeros(0, dtype=bool), base,
                       np.zeros(0, dtype=np.int64), {2: groups})
    # base cluster 2 is gone, 7 is new: 0 and 5 keep their groups, 7 has none yet
    warm = _warm_groups(state, 2, np.array([0, 5, 7]))
    assert warm is not None and warm.label.tolist() == [1, 1, -1]
    assert _warm_groups(state, 3, np.array([0, 5, 7])) is None


def test_replay_with_a_workers_memory_still_separates_two_camps():
    log = _two_camps_log()
    final = replay(log, [*range(1, len(log.time_ms) + 1, 7), len(log.time_ms)], worker_memory=True)
    group = final.groups.group_of
    assert final.groups.n_groups == 2 and group[0] != group[20]
    assert final.smoother.k == 2


def test_the_kept_sums_give_the_centred_products_exactly_after_changes_and_revotes():
    hidden = np.array([False, False, True, False])
    participant = np.array([0, 0, 1, 1, 2, 0, 2, 1, 3, 0])
    statement = np.array([0, 1, 0, 2, 3, 3, 1, 0, 1, 0])
    value = np.array([1, -1, 0, 1, -1, 1, 1, -1, 0, -1], dtype=np.int8)  # 1 and 0 re-vote on statement 0
    log = VoteLog(participant, statement, value, np.arange(10) * 2_000, 4, hidden)
    sums = None
    for start, end in [(0, 4), (4, 7), (7, 10)]:
        votes, _ = log.matrix(end)
        changed = np.unique(participant[start:end][~hidden[statement[start:end]]])
        sums = GramSums.of(votes, hidden, sums, changed)
        mean = column_means(votes)
        direct = centred_gram(votes.to_csr(votes.value - mean[votes.statement]))
        assert np.allclose(sums.gram(mean), direct, atol=1e-12)


def test_comments_marked_meta_are_hidden_like_moderated_out_ones(tmp_path):
    from server.consolidation.polis_export import PolisExport
    from server.consolidation.replay import read_vote_log

    (tmp_path / "votes.csv").write_text(
        "timestamp,datetime,comment-id,voter-id,vote\n1,x,10,7,1\n2,x,11,7,-1\n3,x,12,8,1\n", encoding="utf-8")
    votes = from_votes(np.array([0, 0]), np.array([0, 1]), np.array([1, -1]), 2, 2)
    export = PolisExport(np.array([10, 11]), np.array([7, 8]), votes, np.array([0, 0]))
    assert read_vote_log(tmp_path, export).hidden.tolist() == [False, False, True]  # 12: moderated out
    assert read_vote_log(tmp_path, export, meta=[11]).hidden.tolist() == [False, True, True]


def test_replay_of_canadian_electoral_reform_finds_polis_two_groups_from_the_stored_state():
    """Pol.is exported k = 2 (16 and 265); a worker's memory keeps k = 3 (measured ARI 0.185), the
    stored state gives 0.898 (tests/data/polis, CC BY 4.0, The Computational Democracy Project)."""
    from pathlib import Path

    from server.consolidation.partitions import adjusted_rand_index
    from server.consolidation.polis_export import read_polis_export
    from server.consolidation.replay import read_vote_log, update_points

    folder = Path(__file__).resolve().parents[1] / "data" / "polis" / "canadian-electoral-reform"
    export = read_polis_export(folder)
    log = read_vote_log(folder, export)
    final = replay(log, update_points(log.time_ms)).groups
    both = (final.group_of >= 0) & (export.polis_group >= 0)
    assert final.n_groups == 2
    assert adjusted_rand_index(final.group_of[both], export.polis_group[both]) >= 0.85
