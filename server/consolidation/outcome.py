"""A round's outcome as anyone may read it, signed in or not: its published proposal, read for the public.

Only a published version is ever an outcome (rules.visible with PUBLIC): a working copy is not found here,
whoever asks, so that an address guessed from a version number tells nothing of one (the facilitators read
theirs under /facilitate). Every figure, flag and total is as the public may see it: the same Report the
public CSV and PDF are made from.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.consolidation import rules
from server.consolidation.models import ConsolidatedProposal
from server.consolidation.report import Report, report
from server.consolidation.service import published
from server.disclosure import PUBLIC
from server.errors import NotFound
from server.rounds.models import Round


async def outcome(session: AsyncSession, round_: Round) -> Report | None:
    """The newest published version, as the public reads it; None until one is published."""
    proposal = await published(session, round_.id)
    return await report(session, round_, proposal, PUBLIC) if proposal is not None else None


async def outcome_version(session: AsyncSession, round_: Round, version: int) -> Report:
    """One published version, as the public reads it (what the downloads hold); NotFound for any other."""
    proposal = await session.scalar(select(ConsolidatedProposal).where(
        ConsolidatedProposal.round_id == round_.id, ConsolidatedProposal.version == version))
    if proposal is None or not rules.visible(proposal, PUBLIC):
        raise NotFound("proposal", f"{round_.slug} v{version}")
    return await report(session, round_, proposal, PUBLIC)


async def rounds_with_outcome(session: AsyncSession, round_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these rounds have published a proposal (without reading the proposals themselves)."""
    return set(await session.scalars(select(ConsolidatedProposal.round_id).distinct().where(
        ConsolidatedProposal.round_id.in_(round_ids), ConsolidatedProposal.published_at.is_not(None))))
