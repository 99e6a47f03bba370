"""Remembering when a member last opened a round's home, and what is new for them since."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from server.visits.models import LastVisit


async def last_visit(session: AsyncSession, participant_id: uuid.UUID, round_id: uuid.UUID) -> datetime | None:
    return await session.scalar(select(LastVisit.seen_at).where(LastVisit.participant_id == participant_id,
                                                                LastVisit.round_id == round_id))


async def visited(session: AsyncSession, participant_id: uuid.UUID, round_id: uuid.UUID) -> datetime | None:
    """Records a visit now; returns the one before it (None: the first). Two visits at once both read the
    previous one and the later write wins: each is told the same news, never less."""
    before = await last_visit(session, participant_id, round_id)
    statement = insert(LastVisit).values(participant_id=participant_id, round_id=round_id, seen_at=func.now())
    await session.execute(statement.on_conflict_do_update(
        index_elements=[LastVisit.participant_id, LastVisit.round_id], set_={"seen_at": statement.excluded.seen_at}))
    return before
