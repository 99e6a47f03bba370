"""Follow-through: which commitments need chasing (rules.flags_of), told once when one becomes overdue or
stale and once when an update clears it, and each round's number of days without news.

The flags are the rule's, computed when read; the column `Commitment.flags` only remembers what was last
told, so that the worker's look and a facilitator's update never tell the same thing twice. Both change
it under the commitment's row lock: the worker takes rows without waiting (SKIP LOCKED), so two workers
looking at once tell each change once, and a row a facilitator is updating is taken at the next look.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from server.commitments.models import Commitment, CommitmentSettings
from server.commitments.rules import FLAGS, SETTLED, STALE_AFTER_DAYS, flags_of
from server.drafts.models import clause_needs
from server.errors import Invalid
from server.events.service import record
from server.i18n import N_
from server.needs.models import Endorsement, Need
from server.people.models import Participant
from server.rounds.access import require_facilitator, standing

MOST_DAYS = 730
MOST_AT_ONE_LOOK = 500  # rows one look locks; the rest wait for the next look


async def stale_after(session: AsyncSession, round_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Each round's days without news before a commitment is stale, the default where none was chosen."""
    chosen = dict((await session.execute(select(CommitmentSettings.round_id, CommitmentSettings.stale_after_days)
                                         .where(CommitmentSettings.round_id.in_(round_ids)))).all()) \
        if round_ids else {}
    return {r: chosen.get(r, STALE_AFTER_DAYS) for r in round_ids}


async def set_stale_after(session: AsyncSession, actor: Participant, round_id: uuid.UUID, days: str | int) -> int:
    """A round's facilitators choose after how many days without an update a commitment is flagged."""
    require_facilitator(await standing(session, round_id, actor))
    invalid = Invalid()
    try:
        value = int(str(days).strip())
    except ValueError:
        value = 0
    if not 1 <= value <= MOST_DAYS:
        invalid.add("stale_after_days", N_("Enter a number of days from 1 to {most}."), most=MOST_DAYS)
    invalid.raise_if_any()
    statement = insert(CommitmentSettings).values(round_id=round_id, stale_after_days=value)
    await session.execute(statement.on_conflict_do_update(
        index_elements=[CommitmentSettings.round_id],
        set_={"stale_after_days": value, "updated_at": func.now()}))
    record(session, "commitment.stale_after_set", round_id=round_id, actor_id=actor.id, days=value)
    return value


@dataclass(frozen=True)
class Told:
    commitment_id: uuid.UUID
    flagged: tuple[str, ...]  # flags raised by this look
    cleared: tuple[str, ...]  # flags this look found gone


def reconcile(session: AsyncSession, commitment: Commitment, now: datetime, stale_after_days: int, *,
              actor_id: uuid.UUID | None = None) -> Told | None:
    """Records what changed in a commitment's flags since they were last told; the row must be locked."""
    current = flags_of(commitment, now, stale_after_days)
    told = tuple(commitment.flags or ())
    raised = tuple(f for f in current if f not in told)
    cleared = tuple(f for f in FLAGS if f in told and f not in current)
    if not raised and not cleared:
        return None
    commitment.flags = list(current)
    if raised:
        record(session, "commitment.flagged", round_id=commitment.round_id, actor_id=None,
               subject_id=commitment.id, flags=list(raised), due_date=commitment.due_date.isoformat()
               if commitment.due_date else None, stale_after_days=stale_after_days)
    if cleared:
        record(session, "commitment.unflagged", round_id=commitment.round_id, actor_id=actor_id,
               subject_id=commitment.id, flags=list(cleared), remaining=list(current))
    return Told(commitment.id, raised, cleared)


async def look(session: AsyncSession, now: datetime) -> list[Told]:
    """The worker's look: every commitment that may carry a flag or did, told what changed. The caller
    commits; rows another transaction holds are left for the next look."""
    rows = list(await session.scalars(
        select(Commitment).where(or_(Commitment.status.not_in(SETTLED), func.cardinality(Commitment.flags) > 0))
        .order_by(Commitment.id).limit(MOST_AT_ONE_LOOK)
        .with_for_update(skip_locked=True).execution_options(populate_existing=True)))
    days = await stale_after(session, list({c.round_id for c in rows}))
    return [told for c in rows if (told := reconcile(session, c, now, days[c.round_id])) is not None]


@dataclass(frozen=True)
class Flagged:
    commitment: Commitment
    flags: tuple[str, ...]


async def flagged_in(session: AsyncSession, round_id: uuid.UUID, now: datetime) -> list[Flagged]:
    """A round's commitments that need chasing now, overdue first, then the longest without news."""
    days = (await stale_after(session, [round_id]))[round_id]
    rows = await session.scalars(select(Commitment).where(Commitment.round_id == round_id,
                                                          Commitment.status.not_in(SETTLED)))
    found = [Flagged(c, flags) for c in rows if (flags := flags_of(c, now, days))]
    return sorted(found, key=lambda f: (f.flags[0] != FLAGS[0], f.commitment.updated_at, f.commitment.id))


@dataclass(frozen=True)
class LatePromise:
    """A flagged commitment whose clause answers a need the reader raised or said "me too" to."""

    commitment: Commitment
    flags: tuple[str, ...]
    need_titles: list[str]


async def late_for_member(session: AsyncSession, me: Participant, round_id: uuid.UUID,
                          now: datetime) -> list[LatePromise]:
    """What a member of the round is told on their pages: promises for their own needs that are late or
    without news. Nothing for anyone who is not a member of this round."""
    place = await standing(session, round_id, me)
    if place.membership is None or place.role is None:
        return []
    participant_id = me.id
    theirs = (select(Need.id).where(Need.round_id == round_id, Need.status == "open",
                                    Need.author_id == participant_id)
              .union(select(Need.id).join(Endorsement, Endorsement.need_id == Need.id)
                     .where(Need.round_id == round_id, Need.status == "open",
                            Endorsement.participant_id == participant_id)))
    rows = (await session.execute(
        select(Commitment, Need.title).join(clause_needs, clause_needs.c.clause_id == Commitment.clause_id)
        .join(Need, Need.id == clause_needs.c.need_id)
        .where(Commitment.round_id == round_id, Commitment.status.not_in(SETTLED),
               Need.id.in_(theirs)).order_by(Commitment.id, Need.id))).all()
    if not rows:
        return []
    days = (await stale_after(session, [round_id]))[round_id]
    found: dict[uuid.UUID, LatePromise] = {}
    for commitment, title in rows:
        flags = flags_of(commitment, now, days)
        if flags:
            found.setdefault(commitment.id, LatePromise(commitment, flags, [])).need_titles.append(title)
    return list(found.values())
