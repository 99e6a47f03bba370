"""The triage queue of a channel, as its facilitators read it: every need (open ones first, newest first), with
its family's "me too" count, its tags and what became of it, and the rounds a need can be brought into."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import case, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.channels import rules
from server.channels.outcome import Outcome, outcomes
from server.needs.me_too import me_too_counts
from server.needs.models import Need
from server.people.models import Participant
from server.rounds.access import require_facilitator, standing
from server.rounds.models import Round
from server.rounds.queries import facilitated_round_ids

QUEUE_LENGTH = 50


@dataclass
class Item:
    need: Need
    me_too: int
    outcome: Outcome


async def queue(session: AsyncSession, actor: Participant, channel_id: uuid.UUID, *, tag: str | None = None
                ) -> list[Item]:
    require_facilitator(await standing(session, channel_id, actor))
    statement = (select(Need).where(Need.round_id == channel_id)
                 .order_by(case((Need.status == "open", 0), else_=1), Need.id.desc()).limit(QUEUE_LENGTH))
    if tag:
        statement = statement.where(Need.tags.contains([tag]))
    needs = list(await session.scalars(statement))
    counts = await me_too_counts(session, [n.id for n in needs])
    told = await outcomes(session, needs)
    return [Item(n, counts[n.id], told[n.id]) for n in needs]


async def target_rounds(session: AsyncSession, actor: Participant) -> list[Round]:
    """The rounds (not channels) `actor` facilitates, where a channel's need can be brought."""
    allowed = await facilitated_round_ids(session, actor)
    statement = select(Round).where(Round.kind != rules.CHANNEL).order_by(Round.id.desc())
    if allowed is not None:
        statement = statement.where(Round.id.in_(allowed))
    return list(await session.scalars(statement))
