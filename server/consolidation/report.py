"""A stored proposal as people read it: clauses in reading order with their status, support per
group, dissent, the groups still to ask, the needs they answer and representative comments, the
needs no clause answers yet, and where it all came from.

The facilitator's page, the CSV and the PDF all read this one shape, made for one audience by the
rules in rules.py: for the public outputs (the CSV and the PDF) a per-group figure resting on fewer
than 3 people, and every flag and total derived from it, is left out (`disclosed` is False and the
figure None); the facilitators' page shows every number. Comments hidden and needs hidden since the
version was computed are left out when it is read.

The facilitators' page shows one page of clauses at a time (PAGE_SIZE, in reading order), reading only
those clauses' details (details.py); the CSV, the PDF, the outcome page and the follow-up board read them
all.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.consolidation import details
from server.consolidation.models import ConsolidatedProposal
from server.consolidation.queries import shown_version
from server.disclosure import Audience
from server.drafts.models import Clause, Draft
from server.events.models import Event
from server.needs.models import Need
from server.rounds.models import Round, StakeholderGroup


@dataclass(frozen=True)
class GroupFigure:
    """One group's votes on a clause's adopted text; every number None when not disclosed."""

    key: str
    name: dict[str, str]
    disclosed: bool
    agree: int | None
    disagree: int | None
    seen: int | None
    p: float | None
    low: float | None
    high: float | None
    below_threshold: bool | None
    lacks_quorum: bool | None

    @property
    def passed(self) -> int:
        return (self.seen or 0) - (self.agree or 0) - (self.disagree or 0)

    def share(self, count: int | None) -> float:
        return round(100 * (count or 0) / self.seen, 1) if self.seen else 0.0


@dataclass(frozen=True)
class ClauseReport:
    clause_id: str
    number: int
    draft_title: str
    text: str
    amended: bool
    status: str
    groups_to_ask: list[str]  # group keys
    dissent: list[str]  # group keys below the threshold
    figures: list[GroupFigure]
    answers: list[tuple[str, str]]  # (need id, title)
    voices_for: list[dict[str, Any]]
    voices_against: list[dict[str, Any]]
    # bridging.py, on the adopted text: None where there is no score or it may not be shown
    bridging: float | None = None
    bridging_lacking: tuple[str, ...] = ()  # declared groups short of votes (those whose figures are shown)
    bridging_opinion: float | None = None
    bridging_opinion_lacking: tuple[int, ...] = ()  # opinion groups short of votes

    def dissenting(self) -> list[GroupFigure]:
        """Groups below the threshold, among those whose figures are disclosed."""
        return [f for f in self.figures if f.below_threshold]


@dataclass(frozen=True)
class GroupInfo:
    key: str
    name: dict[str, str]
    quorum: int
    participants: int | None  # None: not disclosed

    @property
    def disclosed(self) -> bool:
        return self.participants is not None


@dataclass(frozen=True)
class Report:
    round: Round
    proposal: ConsolidatedProposal
    audience: Audience
    threshold: float
    groups: list[GroupInfo]
    clauses: list[ClauseReport]
    unanswered: list[tuple[GroupInfo | None, list[dict[str, str]]]]  # None: no group, or one not named
    answered: int
    input_counts: dict[str, int | None]  # None: a total left out
    last_event_at: datetime | None
    page: int = 1  # clauses holds this page of them (from 1), or all of them when pages is 1
    pages: int = 1
    clause_total: int = 0  # in the whole version

    def group(self, key: str) -> GroupInfo | None:
        return next((g for g in self.groups if g.key == key), None)

    @property
    def first_number(self) -> int:
        """The place in the whole version of the page's first clause, from 1."""
        return (self.page - 1) * PAGE_SIZE + 1 if self.pages > 1 else 1


PAGE_SIZE = 100  # clauses on a page of the facilitators' report


