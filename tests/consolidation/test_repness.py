"""Pol.is repness, consensus and group-informed consensus against hand-computed values
and against a literal, statement-by-statement port of repness.clj."""

import math

import numpy as np
import pytest

from server.consolidation.matrix import from_votes
from server.consolidation.repness import (
    group_informed_consensus,
    prop_test,
    repness_stats,
    select_consensus,
    select_representative,
    two_prop_test,
)
from server.consolidation.support import count_by_group


def test_prop_test_hand_values():
    # 2 * sqrt(n + 1) * ((succ + 1) / (n + 1) - 1/2)
    assert prop_test(np.array(5), np.array(8)) == pytest.approx(1.0)  # 6 * (6/9 - 1/2)
    assert prop_test(np.array(12), np.array(15)) == pytest.approx(2.5)  # 8 * (13/16 - 1/2)
    assert prop_test(np.array(0), np.array(0)) == pytest.approx(1.0)
    assert prop_test(np.array(0), np.array(3)) == pytest.approx(-1.0)  # 2 * 2 * (1/4 - 1/2)


def test_two_prop_test_hand_values():
    # +1 everywhere: 4/5 against 2/5, pooled 6/10.
    z = two_prop_test(np.array(3), np.array(1), np.array(4), np.array(4))
    assert z == pytest.approx(0.4 / math.sqrt(0.6 * 0.4 * (1 / 5 + 1 / 5)))
    assert z == pytest.approx(1.2909944487358056)
    # Pooled proportion 1: Pol.is returns 0 rather than dividing by zero.
    assert two_prop_test(np.array(4), np.array(4), np.array(4), np.array(4)) == 0.0


def tiny_conversation():
    """Group 0 (participants 0-3) all agree with statement 0, group 1 (4-7) all disagree;
    everybody agrees with statement 1; everybody passes statement 2."""
    p = np.repeat(np.arange(8), 3)
    s = np.tile([0, 1, 2], 8)
    value = np.array([[1 if i < 4 else -1, 1, 0] for i in range(8)]).ravel()
    return from_votes(p, s, value, 8, 3), np.repeat([0, 1], 4)


def test_repness_stats_hand_values():
    votes, groups = tiny_conversation()
    st = repness_stats(*count_by_group(votes, groups, 2))
    assert st.pa[0].tolist() == [5 / 6, 1 / 6]
    assert st.ra[0, 0] == pytest.approx((5 / 6) / (1 / 6))
    assert st.pat[0, 0] == pytest.approx(math.sqrt(5))  # 2 sqrt(5) (5/5 - 1/2)
    # 5/5 against 1/5, pooled 6/10.
    assert st.rat[0, 0] == pytest.approx(0.8 / math.sqrt(0.6 * 0.4 * 0.4))
    assert st.rdt[0, 1] == pytest.approx(st.rat[0, 0])
    assert st.rat[1].tolist() == [0.0, 0.0]  # both groups agree: nothing distinctive


def test_representative_statements_on_the_obvious_case():
    votes, groups = tiny_conversation()
    reps = select_representative(repness_stats(*count_by_group(votes, groups, 2)))
    # Group 0: statement 0, agree, which is also its best-agree pick.
    assert [(r.statement, r.repful_for, r.best_agree) for r in reps[0]] == [(0, "agree", True)]
    assert reps[0][0].n_success == 4 and reps[0][0].n_trials == 4
    # Group 1: statement 0 for disagree. Its best-agree pick is statement 1 (everyone
    # agrees); Pol.is finalises it as "disagree" because rat == rdt == 0 there, and puts
    # best-agree first: reproduced as is.
    assert [(r.statement, r.repful_for, r.best_agree) for r in reps[1]] == [
        (1, "disagree", True), (0, "disagree", False)]


