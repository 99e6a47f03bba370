"""Who is staff, and for whom a person may act or whose name they may read: the one definition of each.

Staff (facilitators and administrators) run rounds, but a facilitator's power over people ends at the
rounds they facilitate: withdrawing someone erases their personal data and ends their sessions, and
consent or sensitive data recorded in their name speaks for them. So a facilitator acts only for the
members of a round they facilitate, and never for staff; only administrators act on staff, and on
anyone. Everyone acts for themselves.

The rules are pure: the services and adapters load the small contexts below (server/people/queries.py
`acting`, `person`), then ask.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

STAFF_ROLES = frozenset({"facilitator", "admin"})


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
    """May `actor` withdraw `target`, or record consent or sensitive data in their name?"""
    if not actor.active:
        return False
    if actor.id == target.id or is_admin(actor):
        return True
    return not is_staff(target) and _facilitates_a_round_of(actor, target)


def may_see(viewer: Actor, target: Target) -> bool:
    """May `viewer` read `target`'s name and role? Themselves, administrators, and the facilitators of a
    round the person takes part in (their fellow facilitators too: seeing is not acting)."""
    if not viewer.active:
        return False
    return viewer.id == target.id or is_admin(viewer) or _facilitates_a_round_of(viewer, target)


def may_bring_into_a_round(actor: HasRole, person: HasRole) -> bool:
    """May `actor`, a facilitator of a round, make `person` a member of it? Staff only by administrators:
    otherwise a facilitator could add an administrator to their own round, then act for them."""
    return is_admin(actor) or not is_staff(person)
