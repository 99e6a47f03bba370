"""Reading drafts, clauses, amendments and the needs clauses answer, for many parents at once."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.database import children_of
from server.drafts import rules
from server.drafts.models import CURRENT, Amendment, Clause, Draft, clause_needs
from server.needs.models import Need
from server.people.models import Organisation

DraftRow = TypeVar("DraftRow", Draft, Clause, Amendment)


async def drafts_of_rounds(session: AsyncSession, round_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Draft]]:
    return await children_of(session, Draft, Draft.round_id, round_ids, Draft.id)


async def clauses_of_drafts(session: AsyncSession, draft_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Clause]]:
    """Each draft's current clauses, in order (earlier versions are reached from the clause that replaced them)."""
    found: dict[uuid.UUID, list[Clause]] = defaultdict(list)
    for clause in await session.scalars(select(Clause).where(Clause.draft_id.in_(list(draft_ids)),
                                                             Clause.status == CURRENT)
                                        .order_by(Clause.draft_id, Clause.position)):
        found[clause.draft_id].append(clause)
    return found


async def amendments_of_clauses(session: AsyncSession, clause_ids: Sequence[uuid.UUID]
                                ) -> dict[uuid.UUID, list[Amendment]]:
    return await children_of(session, Amendment, Amendment.clause_id, clause_ids, Amendment.id)


async def needs_answered_by(session: AsyncSession, clause_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Need]]:
    found: dict[uuid.UUID, list[Need]] = defaultdict(list)
    rows = await session.execute(select(clause_needs.c.clause_id, Need)
                                 .join(Need, Need.id == clause_needs.c.need_id)
                                 .where(clause_needs.c.clause_id.in_(clause_ids)).order_by(Need.id))
    for clause_id, need in rows:
        found[clause_id].append(need)
    return found


async def by_id(session: AsyncSession, model: type[DraftRow], ids: Sequence[uuid.UUID]
                ) -> dict[uuid.UUID, DraftRow]:
    """Drafts, clauses or amendments by id."""
    return {row.id: row for row in await session.scalars(select(model).where(model.id.in_(ids)))}


async def author_organisations(session: AsyncSession) -> list[Organisation]:
    """The organisations that may put a draft forward (drafts/rules.py), by Thai name."""
    return list(await session.scalars(select(Organisation).where(Organisation.kind.in_(rules.AUTHOR_KINDS))
                                      .order_by(Organisation.name_th, Organisation.id)))
