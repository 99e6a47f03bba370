"""Weighted k-means and silhouette in numpy, deterministic for a given seed.

Pol.is clusters twice: participants' 2-D projections into ~100 "base clusters", then the
base-cluster centres (weighted by member count) into 2..5 opinion groups, choosing k by
silhouette. Both steps use ``kmeans`` below; ``silhouette`` scores the second.

Initialisation. Pol.is starts from the first k distinct rows (``init-clusters`` in
polismath/math/clusters.clj) and, in production, from the previous update's clusters, so
its result depends on row order and on the conversation's history. Here the default is
k-means++ driven by a seeded ``np.random.Generator`` (and the best of ``n_init`` runs by
inertia), which gives the same answer for the same input whatever happened before;
``init="first-distinct"`` reproduces Pol.is's cold start for comparison.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.cluster.vq import vq


@dataclass(frozen=True)
class KMeansResult:
    label: np.ndarray  # cluster per point, 0..k-1 (empty clusters dropped, as Pol.is does)
    center: np.ndarray  # (k, dim)
    weight: np.ndarray  # total weight per cluster
    inertia: float  # weighted sum of squared distances to the assigned centre


def _squared_distance_to(points: np.ndarray, center: np.ndarray) -> np.ndarray:
    """Squared distance of every point to one centre (exactly 0 for the centre itself)."""
    diff = points - center
    squared: np.ndarray = np.einsum("ij,ij->i", diff, diff)
    return squared


def distinct_rows(points: np.ndarray) -> np.ndarray:
    """Indices of the first occurrence of each distinct row, in row order."""
    _, first = np.unique(points, axis=0, return_index=True)
    return np.sort(first)


def _init_kmeanspp(
    points: np.ndarray, weights: np.ndarray, k: int, rng: np.random.Generator
) -> np.ndarray:
    """k-means++ seeding (Arthur & Vassilvitskii), sampling ∝ weight × D²."""
    first = rng.choice(len(points), p=weights / weights.sum())
    centers = [points[first]]
    closest = _squared_distance_to(points, points[first])
    for _ in range(1, k):  # loop over k (≤ 100) centres, each step vectorised over points
        score = weights * closest
        total = score.sum()
        if total <= 0.0:  # fewer distinct points than k: stop early
            break
        pick = rng.choice(len(points), p=score / total)
        centers.append(points[pick])
        closest = np.minimum(closest, _squared_distance_to(points, points[pick]))
    return np.array(centers)


def _lloyd(
    points: np.ndarray, weights: np.ndarray, centers: np.ndarray, max_iter: int, tol: float
) -> KMeansResult:
    """Lloyd iterations until the centres' total squared shift is at most ``tol`` × the
    mean variance of the points (scikit-learn's convention; Pol.is stops at a fixed 0.01
    shift) or ``max_iter`` rounds."""
    shift_tol = tol * float(np.mean(np.var(points, axis=0)))
    for _ in range(max_iter):
        label = _nearest(points, centers)
        new_centers = weighted_means(points, weights, label, len(centers))
        converged = (
            new_centers.shape == centers.shape
            and float(((new_centers - centers) ** 2).sum()) <= shift_tol
        )
        centers = new_centers
        if converged:
            break
    label, dist = vq(points, centers, check_finite=False)
    used = np.bincount(label, minlength=len(centers)) > 0
    label = np.cumsum(used)[label] - 1  # renumber if a centre ended up empty
    return KMeansResult(
        label=label.astype(np.int64),
        center=centers[used],
        weight=np.bincount(label, weights=weights, minlength=int(used.sum())),
        inertia=float(weights @ (dist * dist)),
    )


def weighted_sums(
    points: np.ndarray, weights: np.ndarray, label: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per cluster 0..k-1 (labels all >= 0): its total weight, and the weighted sum of its points."""
    mass = np.bincount(label, weights=weights, minlength=k)
    sums = np.stack(
        [np.bincount(label, weights=weights * points[:, d], minlength=k)
         for d in range(points.shape[1])],  # loop over the 2 dimensions
        axis=1,
    )
    return mass, sums


def weighted_means(
    points: np.ndarray, weights: np.ndarray, label: np.ndarray, k: int
) -> np.ndarray:
    """Weighted centre of each non-empty cluster (Pol.is drops clusters left empty)."""
    mass, sums = weighted_sums(points, weights, label, k)
    used = mass > 0
    result: np.ndarray = sums[used] / mass[used][:, None]
    return result


