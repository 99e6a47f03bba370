"""A stored proposal as people read it: clauses in reading order with their status, support per
group, dissent, the groups still to ask, the needs they answer and representative comments, the
needs no clause answers yet, and where it all came from.

The facilitator's page, the CSV and the PDF all read this one shape, so they cannot disagree.
`shown(public=True)` applies DESIGN.md's rule for public outputs: a per-group figure resting on
fewer than 3 people reads "fewer than 3" (the facilitators' own pages show the numbers).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.consolidation.models import ConsolidatedProposal
from server.deliberation.queries import FEWER_THAN
from server.drafts.models import Clause, Draft
from server.events.models import Event
from server.needs.models import Need
from server.rounds.models import Round, StakeholderGroup


@dataclass(frozen=True)
class GroupFigure:
    key: str
    name: dict[str, str]
    agree: int
    disagree: int
    seen: int
    p: float
    low: float
    high: float
    below_threshold: bool
    lacks_quorum: bool

    @property
    def passed(self) -> int:
        return self.seen - self.agree - self.disagree

    def share(self, count: int) -> float:
        return round(100 * count / self.seen, 1) if self.seen else 0.0

    def shown(self, public: bool) -> bool:
        return not public or self.seen >= FEWER_THAN


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

    def dissenting(self, public: bool) -> list[GroupFigure]:
        """Groups below the threshold; in public, only those with at least 3 people behind the figure."""
        return [f for f in self.figures if f.below_threshold and f.shown(public)]


@dataclass(frozen=True)
class GroupInfo:
    key: str
    name: dict[str, str]
    quorum: int
    participants: int

    def shown(self, public: bool) -> bool:
        return not public or self.participants >= FEWER_THAN


@dataclass(frozen=True)
class Report:
    round: Round
    proposal: ConsolidatedProposal
    threshold: float
    groups: list[GroupInfo]
    clauses: list[ClauseReport]
    unanswered: list[tuple[GroupInfo | None, list[dict[str, str]]]]
    answered: int
    last_event_at: datetime | None

    def group(self, key: str) -> GroupInfo | None:
        return next((g for g in self.groups if g.key == key), None)


async def report(session: AsyncSession, round_: Round, proposal: ConsolidatedProposal) -> Report:
    result = proposal.result
    names = {g.key: g.name for g in await session.scalars(
        select(StakeholderGroup).where(StakeholderGroup.round_id == round_.id))}
    groups = [GroupInfo(g["key"], names.get(g["key"], {"en": g["key"]}), g["quorum"], g["participants"])
              for g in result.get("groups", [])]
    statements = {s["id"]: s for s in result.get("statements", [])}
    clause_ids = [uuid.UUID(c["clause_id"]) for c in result.get("clauses", [])]
    placed = {clause.id: (draft, clause) for clause, draft in (await session.execute(
        select(Clause, Draft).join(Draft, Draft.id == Clause.draft_id).where(Clause.id.in_(clause_ids))))}
    answered = result.get("needs", {}).get("answered", {})
    titles = dict((await session.execute(select(Need.id, Need.title).where(
        Need.id.in_([uuid.UUID(n) for n in answered])))).all()) if answered else {}

    clauses = []
    for c in result.get("clauses", []):
        draft, clause = placed.get(uuid.UUID(c["clause_id"]), (None, None))
        adopted = statements.get(c["adopted"], {})
        figures = [GroupFigure(
            key=key, name=names.get(key, {"en": key}), agree=g["agree"], disagree=g["disagree"], seen=g["seen"],
            p=g["p"], low=g["low"], high=g["high"],
            below_threshold=key in adopted.get("groups_below_threshold", []),
            lacks_quorum=key in adopted.get("groups_lacking_quorum", []),
        ) for key, g in adopted.get("groups", {}).items()]
        clauses.append(ClauseReport(
            clause_id=c["clause_id"], number=clause.position if clause else 0,
            draft_title=draft.title if draft else "", text=c["text"],
            amended=bool(c.get("amended")), status=c["status"],
            groups_to_ask=list(c.get("groups_to_ask", [])), dissent=list(adopted.get("groups_below_threshold", [])),
            figures=figures,
            answers=[(n, titles.get(uuid.UUID(n), "")) for n in c.get("answers", [])],
            voices_for=list(c.get("voices", {}).get("for", [])),
            voices_against=list(c.get("voices", {}).get("against", [])),
        ))
    order = {str(cid): (0, d.created_at, str(d.id), cl.position) for cid, (d, cl) in placed.items()}
    clauses.sort(key=lambda r: order.get(r.clause_id, (1,)))

    by_key = {g.key: g for g in groups}
    unanswered = [(by_key.get(key), needs) for key, needs in
                  result.get("needs", {}).get("unanswered_by_group", {}).items()]
    last_event_at = await session.scalar(select(Event.created_at).where(Event.id == proposal.last_event_id)) \
        if proposal.last_event_id else None
    return Report(round=round_, proposal=proposal, threshold=result.get("threshold", round_.threshold),
                  groups=groups, clauses=clauses, unanswered=unanswered, answered=len(answered),
                  last_event_at=last_event_at)
