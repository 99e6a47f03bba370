"""Votes and proposals read and written straight through the services, beside Ruam processes under test."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from server.consolidation.models import ConsolidatedProposal
from server.database import make_sessionmaker, unit_of_work
from server.deliberation import service as deliberation
from server.deliberation.models import Vote
from server.people.models import Participant


async def cast(engine: AsyncEngine, participants: list[uuid.UUID], clause_id: uuid.UUID, choice: str) -> None:
    async with unit_of_work(make_sessionmaker(engine)) as session:
        for participant_id in participants:
            person = await session.get(Participant, participant_id)
            await deliberation.cast_vote(session, person, clause_id, choice)


async def counted(engine: AsyncEngine, round_id: uuid.UUID) -> tuple[int, int]:
    """(votes in the newest proposal, votes in the round)."""
    async with unit_of_work(make_sessionmaker(engine)) as session:
        newest = await session.scalar(select(ConsolidatedProposal.input_counts)
                                      .where(ConsolidatedProposal.round_id == round_id)
                                      .order_by(ConsolidatedProposal.version.desc()).limit(1))
        votes = await session.scalar(select(func.count()).select_from(Vote).where(Vote.round_id == round_id))
    return (newest or {}).get("votes", -1), votes


async def seconds_until(condition: Callable[[], Awaitable[bool]], *, within: float, what: str) -> float:
    started = time.monotonic()
    while time.monotonic() - started < within:
        try:
            if await condition():
                return time.monotonic() - started
        except OSError:
            pass
        await asyncio.sleep(0.2)
    raise AssertionError(f"{what}: not within {within} s")


async def all_counted(engine: AsyncEngine, round_id: uuid.UUID) -> bool:
    in_proposal, votes = await counted(engine, round_id)
    return votes > 0 and in_proposal == votes