def test_consensus_statements():
    votes, _ = tiny_conversation()
    everyone = np.zeros(votes.n_participants, dtype=np.int64)
    a, d, s = (x[:, 0] for x in count_by_group(votes, everyone, 1))
    consensus = select_consensus(a, d, s)
    # Statement 1: 8 of 8 agree, p = 9/10, test 2 * 3 * (9/9 - 1/2) = 3.
    assert [(c.statement, c.p_success, c.p_test) for c in consensus["agree"]] == [
        (1, 0.9, pytest.approx(3.0))]
    assert consensus["disagree"] == []  # statement 0 splits 4/4: p = 1/2 is not > 1/2
    assert select_consensus(a, d, s, eligible=np.array([True, False, True]))["agree"] == []


def test_group_informed_consensus_hand_values():
    agree = np.array([[4, 4], [4, 0], [0, 0]])
    seen = np.array([[4, 4], [4, 4], [0, 0]])
    assert group_informed_consensus(agree, seen).tolist() == [
        (5 / 6) * (5 / 6), (5 / 6) * (1 / 6), 0.25]


# A literal port of repness.clj's select-rep-comments, one statement at a time, to check
# the vectorised version. Stats come from repness_stats; only the selection is ported.

def _z(x):
    return x > 1.2816


def _finalize(st, c, g):
    if st.rat[c, g] > st.rdt[c, g]:
        return (c, "agree", st.na[c, g], st.pa[c, g], st.pat[c, g], st.ra[c, g], st.rat[c, g])
    return (c, "disagree", st.nd[c, g], st.pd[c, g], st.pdt[c, g], st.rd[c, g], st.rdt[c, g])


def _beats_best_agr(st, c, g, best):
    na, nd, ra, rat, pa, pat = (x[c, g] for x in (st.na, st.nd, st.ra, st.rat, st.pa, st.pat))
    if na == 0 and nd == 0:
        return False
    if best is not None and st.ra[best, g] > 1.0:
        return ra * rat * pa * pat > st.ra[best, g] * st.rat[best, g] * st.pa[best, g] * st.pat[
            best, g]
    if best is not None:
        return pa * pat > st.pa[best, g] * st.pat[best, g]
    return _z(pat) or (ra > 1.0 and pa > 0.5)


def reference_select(st):
    out = []
    for g in range(st.ns.shape[1]):
        sufficient, best, best_agree = [], None, None
        for c in range(st.ns.shape[0]):
            if (_z(st.rat[c, g]) and _z(st.pat[c, g])) or (_z(st.rdt[c, g]) and _z(st.pdt[c, g])):
                sufficient.append(c)
            if not sufficient and (best is None or max(st.rat[c, g], st.rdt[c, g]) > best[1]):
                best = (c, max(st.rat[c, g], st.rdt[c, g]))
            if _beats_best_agr(st, c, g, best_agree):
                best_agree = c
        head = [best_agree] if best_agree is not None else ([best[0]] if best else [])
        if not sufficient:
            out.append([_finalize(st, c, g) for c in head])
            continue
        rest = [_finalize(st, c, g) for c in sufficient if c != best_agree]
        rest.sort(key=lambda r: -(r[3] * r[4] * r[5] * r[6]))  # stable, as Clojure's sort-by
        chosen = ([_finalize(st, best_agree, g)] if best_agree is not None else []) + rest
        chosen = chosen[:5]
        out.append([r for r in chosen if r[1] == "agree"]
                   + [r for r in chosen if r[1] == "disagree"])
    return out


@pytest.mark.parametrize("seed", range(40))
def test_selection_matches_a_literal_port_of_polis(seed):
    rng = np.random.default_rng(seed)
    n_statements, n_groups = rng.integers(1, 40), rng.integers(2, 6)
    seen = rng.integers(0, 30, size=(n_statements, n_groups))
    agree = rng.binomial(seen, rng.random((n_statements, 1)))
    disagree = rng.binomial(seen - agree, 0.7)
    st = repness_stats(agree, disagree, seen)
    ours = select_representative(st)
    expected = reference_select(st)
    got = [[(r.statement, r.repful_for, r.n_success, r.p_success, r.p_test, r.repness,
             r.repness_test) for r in group] for group in ours]
    assert got == expected
