"""Pol.is's own k-means and PCA, as its math worker runs them (polismath/math/clusters.clj, pca.clj).

Ruam's opinion groups (opinion.py, clustering.py) take the same steps with sturdier tools: seeded
k-means++ and an exact SVD, the same answer whatever came before. Replaying a Pol.is export
(replay.py) needs Pol.is's own tools instead, because its groups are what those tools made of the
conversation's history:

- ``polis_kmeans`` (clusters.clj ``kmeans``): a cold start takes the first k distinct rows in row
  order (``init-clusters``); a warm start (``clean-start-clusters``) recentres the last update's
  clusters on their members, merges clusters whose centres coincide (``uniqify-clusters``) and
  then, while there are fewer clusters than min(k, distinct rows), makes the point farthest from
  every centre a cluster of its own (``most-distal``). Cluster ids are kept from update to update.
  Lloyd steps drop clusters left empty and stop when every centre, in sorted order, moved less
  than 0.01 (``same-clustering?``) or after ``max_iters`` + 1 steps.
- ``power_iteration`` and ``polis_pca`` (pca.clj ``power-iteration``, ``powerit-pca``): 100
  power iterations of XᵀX for each component, started from the last update's component (new
  statements padded with 1) or, at the first update, from a random vector; the second component
  is found after factoring the first out of the data (``factor-matrix``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.cluster.vq import vq

from .clustering import weighted_sums

SAME_CLUSTERING = 0.01  # clusters.clj same-clustering?: every centre moved less than this
PCA_ITERS = 100  # conversation.clj :pca-iters
DENSE_GRAM_CELLS = 20_000_000  # below this many cells XᵀX is formed from the dense matrix


@dataclass(frozen=True)
class PolisClusters:
    """A clustering as Pol.is keeps it: clusters with ids (ascending), their centres, and the
    cluster (index into ``ids``) of every point."""

    ids: np.ndarray
    center: np.ndarray  # (n_clusters, dim)
    label: np.ndarray  # index into ids per point

    def sizes(self) -> np.ndarray:
        sizes: np.ndarray = np.bincount(self.label, minlength=len(self.ids))
        return sizes


def _centres(points: np.ndarray, weights: np.ndarray, label: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Weighted centre of each cluster 0..k-1 over the points labelled with it (label -1: none),
    and each cluster's member count."""
    member = label >= 0
    lab = label[member]
    mass, sums = weighted_sums(points[member], weights[member], lab, k)
    centres = sums / np.where(mass > 0, mass, 1.0)[:, None]
    return centres, np.bincount(lab, minlength=k)


def _first_distinct(points: np.ndarray) -> np.ndarray:
    """Indices of the first occurrence of each distinct row, in row order (clusters.clj init-clusters)."""
    _, first = np.unique(points, axis=0, return_index=True)
    return np.sort(first)


def _clean_start(points: np.ndarray, weights: np.ndarray, ids: np.ndarray, label: np.ndarray,
                 k: int, n_distinct: int) -> tuple[np.ndarray, np.ndarray]:
    """Ids and centres to start from, after clusters.clj clean-start-clusters."""
    present = np.unique(label[label >= 0])
    if len(present) == 0:  # nobody left: one cluster of everyone
        new_id = int(ids.max()) + 1 if len(ids) else 0
        label = np.zeros(len(points), dtype=np.int64)
        return np.array([new_id]), _centres(points, weights, label, 1)[0]
    index = np.full(len(ids), -1, dtype=np.int64)
    index[present] = np.arange(len(present))
    label = np.where(label >= 0, index[np.maximum(label, 0)], -1)
    ids = ids[present].copy()
    centres, count = _centres(points, weights, label, len(ids))
    # uniqify-clusters: a cluster whose centre equals an earlier one's joins it, under the id of the
    # one with more members (the later one on a tie, as Clojure's max-key)
    keeper: dict[tuple[float, ...], int] = {}
    into = np.arange(len(ids))
    for i, centre in enumerate(map(tuple, centres.tolist())):  # at most 100 clusters
        j = keeper.setdefault(centre, i)
        if j != i:
            if count[i] >= count[j]:
                ids[j] = ids[i]
            count[j] += count[i]
            into[i] = j
    kept = np.unique(into)
    if len(kept) < len(ids):
        rank = np.full(len(ids), -1, dtype=np.int64)
        rank[kept] = np.arange(len(kept))
        label = np.where(label >= 0, rank[into[np.maximum(label, 0)]], -1)
        ids = ids[kept]
    possible = min(k, n_distinct)
    while True:  # one most-distal point per round, at most k rounds
        centres = _centres(points, weights, label, len(ids))[0]
        if len(ids) >= possible:
            return ids, centres
        _, dist = vq(points, centres, check_finite=False)
        far = len(dist) - 1 - int(np.argmax(dist[::-1]))  # max-key: the last on ties
        if dist[far] <= 0.0:
            return ids, centres
        label[far] = len(ids)
        ids = np.append(ids, int(ids.max()) + 1)


