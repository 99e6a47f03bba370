"""Reading the event log for replay: in id order (ids are time-ordered), with people left out.

Events name who did what; the log shown to integrators must not. Person ids stay only for
those who may see them (the round's facilitators), and never on a vote: nobody sees another
person's individual vote (DESIGN.md, privacy).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.errors import Invalid
from server.events.models import Event
from server.i18n import N_
from server.pagination import Order, Window
from server.validation import usable

EVENT_ORDER = Order((Event.id,))
PERSON_KEYS = frozenset({"actor_id", "participant_id", "author_id", "created_by_id"})
# events whose actor and subject are the person themself: shown without them to anyone
PERSONAL_EVENTS = frozenset({"vote.cast", "participant.created", "participant.withdrawn", "consent.recorded",
                             "sensitive_data.updated", "membership.joined", "token.created", "token.revoked",
                             "commitment.checked"})
# events whose subject is a person
SUBJECT_IS_PERSON = frozenset({"membership.set", "membership.joined", "participant.created", "participant.withdrawn",
                               "consent.recorded", "sensitive_data.updated"})


async def events_page(session: AsyncSession, *, round_id: uuid.UUID | None, types: Sequence[str] | None,
                      window: Window) -> tuple[list[Event], bool]:
    """Events of one round (or, for `round_id` None, every event: administrators only), oldest first."""
    invalid = Invalid()
    invalid.check(all(len(t) <= 60 and usable(t) for t in types or ()), "types",
                  N_("Event types look like need.submitted or vote.cast."))
    invalid.raise_if_any()
    statement = select(Event)
    if round_id is not None:
        statement = statement.where(Event.round_id == round_id)
    if types:
        statement = statement.where(Event.type.in_(list(types)))
    return window.split((await session.scalars(EVENT_ORDER.window(statement, window))).all())


def shows_people(event: Event, *, facilitates: bool) -> bool:
    return facilitates and event.type not in PERSONAL_EVENTS


def public_subject(event: Event, *, facilitates: bool) -> uuid.UUID | None:
    if event.type in SUBJECT_IS_PERSON and not shows_people(event, facilitates=facilitates):
        return None
    return event.subject_id


def public_payload(event: Event, *, facilitates: bool) -> dict[str, Any]:
    if shows_people(event, facilitates=facilitates):
        return dict(event.payload)
    return {k: v for k, v in event.payload.items() if k not in PERSON_KEYS}