async def report(session: AsyncSession, round_: Round, proposal: ConsolidatedProposal, audience: Audience, *,
                 page: int | None = None) -> Report:
    """The version as `audience` may read it (the facilitators' page: FACILITATOR; the exports: PUBLIC):
    every clause, or with `page` that page of PAGE_SIZE clauses in reading order (beyond the last: the last)."""
    total = details.clause_count(proposal)
    pages = max(1, -(-total // PAGE_SIZE)) if page is not None else 1
    number = min(max(page or 1, 1), pages)
    part = details.page(number, PAGE_SIZE) if pages > 1 else details.ALL
    seen = await shown_version(session, proposal, audience, part)
    result = seen.result
    names = {g.key: g.name for g in await session.scalars(
        select(StakeholderGroup).where(StakeholderGroup.round_id == round_.id))}
    groups = [GroupInfo(g["key"], names.get(g["key"], {"en": g["key"]}), g["quorum"], g["participants"])
              for g in result.get("groups", [])]
    statements = {s["id"]: s for s in result.get("statements", [])}
    clause_ids = [uuid.UUID(c["clause_id"]) for c in result.get("clauses", [])]
    placed = {clause.id: (draft, clause) for clause, draft in (await session.execute(
        select(Clause, Draft).join(Draft, Draft.id == Clause.draft_id).where(Clause.id.in_(clause_ids))))}
    answered = result.get("needs", {}).get("answered", {})
    linked = {n for c in result.get("clauses", []) for n in c.get("answers", [])}  # the titles shown
    titles = dict((await session.execute(select(Need.id, Need.title).where(
        Need.id.in_([uuid.UUID(n) for n in linked])))).all()) if linked else {}

    clauses = []
    for c in result.get("clauses", []):
        draft, clause = placed.get(uuid.UUID(c["clause_id"]), (None, None))
        adopted = statements.get(c["adopted"], {})
        lacking, below = adopted.get("groups_lacking_quorum", []), adopted.get("groups_below_threshold", [])
        figures = []
        for key, g in adopted.get("groups", {}).items():
            disclosed = g["seen"] is not None
            figures.append(GroupFigure(
                key=key, name=names.get(key, {"en": key}), disclosed=disclosed, agree=g["agree"],
                disagree=g["disagree"], seen=g["seen"], p=g["p"], low=g["low"], high=g["high"],
                below_threshold=key in below if disclosed else None,
                lacks_quorum=key in lacking if disclosed else None))
        clauses.append(ClauseReport(
            clause_id=c["clause_id"], number=clause.position if clause else 0,
            draft_title=draft.title if draft else "", text=c["text"],
            amended=bool(c.get("amended")), status=c["status"],
            groups_to_ask=list(c.get("groups_to_ask", [])), dissent=list(below),
            figures=figures,
            answers=[(n, titles.get(uuid.UUID(n), "")) for n in c.get("answers", [])],
            voices_for=list(c.get("voices", {}).get("for", [])),
            voices_against=list(c.get("voices", {}).get("against", [])),
            **_bridging(adopted),
        ))
    order = {str(cid): (0, d.created_at, str(d.id), cl.position) for cid, (d, cl) in placed.items()}
    clauses.sort(key=lambda r: order.get(r.clause_id, (1,)))

    by_key = {g.key: g for g in groups}
    unanswered = [(by_key.get(key), needs) for key, needs in
                  result.get("needs", {}).get("unanswered_by_group", {}).items()]
    last_event_at = await session.scalar(select(Event.created_at).where(Event.id == proposal.last_event_id)) \
        if proposal.last_event_id else None
    return Report(round=round_, proposal=proposal, audience=audience,
                  threshold=result.get("threshold", round_.threshold), groups=groups, clauses=clauses,
                  unanswered=unanswered, answered=len(answered), input_counts=seen.input_counts,
                  last_event_at=last_event_at, page=number, pages=pages, clause_total=total or len(clauses))


def _bridging(adopted: dict[str, Any]) -> dict[str, Any]:
    stored = adopted.get("bridging") or {}
    declared, opinion = stored.get("declared") or {}, stored.get("opinion") or {}
    return {"bridging": declared.get("score"), "bridging_lacking": tuple(declared.get("lacking", ())),
            "bridging_opinion": opinion.get("score"), "bridging_opinion_lacking": tuple(opinion.get("lacking", ()))}
