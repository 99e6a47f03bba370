"""Reading the event log for replay: in id order (ids are time-ordered).

What each reader sees of an event is decided by server/events/audiences.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.errors import Invalid
from server.events.models import Event
from server.i18n import N_
from server.pagination import Order, Window
from server.validation import usable

EVENT_ORDER = Order((Event.id,))


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
