"""Who may do what in a round: named predicates, checked by every service.

A person's role in a round is "admin" (global admins), "facilitator" (members who
facilitate it), "participant" (members) or nothing at all.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from server.errors import NotFound, NotPermitted, PhaseClosed
from server.i18n import N_
from server.people.models import Participant
from server.people.rules import is_admin, is_staff, is_staff_role
from server.rounds import phases
from server.rounds.models import Membership, Round


@dataclass(frozen=True)
class Standing:
    round: Round
    actor: Participant
    membership: Membership | None

    @property
    def role(self) -> str | None:
        if self.actor.withdrawn_at is not None:
            return None
        if is_admin(self.actor):
            return "admin"
        if self.membership is None:
            return None
        if self.membership.facilitates and is_staff(self.actor):
            return "facilitator"
        return "participant"

    @property
    def facilitates(self) -> bool:
        return is_staff_role(self.role)

    def phase(self) -> phases.Phase:
        return next(p for p in phases.load(self.round.phases) if p.key == self.round.current_phase)


async def standing(session: AsyncSession, round_id: uuid.UUID, actor: Participant) -> Standing:
    round_ = await session.get(Round, round_id)
    if round_ is None:
        raise NotFound("round", round_id)
    membership = await session.get(Membership, (round_id, actor.id))
    return Standing(round_, actor, membership)


def require_member(s: Standing) -> str:
    role = s.role
    if role is None:
        raise NotPermitted(N_("You are not taking part in this round. Ask its facilitator for an invitation."))
    return role


def require_facilitator(s: Standing) -> None:
    if not s.facilitates:
        raise NotPermitted(N_("Only this round's facilitators can do that."))


def require_open(s: Standing, action: str, role: str, now: datetime | None = None) -> phases.Phase:
    """The current phase must open `action` to `role`, and must not have ended."""
    phase = s.phase()
    now = now or datetime.now(UTC)
    if not phase.allows(action, role) or not phase.is_running(now):
        raise PhaseClosed(
            N_("The {phase} phase of this round is not open for {action}."),
            phase=phases.PHASE_NAMES.get(phase.key, phase.key),
            action=phases.ACTIONS[action],
        )
    return phase
