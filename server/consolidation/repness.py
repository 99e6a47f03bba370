"""Representative statements, consensus statements and group-informed consensus.

A port of Pol.is's polismath/math/repness.clj and stats.clj. Inputs are the per
statement × opinion-group counts A (agree), D (disagree), S (seen, passes included) from
``support.count_by_group``; outputs are dataclasses. Pol.is's internal vote sign is the
opposite of its export's; here A always means agrees.

Per statement c and group g ("rest" = all other opinion groups pooled):
  pa = (A + 1) / (S + 2)                  pat = prop_test(A, S)
  ra = pa / ((A_rest + 1) / (S_rest + 2)) rat = two_prop_test(A, A_rest, S, S_rest)
and the same with D for pd, pdt, rd, rdt. A statement is representative of g when both
its proportion test and its comparison with the rest are significant at 90% one-sided
(z > 1.2816) for agree, or both for disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Z_90 = 1.2816  # one-sided 90% normal quantile, as in stats.clj ``z-sig-90?``
MAX_REPRESENTATIVE = 5
MAX_CONSENSUS = 5


def prop_test(successes: np.ndarray, trials: np.ndarray) -> np.ndarray:
    """Pol.is's one-proportion z-score against 1/2, with +1 added to both counts:
    2 * sqrt(n + 1) * ((succ + 1) / (n + 1) - 0.5)."""
    succ = np.asarray(successes, dtype=np.float64) + 1.0
    n = np.asarray(trials, dtype=np.float64) + 1.0
    return 2.0 * np.sqrt(n) * (succ / n - 0.5)


def two_prop_test(
    succ_in: np.ndarray, succ_out: np.ndarray, pop_in: np.ndarray, pop_out: np.ndarray
) -> np.ndarray:
    """Pol.is's pooled two-proportion z-score (in-group minus rest), +1 on every count;
    0 when the pooled proportion is 1 (Pol.is's guard against dividing by zero)."""
    s1, s2, n1, n2 = (np.asarray(x, dtype=np.float64) + 1.0
                      for x in (succ_in, succ_out, pop_in, pop_out))
    pooled = (s1 + s2) / (n1 + n2)
    var = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)
    degenerate = pooled == 1.0
    z = (s1 / n1 - s2 / n2) / np.sqrt(np.where(degenerate, 1.0, var))
    return np.where(degenerate, 0.0, z)


def z_sig_90(z: np.ndarray) -> np.ndarray:
    return np.asarray(z) > Z_90


@dataclass(frozen=True)
class RepnessStats:
    """Arrays (n_statements, n_groups), named as in repness.clj."""

    na: np.ndarray
    nd: np.ndarray
    ns: np.ndarray
    pa: np.ndarray
    pd: np.ndarray
    pat: np.ndarray
    pdt: np.ndarray
    ra: np.ndarray
    rd: np.ndarray
    rat: np.ndarray
    rdt: np.ndarray


def repness_stats(agree: np.ndarray, disagree: np.ndarray, seen: np.ndarray) -> RepnessStats:
    """All of Pol.is's per statement × group statistics at once."""
    rest_a = agree.sum(axis=1, keepdims=True) - agree
    rest_d = disagree.sum(axis=1, keepdims=True) - disagree
    rest_s = seen.sum(axis=1, keepdims=True) - seen
    pa = (agree + 1.0) / (seen + 2.0)
    pd = (disagree + 1.0) / (seen + 2.0)
    return RepnessStats(
        na=agree, nd=disagree, ns=seen, pa=pa, pd=pd,
        pat=prop_test(agree, seen), pdt=prop_test(disagree, seen),
        ra=pa / ((rest_a + 1.0) / (rest_s + 2.0)),
        rd=pd / ((rest_d + 1.0) / (rest_s + 2.0)),
        rat=two_prop_test(agree, rest_a, seen, rest_s),
        rdt=two_prop_test(disagree, rest_d, seen, rest_s),
    )


@dataclass(frozen=True)
class RepStatement:
    statement: int
    repful_for: str  # "agree" or "disagree": whichever comparison test is larger
    n_success: int
    n_trials: int
    p_success: float
    p_test: float
    repness: float
    repness_test: float
    best_agree: bool = False  # Pol.is's always-first "best agree" pick

    @property
    def metric(self) -> float:
        """Pol.is's sort key: repness × repness-test × p-success × p-test."""
        return self.repness * self.repness_test * self.p_success * self.p_test


def _finalize(st: RepnessStats, c: int, g: int, best_agree: bool = False) -> RepStatement:
    """Pol.is ``finalize-cmt-stats``: agree if rat > rdt, else disagree."""
    if st.rat[c, g] > st.rdt[c, g]:
        fields = (st.na, st.pa, st.pat, st.ra, st.rat, "agree")
    else:
        fields = (st.nd, st.pd, st.pdt, st.rd, st.rdt, "disagree")
    n, p, pt, r, rt, side = fields
    return RepStatement(int(c), side, int(n[c, g]), int(st.ns[c, g]), float(p[c, g]),
                        float(pt[c, g]), float(r[c, g]), float(rt[c, g]), best_agree)


def _records(metric: np.ndarray, valid: np.ndarray, start: int, floor: float) -> np.ndarray:
    """Positions after ``start`` where a sequential 'keep if strictly better' scan over the
    valid entries would update its best, starting from a best worth ``floor``."""
    tail = np.where(valid[start + 1:], metric[start + 1:], -np.inf)
    before = np.maximum.accumulate(np.concatenate([[floor], tail]))[:-1]
    return start + 1 + np.flatnonzero(tail > before)


