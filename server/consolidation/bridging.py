"""Bridging consensus: how well a statement is agreed across groups, not within the biggest one.

For a statement and groups g = 1..G, with A_g agrees among S_g votes (passes count as votes):

    p_g = (A_g + 1) / (S_g + 2)          Laplace's rule, the mean of Beta(A_g + 1, S_g - A_g + 1)
    bridging = (p_1 · p_2 · … · p_G) ** (1 / G)

the geometric mean of each group's smoothed agreement. It is computed twice: across the round's
declared groups (sea nomads, farmers, officials, ...) and across its opinion groups (opinion.py).

What it follows, and where it differs:
- Pol.is's group-informed consensus (repness.group_informed_consensus, polismath conversation.clj) and
  red-dwarf's ``calculate_comment_statistics`` (reddwarf/utils/stats.py: the product over groups of
  ``probability(count, total, pseudo_count=1)``, which its ``select_consensus_statements`` sits beside)
  multiply the same smoothed p_g. The product shrinks with every extra group, so its values cannot be
  compared between rounds with 2 and 5 groups; the geometric mean is that product's G-th root, on the
  scale of one group's agreement (0.8 in every group gives 0.8), and ranks statements exactly as the
  product does within one round. Like the product it is pulled down hard by any one group that
  disagrees: a statement loved by one group and rejected by another scores low, whatever their sizes.
- Community Notes (twitter/communitynotes, documentation/under-the-hood/ranking-notes.md) calls a note
  helpful only when raters who usually disagree both rate it helpful, and gives no status at all
  ("Needs More Ratings") until it has enough ratings, later enough from raters of each perspective.
  Here that is the floor: a statement with fewer than ``floor`` votes in some group gets no score
  (None) and names the groups still lacking votes, rather than a score resting on a group's silence
  (with no votes p_g is 1/2, which would read as lukewarm agreement). Community Notes learns its
  perspectives by matrix factorisation; Ruam has them already, as declared and opinion groups.
- With fewer than two groups there is nothing to bridge: no score, and no group named as lacking.

Who may read it (rules.py): a score across declared groups rests on every declared group's figures on
the statement, so outside the facilitators it is shown only when all of them are shown. With the floor
at 3 (or more) that always holds when a score exists; the rule keeps holding if the floor is lowered.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FLOOR = 3  # votes needed from each group; not below disclosure.SMALL_GROUP (see above)


@dataclass(frozen=True)
class Bridging:
    """Per statement: the score (NaN where there is none) and which groups lack the floor."""

    score: np.ndarray  # (n_statements,) float64, NaN: no score
    lacking: np.ndarray  # (n_statements, n_groups) bool: fewer than `floor` votes from this group

    def at(self, statement: int) -> float | None:
        value = float(self.score[statement])
        return None if np.isnan(value) else value

    def lacking_at(self, statement: int) -> list[int]:
        return np.flatnonzero(self.lacking[statement]).tolist()


def bridging(agree: np.ndarray, seen: np.ndarray, floor: int = FLOOR) -> Bridging:
    """Bridging scores from per statement × group counts (support.count_by_group: A and S)."""
    agree = np.asarray(agree, dtype=np.float64)
    seen = np.asarray(seen, dtype=np.float64)
    if agree.shape != seen.shape or agree.ndim != 2:
        raise ValueError("agree and seen need the same (n_statements, n_groups) shape")
    if floor < 1:
        raise ValueError("the floor is at least one vote per group")
    n_statements, n_groups = seen.shape
    if n_groups < 2:
        return Bridging(np.full(n_statements, np.nan), np.zeros((n_statements, n_groups), bool))
    p = (agree + 1.0) / (seen + 2.0)
    product = np.ones(n_statements)
    for g in range(n_groups):  # left to right, as group_informed_consensus: the same counts, the same bits
        product = product * p[:, g]
    lacking = seen < floor
    score = np.where(lacking.any(axis=1), np.nan, product ** (1.0 / n_groups))
    return Bridging(score, lacking)
