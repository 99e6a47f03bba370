"""Reading drafts, clauses, amendments and the needs clauses answer, for many parents at once."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.drafts.models import Amendment, Clause, Draft, clause_needs
from server.needs.models import Need


async def drafts_of_rounds(session: AsyncSession, round_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Draft]]:
    found: dict[uuid.UUID, list[Draft]] = defaultdict(list)
    for draft in await session.scalars(select(Draft).where(Draft.round_id.in_(round_ids)).order_by(Draft.id)):
        found[draft.round_id].append(draft)
    return found


async def clauses_of_drafts(session: AsyncSession, draft_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Clause]]:
    found: dict[uuid.UUID, list[Clause]] = defaultdict(list)
    for clause in await session.scalars(select(Clause).where(Clause.draft_id.in_(draft_ids))
                                        .order_by(Clause.draft_id, Clause.position)):
        found[clause.draft_id].append(clause)
    return found


async def amendments_of_clauses(session: AsyncSession, clause_ids: Sequence[uuid.UUID]
                                ) -> dict[uuid.UUID, list[Amendment]]:
    found: dict[uuid.UUID, list[Amendment]] = defaultdict(list)
    for amendment in await session.scalars(select(Amendment).where(Amendment.clause_id.in_(clause_ids))
                                           .order_by(Amendment.id)):
        found[amendment.clause_id].append(amendment)
    return found


async def needs_answered_by(session: AsyncSession, clause_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Need]]:
    found: dict[uuid.UUID, list[Need]] = defaultdict(list)
    rows = await session.execute(select(clause_needs.c.clause_id, Need)
                                 .join(Need, Need.id == clause_needs.c.need_id)
                                 .where(clause_needs.c.clause_id.in_(clause_ids)).order_by(Need.id))
    for clause_id, need in rows:
        found[clause_id].append(need)
    return found


async def by_id(session: AsyncSession, model: type, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, object]:
    """Drafts, clauses or amendments by id."""
    return {row.id: row for row in await session.scalars(select(model).where(model.id.in_(ids)))}