def _same_clustering(a: np.ndarray, b: np.ndarray) -> bool:
    a = a[np.lexsort(a.T[::-1])]
    b = b[np.lexsort(b.T[::-1])]
    n = min(len(a), len(b))  # Clojure's zip stops at the shorter
    return bool(np.all(np.linalg.norm(a[:n] - b[:n], axis=1) < SAME_CLUSTERING))


def polis_kmeans(points: np.ndarray, k: int, weights: np.ndarray | None = None,
                 last: PolisClusters | None = None, max_iters: int = 20) -> PolisClusters:
    """Pol.is's k-means (clusters.clj ``kmeans``), warm-started from ``last`` when given.

    ``last.label`` gives each point's cluster in the last update (-1 for points new since).
    ``max_iters`` is 20 unless said otherwise, as in clusters.clj: conversation.clj passes
    ``:max-iters 100`` for base clusters but ``:cluster-iters`` (a key kmeans ignores) for groups.
    """
    points = np.asarray(points, dtype=np.float64)
    weights = np.ones(len(points)) if weights is None else np.asarray(weights, dtype=np.float64)
    distinct = _first_distinct(points)
    if last is not None and (last.label >= 0).any():
        ids, centres = _clean_start(points, weights, last.ids, last.label.copy(), k, len(distinct))
    else:
        chosen = distinct[:k]
        ids, centres = np.arange(len(chosen)), points[chosen]
    for remaining in range(max_iters, -1, -1):  # at most max_iters + 1 Lloyd steps
        label = vq(points, centres, check_finite=False)[0].astype(np.int64)
        new_centres, count = _centres(points, weights, label, len(centres))
        used = count > 0  # cluster-step drops clusters without members
        rank = np.cumsum(used) - 1
        label, new_centres, new_ids = rank[label], new_centres[used], ids[used]
        done = remaining == 0 or _same_clustering(centres, new_centres)
        ids, centres = new_ids, new_centres
        if done:
            break
    order = np.argsort(ids, kind="stable")  # conversation.clj keeps clusters sorted by id
    position = np.empty_like(order)
    position[order] = np.arange(len(order))
    return PolisClusters(ids=ids[order], center=centres[order], label=position[label])


def power_iteration(gram: np.ndarray, start: np.ndarray, iters: int = PCA_ITERS) -> np.ndarray:
    """pca.clj power-iteration on XᵀX: ``iters`` + 1 products, or fewer if the eigenvalue
    estimate repeats exactly."""
    vector = np.asarray(start, dtype=np.float64)
    last = 0.0
    for remaining in range(iters, -1, -1):
        product = gram @ vector
        eigenvalue = float(np.linalg.norm(product))
        vector = product / eigenvalue if eigenvalue > 0.0 else product
        if remaining == 0 or eigenvalue == last:
            break
        last = eigenvalue
    return vector


def centred_gram(centred: sp.csr_matrix) -> np.ndarray:
    """XᵀX of a centred matrix, in one product."""
    if centred.shape[0] * centred.shape[1] <= DENSE_GRAM_CELLS:  # BLAS on the dense matrix is faster
        dense = centred.toarray()
        product: np.ndarray = dense.T @ dense
        return product
    return np.asarray((centred.T @ centred).todense())


def polis_pca(gram: np.ndarray, starts: list[np.ndarray | None], rng: np.random.Generator,
              n_components: int = 2, iters: int = PCA_ITERS) -> np.ndarray:
    """Pol.is's first ``n_components`` principal axes from XᵀX of the centred matrix (pca.clj powerit-pca).

    Each comes from ``power_iteration`` started at ``starts[i]`` (the last update's axis) or, when
    that is None or all zero (wrapped-pca), at a uniform random vector; the next is found in the
    data with the previous axes factored out, which on XᵀX is P·XᵀX·P with P = I − qqᵀ.
    """
    axes = []
    for i in range(n_components):
        start = starts[i] if i < len(starts) else None
        if start is None or not np.any(start):
            start = np.asarray(rng.random(size=gram.shape[0]))
        axis = power_iteration(gram, start, iters)
        axes.append(axis)
        norm = float(np.linalg.norm(axis))
        if norm > 0.0:  # factor-matrix leaves the data as it is for a zero axis
            q = axis / norm
            gq = gram @ q
            gram = gram - np.outer(q, gq) - np.outer(gq, q) + float(q @ gq) * np.outer(q, q)
    return np.array(axes).reshape(n_components, gram.shape[0])
