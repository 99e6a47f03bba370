"""Opinion groups as Pol.is computes them (polismath/math/conversation.clj, pca.clj).

1. Participants "in conversation": at least 7 votes (all statements if fewer than 7), and
   if that leaves fewer than 15 people, the most active others up to 15 (Pol.is's greedy
   top-up, so a small village meeting still gets groups).
2. PCA to two components of the vote matrix, missing votes imputed by the column mean.
   After centring, an imputed cell is exactly 0, so the centred matrix has the sparsity of
   the votes: we build it with scipy.sparse and take its top eigenvectors of XᵀX with
   ARPACK (Lanczos) instead of Pol.is's dense power iteration; small matrices use a dense
   SVD. Like Pol.is, all voters enter the PCA; only the clustering is restricted to
   participants in conversation.
3. Projection of each participant, scaled by sqrt(n_statements / n_votes) so that someone
   who voted on few statements is not pulled into the centre by the imputed zeros.
4. Base clusters: k-means, k = 100, on the projections of participants in conversation.
5. Opinion groups: weighted k-means of the base-cluster centres (weight = member count)
   for k = 2..min(5, 2 + n_base // 12), keeping the k with the best silhouette. Pol.is
   scores the silhouette over the base-cluster centres, unweighted (clusters.clj
   ``silhouette`` averages without weights); that is the default here, and
   ``weighted_silhouette=True`` counts each centre once per member instead.

Known differences from a live Pol.is conversation, whose groups also depend on its
history: Pol.is warm-starts k-means from the previous update's clusters and only changes
k after the same k has won four updates in a row; it keeps a participant "in conversation"
once they qualified; and it zero-fills the columns of moderated-out comments for every
participant, which changes the sqrt(n_statements / n_votes) scaling. Here rejected
statements are simply absent, and the result depends on the current votes only; history.py
adds the history (stored versions), and replay.py the zero-filled columns (imports).

Everything is seeded: the same votes give bit-identical groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import ArpackError, LinearOperator, eigsh

from .clustering import kmeans, pairwise_distances, silhouette
from .matrix import VoteMatrix, column_means

# Up to this many cells (n_participants × n_statements) a dense SVD, exact, is as cheap as ARPACK: its cost
# grows as cells × min(n_participants, n_statements), ARPACK's as a few dozen passes over the votes. Above it
# ARPACK is faster on every conversation measured (448 × 174: 2 ms against 24 ms; 2,000 × 900: 20 ms against
# 0.5-0.8 s) and agrees with the dense SVD to 1e-14 on them.
DENSE_SVD_CELLS = 20_000
# Relative accuracy asked of ARPACK for the eigenvalues of XᵀX; the eigenvectors are then
# far more precise than anything the clustering of 2-D projections can notice.
ARPACK_TOL = 1e-8
# From this many votes a version's PCA starts from the previous version's axes (_warm_top_axes): at 5 M votes
# the exact axes cost 2.4 s of Lanczos, the warm ones a few steps of 0.03 s.
WARM_PCA_VOTES = 1_000_000
WARM_TOL = 1e-4
WARM_MAX_STEPS = 30


@dataclass(frozen=True)
class VotePCA:
    center: np.ndarray  # (n_statements,) column means of the observed votes
    components: np.ndarray  # (n_components, n_statements), unit rows
    singular_values: np.ndarray  # (n_components,)
    # the centred matrix the axes came from, which project() needs again (building it is a sort of every vote)
    centred: sp.csr_matrix | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class OpinionGroups:
    in_conversation: np.ndarray  # bool per participant
    projection: np.ndarray  # (n_participants, 2), scaled as Pol.is does
    pca: VotePCA
    base_label: np.ndarray  # base cluster per participant, -1 if not in conversation
    base_center: np.ndarray  # (n_base, 2)
    base_weight: np.ndarray  # members per base cluster
    group_of: np.ndarray  # opinion group per participant, -1 if not in conversation
    n_groups: int
    silhouette_by_k: tuple[tuple[int, float], ...]  # the candidates that were scored


def active_statements(votes: VoteMatrix) -> int:
    """Statements with at least one vote: Pol.is's matrix only has columns for these."""
    return int(np.count_nonzero(votes.votes_per_statement()))


def in_conversation(votes: VoteMatrix, min_votes: int = 7, greedy_n: int = 15,
                    counts: np.ndarray | None = None) -> np.ndarray:
    """Boolean mask of the participants Pol.is would cluster.

    ``counts`` replaces each participant's number of votes (a replay of a Pol.is export
    counts votes on statements moderated out, as Pol.is did)."""
    count = votes.votes_per_participant() if counts is None else counts
    member = (count >= min(min_votes, active_statements(votes))) & (count > 0)
    missing = greedy_n - int(member.sum())
    if missing > 0:
        # Most votes first, lower index first on ties (a stable sort: deterministic).
        candidates = np.flatnonzero(~member & (count > 0))
        ranked = candidates[np.argsort(-count[candidates], kind="stable")]
        member[ranked[:missing]] = True
    return member


