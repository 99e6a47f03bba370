"""Inclusive status of each clause, and which amendment replaces its clause.

Declared stakeholder groups (sea nomads, displaced Thais, urban poor, ...) are weighted
equally whatever their head count: a clause is only "consensus" if *every* group supports
it, so a large group cannot outvote a small one. Support per group comes from
``support.support_by_group``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .support import GroupSupport

CONSENSUS = "consensus"
CONTESTED = "contested"
UNDER_HEARD = "under_heard"


@dataclass(frozen=True)
class InclusiveStatus:
    status: np.ndarray  # per statement: "consensus" | "contested" | "under_heard"
    lacks_quorum: np.ndarray  # (n_statements, n_groups) bool: who must still be asked
    below_threshold: np.ndarray  # (n_statements, n_groups) bool: who does not support it

    def groups_lacking_quorum(self, statement: int) -> list[int]:
        return np.flatnonzero(self.lacks_quorum[statement]).tolist()

    def groups_below(self, statement: int) -> list[int]:
        return np.flatnonzero(self.below_threshold[statement]).tolist()


def inclusive_status(
    support: GroupSupport, quorum: np.ndarray, threshold: float
) -> InclusiveStatus:
    """Classify every statement.

    - under_heard: some group has fewer than ``quorum[g]`` distinct voters on it (seen,
      passes included). This wins over contested: until a group has been heard, the
      proposal must say who still has to be asked rather than call the clause settled.
    - consensus: every group has its quorum and p_g >= threshold.
    - contested: every group has its quorum and some p_g < threshold.
    """
    if not 0.0 < threshold < 1.0:
        raise ValueError("threshold must be in (0, 1)")
    quorum = np.asarray(quorum)
    if quorum.shape != (support.seen.shape[1],):
        raise ValueError("quorum needs one entry per declared group")
    lacks = support.seen < quorum[None, :]
    below = support.p < threshold
    status = np.where(
        lacks.any(axis=1), UNDER_HEARD, np.where(below.any(axis=1), CONTESTED, CONSENSUS)
    ).astype(object)
    return InclusiveStatus(status=status, lacks_quorum=lacks, below_threshold=below)


def weakest_group_support(p: np.ndarray) -> np.ndarray:
    """Score of a text = min over declared groups of p_g (rows: texts, columns: groups).

    The minimum is what the consensus rule tests (every group above the threshold), and it
    cannot be raised by piling on votes from one large group: a text is only as well
    supported as it is by the group that likes it least.
    """
    weakest: np.ndarray = np.asarray(p).min(axis=1)
    return weakest


def best_amendments(
    clause_p: np.ndarray,
    amendment_p: np.ndarray,
    amendment_clause: np.ndarray,
    amendment_eligible: np.ndarray | None = None,
) -> np.ndarray:
    """For each clause, the index of the amendment that replaces it, or -1 to keep it.

    ``clause_p`` (n_clauses, n_groups) and ``amendment_p`` (n_amendments, n_groups) are
    p_g per declared group; ``amendment_clause`` gives the clause each amendment amends;
    amendments must be given in id order (submission order). An amendment wins when:
    - it is eligible (callers should pass "has quorum in every group": p = (A+1)/(S+2)
      starts at 1/2 with no votes, so an unvoted amendment would otherwise beat a
      contested clause);
    - its weakest-group support is the highest among its clause's eligible amendments,
      ties going to the lowest id (the earliest proposal: deterministic, and it does not
      reward re-submitting the same text);
    - and it strictly beats the clause's own weakest-group support (a tie keeps the
      clause: the text people already read stays unless something is better).
    """
    amendment_clause = np.asarray(amendment_clause, dtype=np.int64)
    n_clauses = len(clause_p)
    score = weakest_group_support(amendment_p) if len(amendment_clause) else np.zeros(0)
    if amendment_eligible is not None:
        score = np.where(np.asarray(amendment_eligible, bool), score, -np.inf)
    winner = np.full(n_clauses, -1, dtype=np.int64)
    if len(amendment_clause) == 0:
        return winner
    # Sort by clause, then score descending, then id: the first row per clause is its best.
    order = np.lexsort((np.arange(len(score)), -score, amendment_clause))
    clause_sorted = amendment_clause[order]
    first = order[np.r_[True, clause_sorted[1:] != clause_sorted[:-1]]]
    beats = score[first] > weakest_group_support(clause_p)[amendment_clause[first]]
    winner[amendment_clause[first[beats]]] = first[beats]
    return winner
