"""Phases that move on by their dates: when the current phase has ended, or the next has started
(phases.next_due), a worker moves the round on, as a facilitator would with "Move to this phase".

Each round is moved under a lock on its row, taken without waiting: two workers never move one round
twice, and a worker never waits behind a facilitator's edit (it takes the round at its next look).
The event is the one a facilitator's move records (round.phase_moved), with by="schedule" and no
actor, so live views, webhooks and the event log see it alike.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from server.events.service import record
from server.rounds import phases
from server.rounds.models import Round

# most steps taken at one look: a round left long without a worker catches up, but a loop cannot run away
MOST_STEPS = 20

_DATED = text("""
    SELECT id FROM rounds
    WHERE jsonb_path_exists(phases, '$[*] ? (@.starts_at != null || @.ends_at != null)')
    ORDER BY id
""")


@dataclass(frozen=True)
class Moved:
    round_id: uuid.UUID
    previous: str
    current: str


async def dated_rounds(session: AsyncSession) -> list[uuid.UUID]:
    """Rounds with a date on any phase: the only ones that can move by themselves."""
    return list(await session.scalars(_DATED))


async def advance(session: AsyncSession, round_id: uuid.UUID, now: datetime) -> list[Moved]:
    """Moves the round on for as long as its dates say so; nothing when another transaction holds it.
    The caller commits."""
    round_ = (await session.scalars(select(Round).where(Round.id == round_id)
                                    .with_for_update(skip_locked=True)
                                    .execution_options(populate_existing=True))).one_or_none()
    if round_ is None:
        return []
    loaded = phases.load(round_.phases)
    moved: list[Moved] = []
    while len(moved) < MOST_STEPS and (due := phases.next_due(loaded, round_.current_phase, now)) is not None:
        moved.append(Moved(round_id, round_.current_phase, due.key))
        round_.current_phase = due.key
        record(session, "round.phase_moved", round_id=round_id, actor_id=None, subject_id=round_id,
               previous=moved[-1].previous, current=due.key, by="schedule")
    await session.flush()
    return moved
