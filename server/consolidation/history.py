"""Opinion groups that carry their history from one version to the next, as Pol.is's do.

Recomputed from scratch, the groups of two versions a few votes apart can differ a lot:
k-means finds another local optimum, or k flips between two values whose silhouettes
differ by a hair. Pol.is avoids both with its history (polismath/math/conversation.clj,
clusters.clj), and so does this module:

- Warm start. The previous version's groups are recentred on their members' rows in the
  new projection (the PCA axes move and may flip sign, so old centres cannot be reused as
  they are), then k-means runs from there. Base clusters are warm-started the same way
  when their membership was kept (stored versions since migration 0026), and a large
  round's PCA starts from the previous axes (opinion.vote_pca). (An import's replay of a
  Pol.is conversation follows Pol.is's own update step instead: replay.py.)
- k smoothing. k changes only when another k beats the current one by at least
  ``k_margin`` of silhouette in ``k_buffer`` consecutive versions (Pol.is: 4 versions,
  no margin). A gap below ``tie_gap`` is a tie: k stays and the runner-up is reported.
- Sticky membership. Someone placed in a group stays there unless their new group's
  centre is closer than their old group's by the factor ``stick``.
- Stable names. New groups are matched to the previous ones by overlap, so "group 1"
  stays the same people's group.

With no history the result is that of ``opinion.opinion_groups``; everything is seeded.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .clustering import (
    KMeansResult,
    add_distal_centers,
    kmeans,
    kmeans_from,
    pairwise_distances,
    silhouette,
    weighted_means,
)
from .matrix import VoteMatrix
from .opinion import OpinionGroups, canonical_labels, in_conversation, project, vote_pca

K_BUFFER = 4  # Pol.is's group-k-buffer
K_MARGIN = 0.02  # silhouette gaps of 0.001-0.02 between k are noise (Pol.is's Python rewrite)
TIE_GAP = 0.02
STICK = 0.2  # move someone only if their new group's centre is 20% closer than their old one's


@dataclass(frozen=True)
class KSmoother:
    """Which k the groups use, and which other k has been winning for how many versions."""

    k: int
    challenger: int
    streak: int

    def to_json(self) -> dict[str, int]:
        return {"k": self.k, "challenger": self.challenger, "streak": self.streak}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> KSmoother | None:
        if not data:
            return None
        return cls(int(data["k"]), int(data["challenger"]), int(data["streak"]))


def smooth_k(previous: KSmoother | None, scores: Mapping[int, float], buffer: int = K_BUFFER,
             margin: float = K_MARGIN) -> KSmoother:
    """The k to use now. The best k (smallest on ties) wins at once only the first time;
    after that it must beat the current k by ``margin`` ``buffer`` versions in a row."""
    best = max(scores, key=lambda k: (scores[k], -k))
    if previous is None or previous.k not in scores:
        return KSmoother(best, best, 0)
    current = previous.k
    if best == current or scores[best] < scores[current] + margin:
        return KSmoother(current, current, 0)
    streak = previous.streak + 1 if previous.challenger == best else 1
    if streak >= buffer:
        return KSmoother(best, best, 0)
    return KSmoother(current, best, streak)


@dataclass(frozen=True)
class Prior:
    """The previous version's groups, aligned to this version's participant rows (-1: none)."""

    group: np.ndarray
    smoother: KSmoother | None
    base: np.ndarray | None = None  # base cluster per participant, when it was kept
    axes: np.ndarray | None = None  # the previous principal axes over this version's statements (0: new ones)

    @classmethod
    def from_members(cls, members: Mapping[str, int], keys: list[str],
                     smoother: KSmoother | None) -> Prior:
        """From a stored version: its group per participant key, in this version's row order."""
        group = np.array([members.get(key, -1) for key in keys], dtype=np.int64)
        return cls(group=group, smoother=smoother)


@dataclass(frozen=True)
class StoredGroups:
    """A version's groups as stored: each grouped participant's group by key, and the k smoother."""

    members: Mapping[str, int]
    smoother: KSmoother | None

    def prior(self, keys: list[str]) -> Prior:
        return Prior.from_members(self.members, keys, self.smoother)


@dataclass(frozen=True)
class RunnerUp:
    """The k that came second, when it is within ``tie_gap`` of the chosen one."""

    k: int
    silhouette: float
    gap: float
    sizes: list[int]
    group_of: np.ndarray  # its groups per participant, -1 if not in conversation


