"""From a round's inputs to its proposal: a pure function, so the same inputs give the same output.

The numerical parts live in support, opinion, repness and status; this module puts them
together and shapes the result as JSON-ready data.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, cast

import numpy as np

from server.consolidation.bridging import FLOOR as BRIDGING_FLOOR
from server.consolidation.bridging import bridging
from server.consolidation.history import K_BUFFER, K_MARGIN, STICK, TIE_GAP, Prior, RunnerUp, groups_with_history
from server.consolidation.inputs import RoundInputs
from server.consolidation.repness import (
    group_informed_consensus,
    repness_stats,
    select_consensus,
    select_representative,
)
from server.consolidation.status import InclusiveStatus, best_amendments, inclusive_status
from server.consolidation.support import GroupSupport, count_by_groupings, support_from_counts
from server.consolidation.voices import voices

# 1.1: bridging scores; 1.2: opinion groups carry their history (history.py); 1.3: base clusters too, and a
# large round's principal axes
ALGORITHM_VERSION = "1.3.0"
PARAMETERS: dict[str, Any] = {
    "interval": "beta", "interval_level": 0.95, "min_votes": 7, "greedy_n": 15, "base_k": 100,
    "max_groups": 5, "group_n_init": 10, "init": "k-means++", "weighted_silhouette": False, "seed": 0,
    "repness_z": 1.2816, "voices_similarity": 0.35, "bridging_floor": BRIDGING_FLOOR,
    "k_buffer": K_BUFFER, "k_margin": K_MARGIN, "tie_gap": TIE_GAP, "stick": STICK,
}


def _ref(inputs: RoundInputs, s: int) -> str:
    return inputs.statement_external[s] or str(inputs.statement_ids[s])


@dataclass(frozen=True)
class Computed:
    """A version's summary, which every reader reads, and apart from it the opinion group of each participant
    (the inputs' order, -1 where not clustered): per person, so as large as the round, and read only when asked
    (service.consolidate stores it apart: memberships.py)."""

    result: dict[str, Any]
    opinion_group_of: np.ndarray
    base_of: np.ndarray  # base cluster per participant, -1 where not clustered: the next version starts from it
    axes: np.ndarray  # the principal axes over the inputs' statements (2 × statements): the same


def participant_keys(inputs: RoundInputs) -> list[str]:
    """How a version names each participant: their external id (an imported round's people), else their id."""
    return [external or str(pid) for external, pid in zip(inputs.participant_external, inputs.participant_ids,
                                                          strict=True)]


def compute(inputs: RoundInputs, prior: Prior | None = None) -> Computed:
    """``prior``: the previous version's groups, which these start from (history.py); the same inputs
    and the same previous version give the same output."""
    votes = inputs.votes
    n_declared = len(inputs.group_keys)
    history = groups_with_history(
        votes, prior, base_k=PARAMETERS["base_k"], max_groups=PARAMETERS["max_groups"],
        min_votes=PARAMETERS["min_votes"], greedy_n=PARAMETERS["greedy_n"], seed=PARAMETERS["seed"],
        group_n_init=PARAMETERS["group_n_init"], weighted_silhouette=PARAMETERS["weighted_silhouette"],
        init=PARAMETERS["init"], k_buffer=PARAMETERS["k_buffer"], k_margin=PARAMETERS["k_margin"],
        tie_gap=PARAMETERS["tie_gap"], stick=PARAMETERS["stick"])
    opinion = history.groups
    # Pol.is picks overall consensus from every voter, not only those placed in a group
    everyone = np.zeros(votes.n_participants, dtype=np.int64)
    by_declared, by_opinion, by_everyone = count_by_groupings(votes, [
        (inputs.participant_group, n_declared), (opinion.group_of, max(opinion.n_groups, 1)), (everyone, 1)])
    declared = support_from_counts(*by_declared, level=PARAMETERS["interval_level"], interval=PARAMETERS["interval"])
    status = inclusive_status(declared, inputs.group_quorum, inputs.threshold)
    o_agree, o_disagree, o_seen = by_opinion
    gic = group_informed_consensus(o_agree, o_seen)
    stats = repness_stats(o_agree, o_disagree, o_seen)
    representative = select_representative(stats) if opinion.n_groups else []
    all_agree, all_disagree, all_seen = by_everyone
    overall = select_consensus(all_agree[:, 0], all_disagree[:, 0], all_seen[:, 0])

    statements = _statements(inputs, declared, status, gic, o_agree, o_disagree, o_seen)
    _add_bridging(statements, inputs.group_keys, declared, o_agree[:, :opinion.n_groups], o_seen[:, :opinion.n_groups])
    clauses = _adopted_clauses(inputs, declared, status, statements)
    return Computed(result={
        "algorithm_version": ALGORITHM_VERSION,
        "threshold": inputs.threshold,
        "groups": [{"key": k, "quorum": int(q), "participants": int(n)} for k, q, n in zip(
            inputs.group_keys, inputs.group_quorum.tolist(),
            np.bincount(inputs.participant_group[inputs.participant_group >= 0],
                        minlength=n_declared).tolist(), strict=True)],
        "opinion_group_count": opinion.n_groups,
        "silhouette": [[k, round(s, 6)] for k, s in opinion.silhouette_by_k],
        "k_smoother": history.smoother.to_json(),
        "k_tie": _k_tie(history.runner_up, opinion.group_of, opinion.silhouette_by_k),
        "representative": [[{"statement": _ref(inputs, r.statement), "repful_for": r.repful_for,
                             "p": round(r.p_success, 6), "repness": round(r.repness, 6)} for r in group]
                           for group in representative],
        "consensus": [_ref(inputs, c.statement) for c in overall["agree"]],
        "consensus_disagree": [_ref(inputs, c.statement) for c in overall["disagree"]],
        "statements": statements,
        "clauses": clauses,
        "under_heard_groups": [inputs.group_keys[g] for g in np.flatnonzero(status.lacks_quorum.any(axis=0))],
        "needs": _needs_coverage(inputs, clauses),
    }, opinion_group_of=opinion.group_of, base_of=opinion.base_label, axes=opinion.pca.components)


def _k_tie(runner_up: RunnerUp | None, group_of: np.ndarray,
           scores: tuple[tuple[int, float], ...]) -> dict[str, Any] | None:
    """When another k scored within the tie gap: both groupings' sizes, so the page can say the number of
    groups is a close call rather than hide it."""
    if runner_up is None:
        return None
    silhouette = dict(scores)
    k = int(group_of.max()) + 1
    return {"k": k, "sizes": np.bincount(group_of[group_of >= 0], minlength=k).tolist(),
            "silhouette": round(silhouette.get(k, 0.0), 6), "runner_up_k": runner_up.k,
            "runner_up_sizes": runner_up.sizes, "runner_up_silhouette": round(runner_up.silhouette, 6),
            "gap": round(runner_up.gap, 6)}


def _statements(inputs: RoundInputs, declared: GroupSupport, status: InclusiveStatus, gic: np.ndarray,
                o_agree: np.ndarray, o_disagree: np.ndarray, o_seen: np.ndarray) -> list[dict[str, Any]]:
    keys = inputs.group_keys
    agree, disagree, seen = declared.agree.tolist(), declared.disagree.tolist(), declared.seen.tolist()
    p, low, high = declared.p.round(6).tolist(), declared.low.round(6).tolist(), declared.high.round(6).tolist()
    lacks, below = status.lacks_quorum.tolist(), status.below_threshold.tolist()
    oa, od, os_ = o_agree.tolist(), o_disagree.tolist(), o_seen.tolist()
    result = []
    for s, sid in enumerate(inputs.statement_ids):
        result.append({
            "id": str(sid),
            "external_id": inputs.statement_external[s],
            "kind": inputs.statement_kind[s],
            "clause_id": str(inputs.statement_clause[s]),
            "status": str(status.status[s]),
            "gic": float(gic[s]),
            "groups": {k: {"agree": agree[s][g], "disagree": disagree[s][g], "seen": seen[s][g], "p": p[s][g],
                           "low": low[s][g], "high": high[s][g]} for g, k in enumerate(keys)},
            "opinion_groups": [{"agree": a, "disagree": d, "seen": n}
                               for a, d, n in zip(oa[s], od[s], os_[s], strict=True)],
            "groups_lacking_quorum": [keys[g] for g, x in enumerate(lacks[s]) if x],
            "groups_below_threshold": [keys[g] for g, x in enumerate(below[s]) if x],
        })
    return result


def _add_bridging(statements: list[dict[str, Any]], keys: list[str], declared: GroupSupport,
                  o_agree: np.ndarray, o_seen: np.ndarray) -> None:
    """Each statement's bridging scores (bridging.py), across declared groups and across opinion groups."""
    floor = PARAMETERS["bridging_floor"]
    across_declared = bridging(declared.agree, declared.seen, floor)
    across_opinion = bridging(o_agree, o_seen, floor)
    # whole arrays to lists once: a call per statement costs a quarter of a second at 5,000 statements
    declared_scores, opinion_scores = _scores(across_declared.score), _scores(across_opinion.score)
    declared_lacking, opinion_lacking = across_declared.lacking.tolist(), across_opinion.lacking.tolist()
    for s, statement in enumerate(statements):
        statement["bridging"] = {
            "declared": {"score": declared_scores[s],
                         "lacking": [keys[g] for g, short in enumerate(declared_lacking[s]) if short]},
            "opinion": {"score": opinion_scores[s],
                        "lacking": [g for g, short in enumerate(opinion_lacking[s]) if short]},
        }


def _scores(score: np.ndarray) -> list[float | None]:
    """Rounded to 6 places, None where there is none (NaN)."""
    return [None if x != x else round(x, 6) for x in score.tolist()]  # x != x: NaN


def _adopted_clauses(inputs: RoundInputs, declared: GroupSupport, status: InclusiveStatus,
                     statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each clause with the text that stands for it: its best amendment if one beats it."""
    kinds = np.array(inputs.statement_kind, dtype=object)
    clause_rows = np.flatnonzero(kinds == "clause")
    amend_rows = np.flatnonzero(kinds == "amendment")
    row_of_clause = {inputs.statement_ids[r]: i for i, r in enumerate(clause_rows)}
    amended = np.array([row_of_clause.get(inputs.statement_clause[r], -1) for r in amend_rows], dtype=np.int64)
    keep = amended >= 0
    amend_rows, amended = amend_rows[keep], amended[keep]
    # numpy's stubs allow a scalar from any(axis=...), which on a 2-d array is always an array
    eligible = ~cast(np.ndarray, status.lacks_quorum[amend_rows].any(axis=1)) if len(amend_rows) else np.zeros(0, bool)
    winner = best_amendments(declared.p[clause_rows], declared.p[amend_rows], amended, eligible)
    answers = defaultdict(list)
    for clause_id, need_id in inputs.clause_needs:
        answers[clause_id].append(str(need_id))
    comments = defaultdict(list)
    for comment in inputs.comments:
        comments[comment["clause_id"]].append(comment)
    result = []
    for i, row in enumerate(clause_rows.tolist()):
        clause_id = inputs.statement_ids[row]
        adopted = int(amend_rows[winner[i]]) if winner[i] >= 0 else row
        result.append({
            "clause_id": str(clause_id),
            "external_id": inputs.statement_external[row],
            "adopted": statements[adopted]["id"],
            "amended": adopted != row,
            "text": inputs.statement_text[adopted],
            "status": statements[adopted]["status"],
            "groups_to_ask": statements[adopted]["groups_lacking_quorum"],
            "answers": answers.get(clause_id, []),
            "voices": voices(comments.get(clause_id, [])),
        })
    return result


def _needs_coverage(inputs: RoundInputs, clauses: list[dict[str, Any]]) -> dict[str, Any]:
    answered_by = defaultdict(list)
    for clause in clauses:
        for need_id in clause["answers"]:
            answered_by[need_id].append(clause["clause_id"])
    unanswered = defaultdict(list)
    for need in inputs.needs:
        if str(need["id"]) not in answered_by:
            unanswered[need["group_key"] or ""].append({"need_id": str(need["id"]), "title": need["title"]})
    return {"answered": dict(sorted(answered_by.items())),
            "unanswered_by_group": dict(sorted(unanswered.items()))}
