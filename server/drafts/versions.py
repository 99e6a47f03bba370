"""A clause's earlier texts: each new version supersedes the one before (drafts/authoring.py), so the
history of a current clause is the chain of `supersedes_id` behind it."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.deliberation.models import Vote
from server.drafts.models import Clause
from server.drafts.rules import is_current


async def histories(session: AsyncSession, draft_id: uuid.UUID) -> dict[uuid.UUID, list[Clause]]:
    """For each current clause of the draft that has earlier versions, those versions, newest first."""
    every = {c.id: c for c in await session.scalars(select(Clause).where(Clause.draft_id == draft_id))}
    found: dict[uuid.UUID, list[Clause]] = {}
    for clause in every.values():
        if not is_current(clause.status) or clause.supersedes_id is None:
            continue
        chain, earlier = [], every.get(clause.supersedes_id)
        while earlier is not None:
            chain.append(earlier)
            earlier = every.get(earlier.supersedes_id) if earlier.supersedes_id else None
        found[clause.id] = chain
    return found


async def to_vote_again(session: AsyncSession, reader_id: uuid.UUID, history: dict[uuid.UUID, list[Clause]]
                        ) -> set[uuid.UUID]:
    """The current clauses whose earlier text the reader voted on and whose new text they have not: their
    vote stayed with the earlier text."""
    earlier_of = {old.id: current for current, chain in history.items() for old in chain}
    if not earlier_of:
        return set()
    rows = await session.execute(select(Vote.clause_id).where(
        Vote.participant_id == reader_id, Vote.amendment_id.is_(None),
        Vote.clause_id.in_([*earlier_of, *history])))
    voted = {clause_id for (clause_id,) in rows}
    return {earlier_of[old] for old in voted if old in earlier_of} - voted