def _best_agree(st: RepnessStats, g: int, eligible: np.ndarray) -> int | None:
    """Pol.is ``beats-best-agr?`` folded over the statements in order, vectorised.

    The fold compares candidates with ra·rat·pa·pat while the current best has ra > 1 and
    with pa·pat otherwise, so it runs as a few vectorised 'record' scans, one per switch
    between the two regimes, instead of a Python loop over statements.
    """
    ra, rat, pa, pat = st.ra[:, g], st.rat[:, g], st.pa[:, g], st.pat[:, g]
    valid = eligible & ~((st.na[:, g] == 0) & (st.nd[:, g] == 0))
    first_ok = valid & (z_sig_90(pat) | ((ra > 1.0) & (pa > 0.5)))
    if not first_ok.any():
        return None
    best = int(np.argmax(first_ok))
    metric_rep, metric_prob = ra * rat * pa * pat, pa * pat
    while True:
        by_rep = ra[best] > 1.0
        metric = metric_rep if by_rep else metric_prob
        recs = _records(metric, valid, best, metric[best])
        switch = recs[(ra[recs] > 1.0) != by_rep]
        if len(switch) == 0:
            return int(recs[-1]) if len(recs) else best
        best = int(switch[0])


def select_representative(
    st: RepnessStats, eligible: np.ndarray | None = None
) -> list[list[RepStatement]]:
    """Pol.is ``select-rep-comments``: up to 5 representative statements per group.

    Statements passing both tests (agree or disagree) are sorted by the repness metric
    (stable, so statement order breaks ties); the group's "best agree" statement goes
    first; the top 5 are kept, agrees before disagrees. A group with no passing statement
    gets its best-agree statement, or failing that the one with the largest test value.
    """
    n_statements, n_groups = st.ns.shape
    eligible = np.ones(n_statements, bool) if eligible is None else np.asarray(eligible, bool)
    passes = eligible[:, None] & (
        (z_sig_90(st.rat) & z_sig_90(st.pat)) | (z_sig_90(st.rdt) & z_sig_90(st.pdt))
    )
    result = []
    for g in range(n_groups):  # loop over opinion groups (at most 5)
        agree_pick = _best_agree(st, g, eligible)
        head = [] if agree_pick is None else [_finalize(st, agree_pick, g, best_agree=True)]
        sufficient = np.flatnonzero(passes[:, g])
        if len(sufficient) == 0:
            if not head and eligible.any():
                test = np.where(eligible, np.maximum(st.rat[:, g], st.rdt[:, g]), -np.inf)
                head = [_finalize(st, int(np.argmax(test)), g)]
            result.append(head)
            continue
        sufficient = sufficient[sufficient != agree_pick]
        # RepStatement.metric for every statement at once, in its order of operations (the same floats):
        # only the few kept are made into records (thousands of them cost a quarter of a second)
        agree_side = st.rat[sufficient, g] > st.rdt[sufficient, g]
        metric = np.where(agree_side,
                          st.ra[sufficient, g] * st.rat[sufficient, g] * st.pa[sufficient, g] * st.pat[sufficient, g],
                          st.rd[sufficient, g] * st.rdt[sufficient, g] * st.pd[sufficient, g] * st.pdt[sufficient, g])
        kept = sufficient[np.argsort(-metric, kind="stable")][:max(MAX_REPRESENTATIVE - len(head), 0)]
        chosen = (head + [_finalize(st, int(c), g) for c in kept])[:MAX_REPRESENTATIVE]
        result.append([r for r in chosen if r.repful_for == "agree"]
                      + [r for r in chosen if r.repful_for == "disagree"])
    return result


@dataclass(frozen=True)
class ConsensusStatement:
    statement: int
    n_success: int
    n_trials: int
    p_success: float
    p_test: float


def select_consensus(
    agree: np.ndarray, disagree: np.ndarray, seen: np.ndarray, eligible: np.ndarray | None = None
) -> dict[str, list[ConsensusStatement]]:
    """Pol.is ``select-consensus-comments`` over all voters (1-D counts per statement):
    up to 5 statements with p > 0.5 and a significant prop-test, by p × test, per side."""
    eligible = np.ones(len(seen), bool) if eligible is None else np.asarray(eligible, bool)
    out = {}
    for side, n in (("agree", agree), ("disagree", disagree)):
        p = (n + 1.0) / (seen + 2.0)
        test = prop_test(n, seen)
        ok = np.flatnonzero(eligible & (p > 0.5) & z_sig_90(test))
        ranked = ok[np.argsort(-(p[ok] * test[ok]), kind="stable")][:MAX_CONSENSUS]
        out[side] = [ConsensusStatement(int(c), int(n[c]), int(seen[c]), float(p[c]),
                                        float(test[c])) for c in ranked]
    return out


def group_informed_consensus(agree: np.ndarray, seen: np.ndarray) -> np.ndarray:
    """GIC(c) = Π_g (A_g + 1) / (S_g + 2) over opinion groups (Pol.is group-aware consensus).

    Multiplied group by group, left to right, so the result does not depend on how numpy
    chooses to reduce: the same counts always give the same bits.
    """
    p = (np.asarray(agree, dtype=np.float64) + 1.0) / (np.asarray(seen, dtype=np.float64) + 2.0)
    gic = np.ones(p.shape[0])
    for g in range(p.shape[1]):  # loop over opinion groups, not statements
        gic = gic * p[:, g]
    return gic
