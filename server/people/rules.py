"""Who is staff, and for whom a person may act or whose name they may read: the one definition of each.

Staff (facilitators and administrators) run rounds, but a facilitator's power over people ends at the
rounds they facilitate: withdrawing someone erases their personal data and ends their sessions, and
consent or sensitive data recorded in their name speaks for them. So a facilitator acts only for the
members of a round they facilitate, and never for staff; only administrators act on staff, and on
anyone. Everyone acts for themselves.

Drafters (ministry or civil-society staff who write drafts) hold a staff account like facilitators: an
administrator invites them, gives them rounds and revokes them, they sign in as staff (passphrase or
personal link, sessions of a working day), and no facilitator acts for them. But they are not staff: they
run no round, so they see no moderation queue, hidden comment or need, personal data or proxy tool; in the
rounds they draft for, the phases open drafting to them and nothing else (server/rounds/access.py).
`is_staff` stays "runs rounds"; `has_staff_account` is "signs in as staff, managed by administrators".

The rules are pure: the services and adapters load the small contexts below (server/people/queries.py
`acting`, `person`), then ask.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

STAFF_ROLES = frozenset({"facilitator", "admin"})
DRAFTER = "drafter"
ACCOUNT_ROLES = STAFF_ROLES | {DRAFTER}  # who holds a staff account (server/staff/)


class HasRole(Protocol):
    @property
    def role(self) -> str: ...


class Person(HasRole, Protocol):
    @property
    def withdrawn_at(self) -> datetime | None: ...


def is_staff_role(role: str | None) -> bool:
    """A role that runs rounds: a person's (participants.role) or their role in one round (access.py)."""
    return role in STAFF_ROLES


def is_staff(person: HasRole) -> bool:
    """By role alone; whether they may act at all is `active`."""
    return is_staff_role(person.role)


def is_admin(person: HasRole) -> bool:
    return person.role == "admin"


def is_drafter(person: HasRole) -> bool:
    return person.role == DRAFTER


def has_staff_account(person: HasRole) -> bool:
    """Staff or a drafter: signs in as staff (never with a participant's session), and only administrators
    act for them or bring them into a round. Grants nothing by itself."""
    return person.role in ACCOUNT_ROLES


def active(person: Person) -> bool:
    """A withdrawn person acts no more: their tokens and sessions are refused, and so is anything left."""
    return person.withdrawn_at is None


def active_staff(person: Person) -> bool:
    return is_staff(person) and active(person)


def active_admin(person: Person) -> bool:
    return is_admin(person) and active(person)


@dataclass(frozen=True)
class Actor:
    """Who asks: their role, and the rounds they facilitate (empty unless they are a facilitator)."""

    id: uuid.UUID
    role: str
    active: bool
    facilitates: frozenset[uuid.UUID] = frozenset()


@dataclass(frozen=True)
class Target:
    """Whom it is about: their role, and the rounds they are a member of."""

    id: uuid.UUID
    role: str
    rounds: frozenset[uuid.UUID] = frozenset()


def _facilitates_a_round_of(actor: Actor, target: Target) -> bool:
    return actor.role == "facilitator" and bool(actor.facilitates & target.rounds)


def may_act_for(actor: Actor, target: Target) -> bool:
    """May `actor` withdraw `target`, record consent or sensitive data in their name, or give them a new
    re-entry card (server/auth/cards.py: a facilitator at a meeting, for someone whose phone is lost)?"""
    if not actor.active:
        return False
    if actor.id == target.id or is_admin(actor):
        return True
    return not has_staff_account(target) and _facilitates_a_round_of(actor, target)


def may_see(viewer: Actor, target: Target) -> bool:
    """May `viewer` read `target`'s name and role? Themselves, administrators, and the facilitators of a
    round the person takes part in (their fellow facilitators too: seeing is not acting)."""
    if not viewer.active:
        return False
    return viewer.id == target.id or is_admin(viewer) or _facilitates_a_round_of(viewer, target)


def may_bring_into_a_round(actor: HasRole, person: HasRole) -> bool:
    """May `actor`, a facilitator of a round, make `person` a member of it? Staff only by administrators:
    otherwise a facilitator could add an administrator to their own round, then act for them. Drafters
    too: their rounds are an administrator's to give (server/staff/service.py)."""
    return is_admin(actor) or not has_staff_account(person)


def joins_as_themself(person: Person) -> bool:
    """Does a signed-in `person` who joins a round with an invitation code join as themself, keeping their
    input from other rounds together? Participants do. Those with a staff account come into rounds by an
    administrator's or a facilitator's hand (may_bring_into_a_round); an invitation used in their session
    makes a new person, as it always has."""
    return active(person) and not has_staff_account(person)


def may_hold_a_card(person: Person) -> bool:
    """A re-entry card (server/auth/cards.py) is a participant's way back in. Staff sign in with a key that
    expires (server/auth/staff.py), and a withdrawn person comes back no more."""
    return active(person) and not has_staff_account(person)
