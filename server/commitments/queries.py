"""Reading commitments in batches: per round, clause or id, with their history and check counts.

Check counts are totals per answer; which answer a person gave is read only for that person.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.commitments.models import CHECK_ANSWERS, Commitment, CommitmentCheck, CommitmentUpdate
from server.consolidation.models import ConsolidatedProposal
from server.consolidation.report import ClauseReport, report
from server.consolidation.service import published
from server.database import children_of
from server.disclosure import FACILITATOR
from server.drafts.models import Clause
from server.people.models import Participant
from server.rounds.models import Round

ORDER = (Commitment.created_at, Commitment.id)


async def commitments_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Commitment]:
    return {c.id: c for c in await session.scalars(select(Commitment).where(Commitment.id.in_(ids)))}


async def commitments_of_rounds(session: AsyncSession, round_ids: Sequence[uuid.UUID]
                                ) -> dict[uuid.UUID, list[Commitment]]:
    return await children_of(session, Commitment, Commitment.round_id, round_ids, *ORDER)


async def commitments_of_clauses(session: AsyncSession, clause_ids: Sequence[uuid.UUID]
                                 ) -> dict[uuid.UUID, list[Commitment]]:
    return await children_of(session, Commitment, Commitment.clause_id, clause_ids, *ORDER)


async def updates_of(session: AsyncSession, commitment_ids: Sequence[uuid.UUID]
                     ) -> dict[uuid.UUID, list[CommitmentUpdate]]:
    """Oldest first: the history as it happened."""
    return await children_of(session, CommitmentUpdate, CommitmentUpdate.commitment_id, commitment_ids,
                             CommitmentUpdate.id)


async def check_counts(session: AsyncSession, commitment_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, dict[str, int]]:
    """How many members gave each answer, every answer present (0 when nobody gave it)."""
    found: dict[uuid.UUID, dict[str, int]] = {i: dict.fromkeys(CHECK_ANSWERS, 0) for i in commitment_ids}
    rows = await session.execute(
        select(CommitmentCheck.commitment_id, CommitmentCheck.answer, func.count())
        .where(CommitmentCheck.commitment_id.in_(commitment_ids))
        .group_by(CommitmentCheck.commitment_id, CommitmentCheck.answer))
    for commitment_id, answer, count in rows:
        found[commitment_id][answer] = count
    return found


async def checks_by(session: AsyncSession, participant_id: uuid.UUID, commitment_ids: Sequence[uuid.UUID]
                    ) -> dict[uuid.UUID, CommitmentCheck]:
    rows = await session.scalars(select(CommitmentCheck).where(CommitmentCheck.participant_id == participant_id,
                                                               CommitmentCheck.commitment_id.in_(commitment_ids)))
    return {c.commitment_id: c for c in rows}


async def check_comments(session: AsyncSession, commitment_ids: Sequence[uuid.UUID]
                         ) -> dict[uuid.UUID, list[CommitmentCheck]]:
    """Checks that came with a comment, newest first, for the round's facilitators (shown without names)."""
    found: dict[uuid.UUID, list[CommitmentCheck]] = defaultdict(list)
    for c in await session.scalars(select(CommitmentCheck).where(CommitmentCheck.commitment_id.in_(commitment_ids),
                                                                 CommitmentCheck.comment != "")
                                   .order_by(CommitmentCheck.updated_at.desc(), CommitmentCheck.id)):
        found[c.commitment_id].append(c)
    return found


@dataclass(frozen=True)
class CommitmentView:
    """A commitment as a page shows it: its clause, history, the members' checks and the reader's own."""

    commitment: Commitment
    clause: Clause
    updates: list[CommitmentUpdate]
    counts: dict[str, int]
    mine: CommitmentCheck | None = None
    comments: list[CommitmentCheck] = field(default_factory=list)

    @property
    def latest(self) -> CommitmentUpdate | None:
        return self.updates[-1] if self.updates else None

    @property
    def checked(self) -> int:
        return sum(self.counts.values())


async def views_of(session: AsyncSession, commitments: Sequence[Commitment], *,
                   reader_id: uuid.UUID | None = None, with_comments: bool = False) -> list[CommitmentView]:
    ids = [c.id for c in commitments]
    if not ids:
        return []
    clauses = {c.id: c for c in await session.scalars(
        select(Clause).where(Clause.id.in_({c.clause_id for c in commitments})))}
    updates = await updates_of(session, ids)
    counts = await check_counts(session, ids)
    mine = await checks_by(session, reader_id, ids) if reader_id else {}
    comments = await check_comments(session, ids) if with_comments else {}
    return [CommitmentView(c, clauses[c.clause_id], updates.get(c.id, []), counts[c.id], mine.get(c.id),
                           comments.get(c.id, [])) for c in commitments]


async def round_views(session: AsyncSession, round_id: uuid.UUID, reader_id: uuid.UUID | None = None
                      ) -> list[CommitmentView]:
    """A round's commitments in clause order, for its home page."""
    listed = (await commitments_of_rounds(session, [round_id])).get(round_id, [])
    shown = await views_of(session, listed, reader_id=reader_id)
    return sorted(shown, key=lambda v: (v.clause.draft_id, v.clause.position, v.commitment.id))


async def clause_views(session: AsyncSession, clause_ids: Sequence[uuid.UUID], reader_id: uuid.UUID | None = None
                       ) -> dict[uuid.UUID, list[CommitmentView]]:
    """Commitments per clause, for "My input"."""
    listed = [c for found in (await commitments_of_clauses(session, clause_ids)).values() for c in found]
    grouped: dict[uuid.UUID, list[CommitmentView]] = defaultdict(list)
    for view in await views_of(session, listed, reader_id=reader_id):
        grouped[view.commitment.clause_id].append(view)
    return grouped


@dataclass(frozen=True)
class BoardClause:
    clause: ClauseReport
    commitments: list[CommitmentView]


@dataclass(frozen=True)
class Board:
    """The facilitators' follow-up: each clause of the published proposal with what was taken on."""

    proposal: ConsolidatedProposal
    clauses: list[BoardClause]
    names: dict[uuid.UUID, str]  # who recorded each update

    def clause(self, clause_id: str) -> BoardClause | None:
        return next((c for c in self.clauses if c.clause.clause_id == clause_id), None)


async def board(session: AsyncSession, round_: Round) -> Board | None:
    """None until the round's proposal is published."""
    proposal = await published(session, round_.id)
    if proposal is None:
        return None
    shown = await report(session, round_, proposal, FACILITATOR)
    listed = (await commitments_of_rounds(session, [round_.id])).get(round_.id, [])
    views = await views_of(session, listed, with_comments=True)
    by_clause: dict[str, list[CommitmentView]] = defaultdict(list)
    for view in views:
        by_clause[str(view.commitment.clause_id)].append(view)
    people = {u.recorded_by_id for v in views for u in v.updates}
    names = dict((await session.execute(select(Participant.id, Participant.display_name)
                                        .where(Participant.id.in_(people)))).all()) if people else {}
    return Board(proposal, [BoardClause(c, by_clause.get(c.clause_id, [])) for c in shown.clauses], names)