def _fix_signs(components: np.ndarray) -> np.ndarray:
    """Make each component's largest-magnitude entry positive: SVD signs are arbitrary."""
    if components.size == 0:
        return components
    pivot = np.argmax(np.abs(components), axis=1)
    sign = np.sign(components[np.arange(len(components)), pivot])
    return components * np.where(sign == 0, 1.0, sign)[:, None]


def _sparse_top_axes(centred: sp.csr_matrix, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Top-k right singular vectors of a sparse matrix, as eigenvectors of XᵀX (Lanczos).

    XᵀX is applied as Xᵀ(Xv) with an explicit CSR transpose, which is about twice as fast
    as ``svds`` (it multiplies by the CSR matrix's transpose view). A fixed starting vector
    makes ARPACK deterministic (its default start is random).
    """
    transposed = centred.T.tocsr()
    gram = LinearOperator((centred.shape[1],) * 2, dtype=np.float64,
                          matvec=lambda x: transposed @ (centred @ x))
    v0 = np.random.default_rng(seed).standard_normal(centred.shape[1])
    eigval, eigvec = eigsh(gram, k=k, v0=v0, ncv=min(40, centred.shape[1]), tol=ARPACK_TOL)
    order = np.argsort(-eigval, kind="stable")
    return eigvec[:, order].T, np.sqrt(np.maximum(eigval[order], 0.0))


def _warm_top_axes(centred: sp.csr_matrix, start: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Top right singular vectors by block power iteration from the previous version's axes (``start``, k
    rows) and two random directions, with a Rayleigh-Ritz step each time; None if they do not settle.

    After a few new votes the previous axes are nearly right, and each step costs two sparse products with a
    4-column block. It stops when the variance each axis captures (its Ritz value, never above the exact
    one) moves by less than WARM_TOL between steps. An axis with a clear gap below it converges in a step or
    two; one among near-equal directions (noise) moves slowly and, at that point, captures within about
    0.1% of the variance the exact axis does (benchmarks/README.md), which the clustering of the projected
    points cannot tell apart. Pol.is's own updates do the same: power iteration from the last axes, a few
    steps."""
    k = len(start)
    extra = np.random.default_rng(seed).standard_normal((centred.shape[1], 2))
    basis, _ = np.linalg.qr(np.hstack([start.T, extra]))
    transposed = centred.T  # a CSC view: its products with a block are as fast as a copied CSR's
    before = None
    for _ in range(WARM_MAX_STEPS):
        image = transposed @ (centred @ basis)
        values, vectors = np.linalg.eigh(basis.T @ image)
        order = np.argsort(-values, kind="stable")
        values, vectors = values[order], vectors[:, order]
        if before is not None and (np.abs(values[:k] - before) <= WARM_TOL * np.abs(values[:k])).all():
            return (basis @ vectors)[:, :k].T, np.sqrt(np.maximum(values[:k], 0.0))
        before = values[:k]
        basis, _ = np.linalg.qr(image @ vectors)
    return None


def _dense_top_axes(centred: sp.csr_matrix, k: int) -> tuple[np.ndarray, np.ndarray]:
    _, sing, vt = np.linalg.svd(centred.toarray(), full_matrices=False)
    return vt[:k], sing[:k]


def vote_pca(
    votes: VoteMatrix, n_components: int = 2, seed: int = 0, dense_cells: int = DENSE_SVD_CELLS,
    start: np.ndarray | None = None,
) -> VotePCA:
    """Top principal axes of the column-mean-imputed vote matrix, without densifying it.

    ``start``: the previous version's axes over these columns, from which a round of at least
    WARM_PCA_VOTES votes starts (_warm_top_axes); smaller rounds always take the exact axes."""
    center = column_means(votes)
    centred = votes.to_csr(votes.value - center[votes.statement])
    shape = centred.shape
    k = min(n_components, min(shape))
    if k == 0 or not centred.data.any():  # nothing varies (e.g. one voter): no axis to find
        comps, sing = np.zeros((k, shape[1])), np.zeros(k)
    elif shape[0] * shape[1] <= dense_cells or k >= min(shape) - 1:
        comps, sing = _dense_top_axes(centred, k)
    else:
        warm = None
        if start is not None and votes.n_votes >= WARM_PCA_VOTES and len(start) == k and start.any():
            warm = _warm_top_axes(centred, start, seed)
        try:
            comps, sing = warm if warm is not None else _sparse_top_axes(centred, k, seed)
        except ArpackError:  # a degenerate matrix (rank below k): the exact SVD handles it
            comps, sing = _dense_top_axes(centred, k)
    comps = np.vstack([_fix_signs(comps), np.zeros((n_components - k, shape[1]))])
    sing = np.concatenate([sing, np.zeros(n_components - k)])
    return VotePCA(center=center, components=comps, singular_values=sing, centred=centred)


def project(votes: VoteMatrix, pca: VotePCA) -> np.ndarray:
    """Pol.is's sparsity-aware projection of every participant.

    The dot product runs over voted cells only (imputed cells are 0 after centring), then
    is multiplied by sqrt(n_statements / n_votes): Pol.is's correction that pushes people
    who voted on few statements out from the centre to where their votes point.
    """
    centred = pca.centred if pca.centred is not None else votes.to_csr(votes.value - pca.center[votes.statement])
    raw = np.asarray(centred @ pca.components.T)
    n_votes = np.maximum(votes.votes_per_participant(), 1)
    projected: np.ndarray = raw * np.sqrt(active_statements(votes) / n_votes)[:, None]
    return projected


def choose_groups(
    center: np.ndarray,
    weight: np.ndarray,
    max_groups: int = 5,
    seed: int = 0,
    n_init: int = 10,
    weighted_silhouette: bool = False,
    init: str = "k-means++",
) -> tuple[np.ndarray, tuple[tuple[int, float], ...]]:
    """Weighted k-means of the base centres for k = 2..min(max_groups, 2 + n_base // 12);
    returns the labels of the k with the best silhouette (smallest k on ties) and all
    (k, silhouette) pairs."""
    n_base = len(center)
    max_k = min(max_groups, 2 + n_base // 12, n_base)
    if max_k < 2:
        return np.zeros(n_base, dtype=np.int64), ()
    dist = pairwise_distances(center)
    best_label, best_score, scores = None, -np.inf, []
    for k in range(2, max_k + 1):  # at most four candidates
        result = kmeans(center, k, weights=weight, seed=seed, n_init=n_init, init=init)
        score = silhouette(dist, result.label, weight if weighted_silhouette else None)
        scores.append((k, score))
        if score > best_score:  # strict: the smaller k wins ties
            best_label, best_score = result.label, score
    assert best_label is not None, "a silhouette is finite, so the first k always scores above -inf"
    return best_label, tuple(scores)


def canonical_labels(label: np.ndarray) -> np.ndarray:
    """Renumber groups by decreasing size, then by first member: stable across runs."""
    n = int(label.max()) + 1
    size = np.bincount(label, minlength=n)
    first = np.full(n, len(label))
    np.minimum.at(first, label, np.arange(len(label)))
    order = np.lexsort((first, -size))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    canonical: np.ndarray = rank[label]
    return canonical


def opinion_groups(
    votes: VoteMatrix,
    *,
    base_k: int = 100,
    max_groups: int = 5,
    min_votes: int = 7,
    greedy_n: int = 15,
    seed: int = 0,
    group_n_init: int = 10,
    weighted_silhouette: bool = False,
    init: str = "k-means++",
    members: np.ndarray | None = None,
) -> OpinionGroups:
    """The whole Pol.is pipeline from votes to opinion groups (see the module docstring).

    ``members`` overrides who is in conversation (Pol.is keeps a participant in once they
    qualified; a caller that persists that set can pass it here).
    """
    if members is None:
        member = in_conversation(votes, min_votes=min_votes, greedy_n=greedy_n)
    else:
        member = np.asarray(members, dtype=bool).copy()
    pca = vote_pca(votes, seed=seed)
    projection = project(votes, pca)
    idx = np.flatnonzero(member)
    base_label = np.full(votes.n_participants, -1, dtype=np.int64)
    group_of = np.full(votes.n_participants, -1, dtype=np.int64)
    if len(idx) == 0:
        return OpinionGroups(member, projection, pca, base_label, np.zeros((0, 2)),
                             np.zeros(0), group_of, 0, ())
    base = kmeans(projection[idx], base_k, seed=seed, init=init)
    base_label[idx] = base.label
    group_of_base, scores = choose_groups(
        base.center, base.weight, max_groups, seed, group_n_init, weighted_silhouette, init
    )
    group_of[idx] = canonical_labels(group_of_base[base.label])
    return OpinionGroups(
        in_conversation=member,
        projection=projection,
        pca=pca,
        base_label=base_label,
        base_center=base.center,
        base_weight=base.weight,
        group_of=group_of,
        n_groups=int(group_of.max()) + 1,
        silhouette_by_k=scores,
    )
