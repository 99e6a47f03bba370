"""Who may do what in a round: named predicates, checked by every service.

A person's role in a round is "admin" (global admins), "facilitator" (members who
facilitate it), "drafter" (drafters given the round to draft for), "participant" (members) or
nothing at all. A drafter is nothing in a round they do not draft for, even as a member: their
account is for drafting, not for voting or speaking as a member.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from server.errors import NotFound, NotPermitted, PhaseClosed
from server.i18n import N_
from server.people.models import Participant
from server.people.rules import is_admin, is_drafter, is_staff, is_staff_role
from server.rounds import phases
from server.rounds.models import Membership, Round


class Person(Protocol):
    """What the round rules read of a person, whether a Participant row or a row of a statement."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def role(self) -> str: ...
    @property
    def withdrawn_at(self) -> datetime | None: ...


class Member(Protocol):
    """What the round rules read of a membership."""

    @property
    def group_id(self) -> uuid.UUID | None: ...
    @property
    def facilitates(self) -> bool: ...
    @property
    def drafts(self) -> bool: ...


class Place(Protocol):
    """Someone's standing in a round, as the require_* checks read it."""

    @property
    def role(self) -> str | None: ...
    @property
    def facilitates(self) -> bool: ...
    @property
    def membership(self) -> Member | None: ...
    def phase(self) -> phases.Phase: ...


def round_role(actor: Person, membership: Member | None) -> str | None:
    if actor.withdrawn_at is not None:
        return None
    if is_admin(actor):
        return "admin"
    if membership is None:
        return None
    if membership.facilitates and is_staff(actor):
        return "facilitator"
    if is_drafter(actor):
        return "drafter" if membership.drafts else None
    return "participant"


def current_phase(phase_data: list[dict[str, Any]], key: str) -> phases.Phase:
    return next(p for p in phases.load(phase_data) if p.key == key)


@dataclass(frozen=True)
class Standing:
    round: Round
    actor: Participant
    membership: Membership | None

    @property
    def role(self) -> str | None:
        return round_role(self.actor, self.membership)

    @property
    def facilitates(self) -> bool:
        return is_staff_role(self.role)

    def phase(self) -> phases.Phase:
        return current_phase(self.round.phases, self.round.current_phase)


@dataclass(frozen=True, slots=True)
class Seat:
    """A standing worked out once from facts a statement read (the castVote fast lane keeps it between
    votes while those facts stay the same)."""

    role: str | None
    current: phases.Phase
    membership: Member | None

    @classmethod
    def of(cls, actor: Person, membership: Member | None, current: phases.Phase) -> Seat:
        return cls(round_role(actor, membership), current, membership)

    @property
    def facilitates(self) -> bool:
        return is_staff_role(self.role)

    def phase(self) -> phases.Phase:
        return self.current


async def standing(session: AsyncSession, round_id: uuid.UUID, actor: Participant) -> Standing:
    round_ = await session.get(Round, round_id)
    if round_ is None:
        raise NotFound("round", round_id)
    membership = await session.get(Membership, (round_id, actor.id))
    return Standing(round_, actor, membership)


def require_member(s: Place) -> str:
    role = s.role
    if role is None:
        raise NotPermitted(N_("You are not taking part in this round. Ask its facilitator for an invitation."))
    return role


def require_facilitator(s: Place) -> None:
    if not s.facilitates:
        raise NotPermitted(N_("Only this round's facilitators can do that."))


def require_open(s: Place, action: str, role: str, now: datetime | None = None) -> phases.Phase:
    """The current phase must open `action` to `role`, and must not have ended."""
    phase = s.phase()
    now = now or datetime.now(UTC)
    if not phase.allows(action, role) or not phase.is_running(now):
        raise PhaseClosed(
            N_("The {phase} phase of this round is not open for {action}."),
            phase=phase.shown_name(),
            action=phases.ACTIONS[action],
        )
    return phase


def refusal(s: Place, action: str, now: datetime | None = None) -> NotPermitted | PhaseClosed | None:
    """What a person's own `action` would be refused with now, by the check the services make, or None: pages
    say it beside a link, before a form is filled in for nothing."""
    try:
        require_open(s, action, require_member(s), now)
    except (NotPermitted, PhaseClosed) as refused:
        return refused
    return None
