"""Who may open a channel, triage its needs, and read what became of a need: pure predicates every reader
(pages, GraphQL) and every service asks.

Triage is facilitation: the channel's facilitators (rounds/access.py `require_facilitator` on the channel,
which is a round) do it, nobody else; another organisation's facilitator is no facilitator of this channel.
"""

from __future__ import annotations

import uuid
from typing import Protocol

from server.people.rules import Person, active_admin, active_staff

CHANNEL = "channel"
MAX_TAGS = 5
TAG_LENGTH = 30
ANSWER_LENGTH = 1000


class HasOrganisation(Person, Protocol):
    @property
    def organisation_id(self) -> uuid.UUID | None: ...


class RoundLike(Protocol):
    @property
    def kind(self) -> str: ...


def is_channel(round_: RoundLike) -> bool:
    return round_.kind == CHANNEL


def may_open_channel(actor: HasOrganisation, organisation_id: uuid.UUID) -> bool:
    """A facilitator opens a channel for their own organisation; an administrator for any."""
    return active_admin(actor) or (active_staff(actor) and actor.organisation_id == organisation_id)


def sees_outcome(viewer_id: uuid.UUID | None, author_id: uuid.UUID | None, facilitates: bool) -> bool:
    """What became of a need (merged, taken into a round, answered) is its author's and the facilitators'."""
    return facilitates or (viewer_id is not None and viewer_id == author_id)


def sees_answer(public: bool, viewer_id: uuid.UUID | None, author_id: uuid.UUID | None, facilitates: bool,
                sees_need: bool) -> bool:
    """A private answer goes to the need's author (and the facilitators) only; a public one to everyone who may
    read the need."""
    return sees_outcome(viewer_id, author_id, facilitates) or (public and sees_need)


def sees_tags(facilitates: bool) -> bool:
    """Tags are the facilitators' working notes."""
    return facilitates
