"""Reading what a person has said about their own data."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from server.people.models import ConsentRecord


async def latest_consents(session: AsyncSession, participant_id: uuid.UUID) -> list[ConsentRecord]:
    """The latest record for each purpose: consent records are append-only, the newest one counts."""
    return list(await session.scalars(
        select(ConsentRecord).where(ConsentRecord.participant_id == participant_id)
        .ext(distinct_on(ConsentRecord.purpose))
        .order_by(ConsentRecord.purpose, ConsentRecord.created_at.desc(), ConsentRecord.id.desc())))