def _nearest(points: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """Index of the nearest centre per point.

    scipy's ``vq`` does this in C without an n × k temporary (10× faster than numpy at
    100,000 × 100) and keeps the first centre on ties, so assignment is deterministic.
    """
    nearest: np.ndarray = vq(points, centers, check_finite=False)[0].astype(np.int64)
    return nearest


def kmeans(
    points: np.ndarray,
    k: int,
    weights: np.ndarray | None = None,
    seed: int = 0,
    n_init: int = 1,
    max_iter: int = 100,
    init: str = "k-means++",
    tol: float = 1e-4,
) -> KMeansResult:
    """Weighted Lloyd k-means; k is capped at the number of distinct points.

    With ``init="k-means++"`` the best of ``n_init`` seeded runs (lowest inertia, first on
    ties) is returned; the seeds come from one ``np.random.Generator(seed)`` so the result
    is a pure function of (points, k, weights, seed, n_init).
    """
    points = np.asarray(points, dtype=np.float64)
    weights = np.ones(len(points)) if weights is None else np.asarray(weights, np.float64)
    distinct = distinct_rows(points)
    k = min(k, len(distinct))
    if k <= 0:
        raise ValueError("k-means needs at least one point")
    if init == "first-distinct":
        return _lloyd(points, weights, points[distinct[:k]], max_iter, tol)
    if init != "k-means++":
        raise ValueError(f"unknown init {init!r}")
    rng = np.random.default_rng(seed)
    best: KMeansResult | None = None
    for _ in range(n_init):
        result = _lloyd(points, weights, _init_kmeanspp(points, weights, k, rng), max_iter, tol)
        if best is None or result.inertia < best.inertia:
            best = result
    assert best is not None
    return best


def kmeans_from(
    points: np.ndarray,
    centers: np.ndarray,
    weights: np.ndarray | None = None,
    max_iter: int = 100,
    tol: float = 1e-4,
) -> KMeansResult:
    """Lloyd iterations from given centres: a warm start from the previous version's clusters.

    Pol.is starts each update from the last update's clusters (``clean-start-clusters`` in
    clusters.clj), which is what keeps its groups still while votes trickle in. Labels follow
    the order of ``centers`` (a centre left empty is dropped and the later ones move down).
    """
    points = np.asarray(points, dtype=np.float64)
    weights = np.ones(len(points)) if weights is None else np.asarray(weights, np.float64)
    if len(centers) == 0:
        raise ValueError("a warm start needs at least one centre")
    return _lloyd(points, weights, np.asarray(centers, dtype=np.float64), max_iter, tol)


def add_distal_centers(points: np.ndarray, centers: np.ndarray, k: int) -> np.ndarray:
    """Grow ``centers`` to k by making the point farthest from every centre a new one.

    Pol.is's way of adding clusters to a warm start (``most-distal``): new participants far
    from every known cluster found a cluster of their own. Stops early when every point
    sits on a centre (fewer distinct points than k).
    """
    centers = np.asarray(centers, dtype=np.float64).reshape(-1, points.shape[1])
    if len(centers) == 0:
        centers = points[:1].astype(np.float64)
    _, dist = vq(points, centers, check_finite=False)
    grown = [centers]
    for _ in range(k - len(centers)):  # at most k (≤ 100) steps, each vectorised over points
        far = int(np.argmax(dist))  # first on ties: deterministic
        if dist[far] <= 0.0:
            break
        grown.append(points[far:far + 1])
        dist = np.minimum(dist, np.sqrt(_squared_distance_to(points, points[far])))
    return np.vstack(grown)


def silhouette(
    distances: np.ndarray, label: np.ndarray, weights: np.ndarray | None = None
) -> float:
    """Mean silhouette of a clustering, from a full distance matrix.

    With ``weights``, point i stands for weights[i] coincident members (a base cluster and
    its participants): the result is the silhouette of the participants placed at their
    base-cluster centres, so a base cluster of 300 people counts 300 times, and the other
    members of one's own base cluster count in a(i) at distance 0. Without weights this is
    the ordinary silhouette over the points, which is what Pol.is computes over base
    clusters. A point alone in its cluster scores 0 (Rousseeuw's convention, and Pol.is's).
    """
    label = np.asarray(label)
    w = np.ones(len(label)) if weights is None else np.asarray(weights, dtype=np.float64)
    n_clusters = int(label.max()) + 1
    if n_clusters < 2:
        return 0.0
    onehot = np.zeros((len(label), n_clusters))
    onehot[np.arange(len(label)), label] = 1.0
    cluster_mass = w @ onehot  # W_c
    weighted_sum = distances @ (onehot * w[:, None])  # Σ_{j in c} w_j d_ij, (n, k)
    rows = np.arange(len(label))
    own_mass = cluster_mass[label] - 1.0  # the point itself does not count
    alone = own_mass <= 0.0
    a = weighted_sum[rows, label] / np.where(alone, 1.0, own_mass)
    mean_to = weighted_sum / cluster_mass[None, :]
    mean_to[rows, label] = np.inf
    b = mean_to.min(axis=1)
    scale = np.maximum(a, b)
    s = np.where(alone | (scale == 0.0), 0.0, (b - a) / np.where(scale == 0.0, 1.0, scale))
    return float(w @ s / w.sum())


def pairwise_distances(points: np.ndarray) -> np.ndarray:
    """Euclidean distance matrix for small inputs (base-cluster centres).

    Computed from differences rather than the expanded form so the diagonal is exactly 0.
    """
    diff = points[:, None, :] - points[None, :, :]
    distances: np.ndarray = np.sqrt(np.einsum("ijk,ijk->ij", diff, diff))
    return distances
