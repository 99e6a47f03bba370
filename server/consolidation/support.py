"""Support for each statement within each group of participants.

Used for declared stakeholder groups (inclusive status) and for opinion groups (repness,
group-informed consensus): both need, per statement × group, the agrees A, disagrees D and
the number who saw it S (passes count as seen).

p = (A + 1) / (S + 2) is the posterior mean of the agree rate under a uniform prior: with
no votes it is 1/2, and it is pulled towards 1/2 while a group has few votes, so a group
of three enthusiastic voters cannot outweigh a group of thirty. It is the same estimate
Pol.is uses (repness ``pa`` and group-informed consensus).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
from scipy.special import betaincinv

from .matrix import AGREE, DISAGREE, VoteMatrix

# Above this many statement × class × value cells, counting every grouping at once costs more memory than it saves
MAX_JOINT_CELLS = 20_000_000


@dataclass(frozen=True)
class GroupSupport:
    """Arrays of shape (n_statements, n_groups)."""

    agree: np.ndarray  # A, int64
    disagree: np.ndarray  # D, int64
    seen: np.ndarray  # S = agrees + disagrees + passes, int64
    p: np.ndarray  # (A + 1) / (S + 2)
    low: np.ndarray  # lower bound of the interval for the agree rate
    high: np.ndarray  # upper bound
    level: float  # e.g. 0.95


def count_by_group(
    votes: VoteMatrix, group_of: np.ndarray, n_groups: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(A, D, S), each (n_statements, n_groups); participants with group -1 are ignored.

    One bincount over a flattened (statement, group, value) key: no loop over votes or statements.
    """
    return count_by_groupings(votes, [(group_of, n_groups)])[0]


def count_by_groupings(
    votes: VoteMatrix, groupings: Sequence[tuple[np.ndarray, int]]
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """count_by_group for several groupings of the same participants (declared groups, opinion groups), from
    one pass over the votes instead of one each: a 5-million-vote round spends its time in passes.

    Each participant's combination of groups (-1 included) is one class, at most a few dozen; the votes are
    counted per statement × class × value once, then summed for each grouping."""
    sizes = [n + 1 for _, n in groupings]  # slot 0: not in any group of that grouping
    n_classes = int(np.prod(sizes)) if sizes else 1
    if len(groupings) > 1 and votes.n_statements * n_classes * 3 > MAX_JOINT_CELLS:  # many groups: one pass each
        return [count_by_groupings(votes, [grouping])[0] for grouping in groupings]
    member = np.zeros(votes.n_participants, dtype=np.int64)
    for (group_of, n), size in zip(groupings, sizes, strict=True):
        group_of = np.asarray(group_of)
        if len(group_of) != votes.n_participants:
            raise ValueError("group_of needs one entry per participant")
        if len(group_of) and group_of.max() >= n:
            raise ValueError("group index >= n_groups")
        member = member * size + (np.maximum(group_of, -1) + 1)
    key = (votes.statement.astype(np.int64) * n_classes + member[votes.participant]) * 3 + (votes.value + 1)
    counts = np.bincount(key, minlength=votes.n_statements * n_classes * 3).reshape(
        votes.n_statements, *sizes, 3).astype(np.int64)
    result = []
    for axis in range(1, len(sizes) + 1):
        others = tuple(a for a in range(1, len(sizes) + 1) if a != axis)
        by_group = counts.sum(axis=others)[:, 1:, :]  # (statements, groups, value); slot 0 left out
        result.append((by_group[..., AGREE + 1], by_group[..., DISAGREE + 1], by_group.sum(axis=2)))
    return result


def posterior_mean(successes: np.ndarray, trials: np.ndarray) -> np.ndarray:
    """(successes + 1) / (trials + 2): Laplace's rule of succession."""
    return (np.asarray(successes, dtype=np.float64) + 1.0) / (np.asarray(trials) + 2.0)


def beta_interval(
    successes: np.ndarray, trials: np.ndarray, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Equal-tailed credible interval of Beta(A + 1, S - A + 1).

    This is the posterior whose mean is p = (A + 1) / (S + 2), so p always lies inside its
    own interval, and with no votes the interval is (0.025, 0.975) rather than undefined.
    """
    a = np.asarray(successes, dtype=np.float64) + 1.0
    b = np.asarray(trials, dtype=np.float64) - successes + 1.0
    tail = (1.0 - level) / 2.0
    return betaincinv(a, b, tail), betaincinv(a, b, 1.0 - tail)


def wilson_interval(
    successes: np.ndarray, trials: np.ndarray, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for successes / trials; (0, 1) when there are no trials."""
    z = NormalDist().inv_cdf(0.5 + level / 2.0)
    n = np.asarray(trials, dtype=np.float64)
    safe_n = np.where(n > 0, n, 1.0)
    phat = np.asarray(successes, dtype=np.float64) / safe_n
    denom = 1.0 + z * z / safe_n
    centre = (phat + z * z / (2.0 * safe_n)) / denom
    half = z * np.sqrt(phat * (1.0 - phat) / safe_n + z * z / (4.0 * safe_n * safe_n)) / denom
    low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), 0.0)
    high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), 1.0)
    return low, high


def support_by_group(
    votes: VoteMatrix,
    group_of: np.ndarray,
    n_groups: int,
    level: float = 0.95,
    interval: str = "beta",
) -> GroupSupport:
    """Support per statement × group, with a ``level`` interval ("beta" or "wilson")."""
    return support_from_counts(*count_by_group(votes, group_of, n_groups), level=level, interval=interval)


def support_from_counts(agree: np.ndarray, disagree: np.ndarray, seen: np.ndarray, level: float = 0.95,
                        interval: str = "beta") -> GroupSupport:
    bounds = {"beta": beta_interval, "wilson": wilson_interval}[interval]
    low, high = bounds(agree, seen, level)
    return GroupSupport(
        agree=agree,
        disagree=disagree,
        seen=seen,
        p=posterior_mean(agree, seen),
        low=low,
        high=high,
        level=level,
    )
