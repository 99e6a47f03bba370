"""Reading consolidated proposals: the latest per round, any version, what changed between two, and the
state now of the comments and needs a version refers to (what a reader may see of them: rules.py)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from server.consolidation import details, rules
from server.consolidation.models import ConsolidatedProposal
from server.consolidation.rules import Current, Shown
from server.deliberation.models import Comment
from server.disclosure import Audience
from server.needs.models import Need
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


async def versions_page(session: AsyncSession, round_id: uuid.UUID, window: Window, *, published_only: bool
                        ) -> tuple[list[ConsolidatedProposal], bool]:
    """Newest version first."""
    statement = select(ConsolidatedProposal).where(ConsolidatedProposal.round_id == round_id)
    if published_only:
        statement = statement.where(ConsolidatedProposal.published_at.is_not(None))
    return window.split((await session.scalars(VERSION_ORDER.window(statement, window))).all())


async def published_of_rounds(session: AsyncSession, round_ids: Sequence[uuid.UUID]
                              ) -> dict[uuid.UUID, ConsolidatedProposal]:
    """The newest published version of each round (service.published, for many rounds at once)."""
    rows = await session.scalars(
        select(ConsolidatedProposal)
        .where(ConsolidatedProposal.round_id.in_(round_ids), ConsolidatedProposal.published_at.is_not(None))
        .ext(distinct_on(ConsolidatedProposal.round_id))
        .order_by(ConsolidatedProposal.round_id, ConsolidatedProposal.version.desc()))
    return {p.round_id: p for p in rows}


async def published_before(session: AsyncSession, round_id: uuid.UUID, version: int) -> ConsolidatedProposal | None:
    """The newest version published before `version`: what a reader outside the facilitators compares it with."""
    return await session.scalar(
        select(ConsolidatedProposal)
        .where(ConsolidatedProposal.round_id == round_id, ConsolidatedProposal.version < version,
               ConsolidatedProposal.published_at.is_not(None))
        .order_by(ConsolidatedProposal.version.desc()).limit(1))


async def current_states(session: AsyncSession, comment_ids: Collection[str], need_ids: Collection[str]) -> Current:
    """How the comments and needs stored versions refer to stand now: one statement for each kind."""
    comments, needs = _uuids(comment_ids), _uuids(need_ids)
    moderation = (await session.execute(select(Comment.id, Comment.moderation).where(Comment.id.in_(comments)))
                  ).all() if comments else []
    statuses = (await session.execute(select(Need.id, Need.status).where(Need.id.in_(needs)))).all() if needs else []
    return Current({str(i): m for i, m in moderation}, {str(i): s for i, s in statuses})


async def shown_version(session: AsyncSession, proposal: ConsolidatedProposal, audience: Audience,
                        part: details.Part = details.ALL) -> Shown:
    """One version as `audience` may read it (rules.shown), with its comments' and needs' state now, and of its
    statements and clauses those `part` asks for (details.py)."""
    return (await shown_versions(session, [(proposal, audience)], part))[0]


async def shown_versions(session: AsyncSession, asked: Sequence[tuple[ConsolidatedProposal, Audience]],
                         part: details.Part = details.ALL) -> list[Shown]:
    """shown_version for several (version, audience) pairs: the details and the state now each read once."""
    proposals = list({p.id: p for p, _ in asked}.values())
    results = dict(zip([p.id for p in proposals], await details.results_of(session, proposals, part), strict=True))
    comments: set[str] = set()
    needs: set[str] = set()
    for result in results.values():
        found_comments, found_needs = rules.referenced(result)
        comments |= found_comments
        needs |= found_needs
    now = await current_states(session, comments, needs)
    return [rules.shown(results[p.id], p.input_counts or {}, audience, now) for p, audience in asked]


def _uuids(values: Collection[str]) -> list[uuid.UUID]:
    found = []
    for value in values:
        try:
            found.append(uuid.UUID(value))
        except (ValueError, TypeError):  # an imported round's own ids refer to nothing here
            continue
    return sorted(found)