@dataclass(frozen=True)
class GroupsWithHistory:
    groups: OpinionGroups
    smoother: KSmoother
    runner_up: RunnerUp | None
    prior: Prior  # what the next version starts from


def _recentred(points: np.ndarray, label: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The centre of each previous cluster that still has members here, in label order."""
    mine = label >= 0
    kept, index = np.unique(label[mine], return_inverse=True)  # at most 100 labels
    return weighted_means(points[mine], weights[mine], index, len(kept)).reshape(-1, points.shape[1])


def _warm_kmeans(points: np.ndarray, weights: np.ndarray, label: np.ndarray, k: int) -> KMeansResult | None:
    """k-means from the clusters ``label`` describes, grown to k if some have emptied."""
    if not (label >= 0).any():
        return None
    centres = _recentred(points, label, weights)[:k]
    if len(centres) < k:  # counting distinct points sorts them all: only when a centre is to be added
        centres = add_distal_centers(points, centres, min(k, len(np.unique(points, axis=0))))
    return kmeans_from(points, centres, weights)


def _align(label: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """Rename groups to the previous groups they share most people with (new ones after)."""
    both = (label >= 0) & (prior >= 0)
    n_new = int(label.max()) + 1
    if not both.any():
        return canonical_labels(label)
    n_old = int(prior[both].max()) + 1
    overlap = np.zeros((n_new, n_old))
    np.add.at(overlap, (label[both], prior[both]), 1.0)
    name = np.full(n_new, -1, dtype=np.int64)
    for new, old in _best_matching(overlap):
        name[new] = old
    unmatched = np.flatnonzero(name < 0)
    name[unmatched] = n_old + np.arange(len(unmatched))
    # keep the previous names' order but close the gaps left by vanished groups
    _, dense = np.unique(name, return_inverse=True)
    renamed: np.ndarray = dense[label]
    return renamed


def _best_matching(overlap: np.ndarray) -> list[tuple[int, int]]:
    """The pairs (row, column), each row and column at most once, with the largest total overlap; the first
    such in lexicographic order on ties. By trying every matching: there are at most 5 groups (120
    matchings), which costs less than importing scipy.optimize for it (0.1 s of a short command's start)."""
    rows, cols = overlap.shape
    if rows > cols:
        return sorted((r, c) for c, r in _best_matching(overlap.T))
    best: tuple[int, ...] = ()
    best_total = -1.0
    for chosen in itertools.permutations(range(cols), rows):
        total = float(overlap[np.arange(rows), list(chosen)].sum())
        if total > best_total:
            best, best_total = chosen, total
    return list(enumerate(best))


def _stick(points: np.ndarray, label: np.ndarray, prior: np.ndarray, stick: float) -> np.ndarray:
    """Keep people in their previous group unless the new one's centre is clearly closer."""
    k = int(label.max()) + 1
    centres = np.array([points[label == g].mean(axis=0) for g in range(k)])  # k ≤ 5
    was = np.where((prior >= 0) & (prior < k), prior, label)
    d_new = np.linalg.norm(points - centres[label], axis=1)
    d_old = np.linalg.norm(points - centres[was], axis=1)
    moves = d_new < (1.0 - stick) * d_old
    kept: np.ndarray = np.where(moves | (was == label), label, was)
    _, dense = np.unique(kept, return_inverse=True)  # a group emptied by stickiness closes up
    result: np.ndarray = dense.astype(np.int64)
    return result


def groups_with_history(
    votes: VoteMatrix,
    prior: Prior | None = None,
    *,
    base_k: int = 100,
    max_groups: int = 5,
    min_votes: int = 7,
    greedy_n: int = 15,
    seed: int = 0,
    group_n_init: int = 10,
    init: str = "k-means++",
    weighted_silhouette: bool = False,
    k_buffer: int = K_BUFFER,
    k_margin: float = K_MARGIN,
    tie_gap: float = TIE_GAP,
    stick: float = STICK,
) -> GroupsWithHistory:
    """Opinion groups as ``opinion.opinion_groups`` computes them, started from ``prior``; the prior they
    give the next version is what a stored version keeps (groups, base clusters, axes)."""
    counts = votes.votes_per_participant()
    member = in_conversation(votes, min_votes=min_votes, greedy_n=greedy_n, counts=counts)
    if prior is not None:  # once in conversation, always in (Pol.is's in-conv)
        member |= (prior.group >= 0) & (counts > 0)
    pca = vote_pca(votes, seed=seed, start=prior.axes if prior is not None else None)
    projection = project(votes, pca)
    idx = np.flatnonzero(member)
    n = votes.n_participants
    base_label = np.full(n, -1, dtype=np.int64)
    group_of = np.full(n, -1, dtype=np.int64)
    smoother = prior.smoother if prior is not None else None
    if len(idx) == 0:
        empty = OpinionGroups(member, projection, pca, base_label, np.zeros((0, 2)), np.zeros(0), group_of, 0, ())
        return GroupsWithHistory(empty, smoother or KSmoother(0, 0, 0), None,
                                 Prior(group_of, smoother, base_label, pca.components))
    points = projection[idx]
    ones = np.ones(len(idx))
    base = None
    if prior is not None and prior.base is not None:
        base = _warm_kmeans(points, ones, prior.base[idx], base_k)
    if base is None:
        base = kmeans(points, base_k, seed=seed, init=init)
    base_label[idx] = base.label

    n_base = len(base.center)
    max_k = min(max_groups, 2 + n_base // 12, n_base)
    dist = pairwise_distances(base.center)
    clusterings: dict[int, np.ndarray] = {}  # group per base cluster, for every k scored
    scores: dict[int, float] = {}
    for k in range(2, max_k + 1):  # at most four candidates
        result = None
        warm = _warm_labels(prior, k)
        if warm is not None:
            # a base cluster's previous group: that of most of its members
            of_base = _majority(base.label, warm[idx], n_base)
            result = _warm_kmeans(base.center, base.weight, of_base, k)
        if result is None:
            result = kmeans(base.center, k, weights=base.weight, seed=seed, n_init=group_n_init, init=init)
        clusterings[k] = result.label
        scores[k] = silhouette(dist, result.label, base.weight if weighted_silhouette else None)

    if not scores:  # too few people for two groups
        group_of[idx] = 0
        smoother = KSmoother(1, 1, 0)
        groups = OpinionGroups(member, projection, pca, base_label, base.center, base.weight, group_of, 1, ())
        return GroupsWithHistory(groups, smoother, None, Prior(group_of, smoother, base_label, pca.components))

    smoother = smooth_k(smoother, scores, k_buffer, k_margin)
    k = smoother.k
    label = clusterings[k][base.label]
    if prior is not None and (prior.group[idx] >= 0).any():
        label = _align(label, prior.group[idx])
        if prior.smoother is not None and prior.smoother.k == k and stick > 0:
            label = _stick(points, label, prior.group[idx], stick)
    else:
        label = canonical_labels(label)
    group_of[idx] = label

    runner_up = _runner_up(scores, k, tie_gap, clusterings, base.label, idx, n)
    groups = OpinionGroups(
        in_conversation=member, projection=projection, pca=pca, base_label=base_label,
        base_center=base.center, base_weight=base.weight, group_of=group_of,
        n_groups=int(group_of.max()) + 1, silhouette_by_k=tuple(scores.items()),
    )
    return GroupsWithHistory(groups, smoother, runner_up, Prior(group_of, smoother, base_label, pca.components))


def _warm_labels(prior: Prior | None, k: int) -> np.ndarray | None:
    if prior is None:
        return None
    if prior.smoother is not None and prior.smoother.k == k:
        return prior.group
    return None


def _majority(base_label: np.ndarray, group: np.ndarray, n_base: int) -> np.ndarray:
    """Per base cluster, the previous group most of its members were in (-1 if none were)."""
    known = group >= 0
    if not known.any():
        return np.full(n_base, -1, dtype=np.int64)
    n_groups = int(group[known].max()) + 1
    count = np.zeros((n_base, n_groups))
    np.add.at(count, (base_label[known], group[known]), 1.0)
    of_base: np.ndarray = np.where(count.sum(axis=1) > 0, count.argmax(axis=1), -1)
    return of_base


def _runner_up(scores: Mapping[int, float], k: int, tie_gap: float, clusterings: Mapping[int, np.ndarray],
               base_label: np.ndarray, idx: np.ndarray, n: int) -> RunnerUp | None:
    others = [kk for kk in scores if kk != k]
    if not others:
        return None
    second = max(others, key=lambda kk: (scores[kk], -kk))
    gap = scores[k] - scores[second]
    if abs(gap) > tie_gap:
        return None
    group_of = np.full(n, -1, dtype=np.int64)
    group_of[idx] = canonical_labels(clusterings[second][base_label])
    sizes = np.bincount(group_of[idx]).tolist()
    return RunnerUp(second, float(scores[second]), float(gap), sizes, group_of)
