"""A large round's PCA starts from the previous version's axes (opinion._warm_top_axes): after a few more
votes it must find the axes the exact (Lanczos) computation finds, wherever the data has them."""

import numpy as np

from server.consolidation import opinion
from server.consolidation.matrix import VoteMatrix
from server.consolidation.opinion import vote_pca


def _three_camps(n_p: int, n_s: int, fill: float, seed: int) -> VoteMatrix:
    """Three camps, each agreeing with its own third of the statements and disagreeing with the rest: two
    clear axes, then noise."""
    rng = np.random.default_rng(seed)
    keys = np.unique(rng.integers(0, n_p * n_s, int(n_p * n_s * fill)))
    participant, statement = (keys // n_s).astype(np.int32), (keys % n_s).astype(np.int32)
    camp = rng.integers(0, 3, n_p)
    value = np.where(statement * 3 // n_s == camp[participant], 1, -1)
    value = np.where(rng.random(len(keys)) < 0.15, -value, value).astype(np.int8)
    return VoteMatrix(participant, statement, value, n_p, n_s)


def _fewer(votes: VoteMatrix, share: float, seed: int) -> VoteMatrix:
    keep = np.random.default_rng(seed).random(votes.n_votes) < share
    return VoteMatrix(votes.participant[keep], votes.statement[keep], votes.value[keep],
                      votes.n_participants, votes.n_statements)


def test_from_the_previous_axes_it_finds_the_exact_ones(monkeypatch):
    monkeypatch.setattr(opinion, "WARM_PCA_VOTES", 0)
    votes = _three_camps(4000, 90, 0.2, seed=1)
    before = vote_pca(_fewer(votes, 0.97, seed=2), dense_cells=0)
    exact = vote_pca(votes, dense_cells=0)
    warm = vote_pca(votes, dense_cells=0, start=before.components)
    cosines = np.abs(np.sum(warm.components * exact.components, axis=1))
    assert (cosines > 0.999).all(), cosines
    assert np.allclose(warm.singular_values, exact.singular_values, rtol=1e-4)
    # deterministic: the same votes and the same start give the same axes, bit for bit
    again = vote_pca(votes, dense_cells=0, start=before.components)
    assert again.components.tobytes() == warm.components.tobytes()


def test_small_rounds_and_rounds_without_a_start_take_the_exact_axes():
    votes = _three_camps(400, 30, 0.3, seed=3)
    exact = vote_pca(votes, dense_cells=0)
    wrong_start = np.roll(exact.components, 5, axis=1)  # below WARM_PCA_VOTES the start is not used
    assert vote_pca(votes, dense_cells=0, start=wrong_start).components.tobytes() == exact.components.tobytes()
