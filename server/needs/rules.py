"""Which needs a reader sees. Pure and typed: every reader asks here (pages, GraphQL, proposals, SQL).

A need is open (everyone sees it), hidden by its facilitators, or withdrawn by its author. Hidden and
withdrawn needs are for the round's facilitators only, however they are reached: listed, by id, through a
comment on them, or through a proposal computed while they were open.

A need carries its author's group. For a group of fewer than 3 people that points at one of two or three
people, so outside the facilitators it is not shown, and needs are not found by it (server/disclosure.py).
"""

from __future__ import annotations

import uuid
from typing import Protocol

from server.disclosure import Audience, discloses

SHOWN_TO_EVERYONE = ("open",)  # the statuses anyone may read; the SQL filters use the same ones


class NeedLike(Protocol):
    @property
    def status(self) -> str: ...
    @property
    def round_id(self) -> uuid.UUID: ...


def visible(need: NeedLike, audience: Audience) -> bool:
    """May `audience` (relative to the need's round) see this need?"""
    return visible_status(need.status, audience)


def visible_status(status: str, audience: Audience) -> bool:
    """The same, for a need known only by its status (one a proposal refers to)."""
    return status in SHOWN_TO_EVERYONE or sees_every_need(audience)


def sees_every_need(audience: Audience) -> bool:
    """Whether lists read for `audience` keep hidden and withdrawn needs (the SQL filters' switch)."""
    return audience.facilitator


def group_shown(audience: Audience, members: int) -> bool:
    """May `audience` see that a need came from a group with `members` members (or find needs by it)?"""
    return discloses(audience, members)


# Staff, and the data teams' integrator tokens the API is for, read open needs in every round.
READS_EVERY_ROUND = frozenset({"facilitator", "admin", "integrator"})


def reads_needs_everywhere(account_role: str) -> bool:
    """By a person's role (participants.role): the open needs of every round, not only of their own."""
    return account_role in READS_EVERY_ROUND


def reads_round_needs(round_role: str | None, account_role: str) -> bool:
    """May a person read a round's needs and the talk on them (comments, "me too" counts)? The people of the
    round do (members, its facilitators, administrators), and those who read every round. A community
    representative of another round does not: what people say about their own needs stays in their round."""
    return round_role is not None or reads_needs_everywhere(account_role)


def may_endorse(need_author_id: uuid.UUID | None, person_id: uuid.UUID | None) -> bool:
    """"Me too" is said of someone else's need: the author of a need already counts in it."""
    return person_id is not None and need_author_id != person_id
