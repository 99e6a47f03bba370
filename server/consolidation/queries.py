"""Reading consolidated proposals: the latest per round, any version, and what changed between two."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from server.consolidation.models import ConsolidatedProposal
from server.consolidation.service import differences
from server.pagination import Order, Window

VERSION_ORDER = Order((ConsolidatedProposal.version, ConsolidatedProposal.id), descending=True)


async def latest_of_rounds(session: AsyncSession, round_ids: Sequence[uuid.UUID]
                           ) -> dict[uuid.UUID, ConsolidatedProposal]:
    rows = await session.scalars(
        select(ConsolidatedProposal).where(ConsolidatedProposal.round_id.in_(round_ids))
        .ext(distinct_on(ConsolidatedProposal.round_id))
        .order_by(ConsolidatedProposal.round_id, ConsolidatedProposal.version.desc()))
    return {p.round_id: p for p in rows}


async def versions_of(session: AsyncSession, keys: Sequence[tuple[uuid.UUID, int]]
                      ) -> dict[tuple[uuid.UUID, int], ConsolidatedProposal]:
    round_ids = sorted({round_id for round_id, _ in keys})
    numbers = sorted({version for _, version in keys})
    rows = await session.scalars(select(ConsolidatedProposal).where(
        ConsolidatedProposal.round_id.in_(round_ids), ConsolidatedProposal.version.in_(numbers)))
    return {(p.round_id, p.version): p for p in rows}


async def proposals_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, ConsolidatedProposal]:
    return {p.id: p for p in await session.scalars(select(ConsolidatedProposal)
                                                   .where(ConsolidatedProposal.id.in_(ids)))}


async def versions_page(session: AsyncSession, round_id: uuid.UUID, window: Window
                        ) -> tuple[list[ConsolidatedProposal], bool]:
    """Newest version first."""
    statement = select(ConsolidatedProposal).where(ConsolidatedProposal.round_id == round_id)
    return window.split((await session.scalars(VERSION_ORDER.window(statement, window))).all())


def changes_between(older: ConsolidatedProposal | None, newer: ConsolidatedProposal) -> dict[str, Any]:
    """What changed from `older` to `newer`, in the shape each version stores for its predecessor."""
    return differences(older.result if older is not None else None, newer.result)


async def published_of_rounds(session: AsyncSession, round_ids: Sequence[uuid.UUID]
                              ) -> dict[uuid.UUID, ConsolidatedProposal]:
    """The newest published version of each round (service.published, for many rounds at once)."""
    rows = await session.scalars(
        select(ConsolidatedProposal)
        .where(ConsolidatedProposal.round_id.in_(round_ids), ConsolidatedProposal.published_at.is_not(None))
        .ext(distinct_on(ConsolidatedProposal.round_id))
        .order_by(ConsolidatedProposal.round_id, ConsolidatedProposal.version.desc()))
    return {p.round_id: p for p in rows}
