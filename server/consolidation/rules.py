"""What a reader may see of a consolidated proposal: which versions, which figures and flags, which quotes.

Pure and typed, over the result a version stored (compute.py; its statements and clauses, all or some, read
back beside its summary by details.result_of) and the state now of the comments and needs it refers to. Every reader goes through here: GraphQL, the facilitators' page, the CSV and the PDF, and
"My input".

Versions. Until its facilitators publish it, a version is their working copy and for them only
(`visible`): the latest version anyone else reads is the latest published one, and what changed is told
them from the version published before.

Small groups (server/disclosure.py says what "derived" means). Outside the round's facilitators:
- a group's head count, and each figure on a statement resting on fewer than 3 voters, read null
  ("fewer than 3", with the mark `small`);
- a flag computed from a hidden figure is dropped: a group is not listed as lacking quorum, below the
  threshold, still to ask or under-heard where its figure is hidden (its "fewer than 3" says as much as
  may be said);
- the totals of participants and of votes are left out unless every group (every figure) they add up is
  shown, since each is exactly the sum of the groups' figures;
- a statement's status reads "under_heard" while a group's figure on it is hidden. With quorums of 3 or
  more this changes nothing (a group with fewer than 3 voters lacks its quorum anyway); with a smaller
  quorum one or two people could alone turn "consensus" into "contested", and the status would tell how
  they voted. So in public a group counts as heard once its voice can be shown, and the status words for
  the whole clause (consensus, contested, under-heard) are decided by shown figures only: they single
  out no small group;
- a statement's bridging score across declared groups (bridging.py) rests on every declared group's
  figures on it: taken with the groups' figures shown, it would give the one hidden (its p_g is the
  score to the power G over the product of the others). So it reads null while any group's figure on
  the statement is hidden, and a hidden group is not named among those lacking votes for it. With the
  floor at 3 or more the score never exists then anyway; this keeps the promise if the floor is
  lowered. The score across opinion groups is shown as group-informed consensus is (below);
- a need filed by a member of a group of fewer than 3 people is listed among unanswered needs without
  its group (group key ""), with the needs that have none: filed under the group's name it would point
  at one of two or three people.
Kept as computed, and why: which text is adopted (an amendment or the clause) is the proposal itself. It
is decided with every group's support, small groups included, so that a large group cannot outvote a
small one, and so it can say a little about a small group's support relative to the others. Opinion
groups (representative statements) are clusters of anonymous voters whose members are never shown.

Moderation since computing. A version stores the comments it quotes and the needs each clause answers,
and a published one is never computed again, so what is read is checked against their state now: a
comment no longer visible is quoted to nobody (deliberation/comment_rules.quotable), a need no longer
open is listed only for the facilitators (needs/rules.visible_status).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from server.consolidation.details import DIGEST
from server.consolidation.status import UNDER_HEARD
from server.deliberation.comment_rules import quotable
from server.disclosure import Audience, discloses, discloses_total, small
from server.needs.rules import visible_status

FIGURES = ("agree", "disagree", "seen", "p", "low", "high")  # a group's figures on one statement
VOICE_SIDES = ("for", "against", "other")

Result = dict[str, Any]


class ProposalLike(Protocol):
    @property
    def published_at(self) -> datetime | None: ...


def visible(proposal: ProposalLike, audience: Audience) -> bool:
    """May `audience` (relative to the proposal's round) read this version?"""
    return proposal.published_at is not None or sees_working_copies(audience)


def sees_working_copies(audience: Audience) -> bool:
    """Whether versions nobody published count for `audience` (the SQL filters' switch)."""
    return audience.facilitator


def status_shown(status: str, hidden_groups: Collection[str]) -> str:
    """A statement's status, as a reader who cannot see `hidden_groups`' figures on it may read it."""
    return UNDER_HEARD if hidden_groups else status


@dataclass(frozen=True)
class Current:
    """The state now of what a version refers to: comment id -> moderation, need id -> status (missing: gone)."""

    moderation: Mapping[str, str] = field(default_factory=dict)
    need_status: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Shown:
    """A version as one audience reads it: the stored result's shape, with what they may not see taken out
    (null figures, fewer flags, no hidden quotes or needs), and its input counts (null: left out)."""

    result: Result
    input_counts: dict[str, int | None]


def referenced(result: Result) -> tuple[set[str], set[str]]:
    """The ids of the comments and the needs a stored result refers to, whose state now decides what is shown."""
    comments: set[str] = set()
    needs: set[str] = set()
    for clause in result.get("clauses", []):
        voices = clause.get("voices") or {}
        comments.update(v["comment_id"] for side in VOICE_SIDES for v in voices.get(side, []))
        comments.update(i for cluster in voices.get("clusters", []) for i in cluster)
        needs.update(clause.get("answers", []))
    coverage = result.get("needs") or {}
    needs.update(coverage.get("answered", {}))
    needs.update(n["need_id"] for listed in coverage.get("unanswered_by_group", {}).values() for n in listed)
    return comments, needs


def shown(result: Result, input_counts: Mapping[str, int], audience: Audience, current: Current) -> Shown:
    """`result` holds all of a version's statements and clauses, or some of them beside the summary's digest
    of them all (details.py), which then decides what rests on every statement: the votes total and the
    groups under-heard. Either way the same is shown of what is there."""
    groups = result.get("groups", [])
    statements = [_statement(s, audience) for s in result.get("statements", [])]
    by_id = {s["id"]: s for s in statements}
    sizes = {g["key"]: g["participants"] for g in groups}
    digest = result.get(DIGEST)
    counts: dict[str, int | None] = dict(input_counts)
    if "participants" in counts and not discloses_total(audience, [g["participants"] for g in groups]):
        counts["participants"] = None
    if "votes" in counts and not discloses_total(audience, _figures(result, digest)):
        counts["votes"] = None
    return Shown({
        # who is in which opinion group is per person: versions stored before 0022 may still carry it; the
        # digest names the fewest voters behind a figure, which outside the facilitators is not to be read
        **{k: v for k, v in result.items() if k not in ("opinion_groups", DIGEST)},
        "groups": [{**g, "participants": g["participants"] if discloses(audience, g["participants"]) else None,
                    "small": small(g["participants"])} for g in groups],
        "statements": statements,
        "clauses": [_clause(c, by_id.get(c["adopted"]), audience, current) for c in result.get("clauses", [])],
        "under_heard_groups": _under_heard(result.get("under_heard_groups", []), statements, digest, audience),
        "needs": _needs(result.get("needs") or {}, audience, current, sizes),
    }, counts)


def _figures(result: Result, digest: Result | None) -> list[int]:
    """The parts the votes total adds up, or as much of them as decides whether it may be shown: the fewest
    voters behind any figure is small exactly when one of the figures is."""
    if digest is not None:
        fewest = digest.get("fewest_voters")
        return [] if fewest is None else [fewest]
    return [g["seen"] for s in result.get("statements", []) for g in s.get("groups", {}).values()]


def clause_statuses(result: Result, audience: Audience) -> dict[str, str]:
    """Each clause's status (clause id -> status) as `audience` may read it: what "My input" tells. Of the
    clauses `result` holds, with their statements (details.result_of)."""
    statuses = {s["id"]: _statement(s, audience)["status"] for s in result.get("statements", [])}
    return {c["clause_id"]: statuses.get(c["adopted"], c["status"]) for c in result.get("clauses", [])}


def _statement(statement: Result, audience: Audience) -> Result:
    cells = statement.get("groups", {})
    hidden = {key for key, g in cells.items() if not discloses(audience, g["seen"])}
    return {
        **statement,
        "groups": {key: {**g, **(dict.fromkeys(FIGURES) if key in hidden else {}), "small": small(g["seen"])}
                   for key, g in cells.items()},
        "groups_lacking_quorum": [k for k in statement.get("groups_lacking_quorum", []) if k not in hidden],
        "groups_below_threshold": [k for k in statement.get("groups_below_threshold", []) if k not in hidden],
        "status": status_shown(statement["status"], hidden),
        "bridging": bridging_shown(statement.get("bridging") or {}, hidden),
    }


def bridging_shown(stored: Result, hidden_groups: Collection[str]) -> Result:
    """A statement's bridging scores as a reader who cannot see `hidden_groups`' figures on it may read them;
    a result stored before bridging existed reads as no score."""
    declared = stored.get("declared") or {"score": None, "lacking": []}
    opinion = stored.get("opinion") or {"score": None, "lacking": []}
    return {
        "declared": {"score": None if hidden_groups else declared["score"],
                     "lacking": [k for k in declared["lacking"] if k not in hidden_groups]},
        "opinion": dict(opinion),
    }


def _clause(clause: Result, adopted: Result | None, audience: Audience, current: Current) -> Result:
    # the clause carries its adopted statement's status and groups lacking quorum: read them as shown
    to_ask = adopted["groups_lacking_quorum"] if adopted is not None else []
    return {
        **clause,
        "status": adopted["status"] if adopted is not None else clause["status"],
        "bridging": adopted["bridging"] if adopted is not None else bridging_shown({}, ()),
        "groups_to_ask": [k for k in clause.get("groups_to_ask", []) if k in to_ask],
        "answers": [n for n in clause.get("answers", []) if _need_shown(n, audience, current)],
        "voices": _voices(clause.get("voices") or {}, current),
    }


def _voices(voices: Result, current: Current) -> Result:
    def kept(comment_id: str) -> bool:
        return quotable(current.moderation.get(comment_id))

    return {
        **voices,
        **{side: [v for v in voices.get(side, []) if kept(v["comment_id"])] for side in VOICE_SIDES},
        "clusters": [[i for i in cluster if kept(i)] for cluster in voices.get("clusters", [])
                     if any(kept(i) for i in cluster)],
    }


def _under_heard(stored: list[str], statements: list[Result], digest: Result | None, audience: Audience) -> list[str]:
    """Groups lacking quorum somewhere, as far as the statements shown say (each already as shown). From the
    digest: a group's lack of quorum is shown on some statement exactly when it is on the one with the most
    voters from it."""
    if digest is not None:
        most = digest.get("under_heard_voters") or {}
        return [k for k in stored if k in most and discloses(audience, most[k])]
    lacking = {k for s in statements for k in s["groups_lacking_quorum"]}
    return [k for k in stored if k in lacking]


def _needs(coverage: Result, audience: Audience, current: Current, sizes: Mapping[str, int]) -> Result:
    unanswered: dict[str, list[dict[str, str]]] = defaultdict(list)
    for key, listed in coverage.get("unanswered_by_group", {}).items():
        filed_under = "" if key in sizes and not discloses(audience, sizes[key]) else key
        unanswered[filed_under].extend(n for n in listed if _need_shown(n["need_id"], audience, current))
    return {
        **coverage,
        "answered": {n: c for n, c in coverage.get("answered", {}).items() if _need_shown(n, audience, current)},
        "unanswered_by_group": {k: v for k, v in sorted(unanswered.items()) if v},
    }


def _need_shown(need_id: str, audience: Audience, current: Current) -> bool:
    status = current.need_status.get(need_id)
    return status is not None and visible_status(status, audience)
