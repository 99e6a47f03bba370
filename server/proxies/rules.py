"""Whose input this is: for oneself, or for someone else through a proxy record. Pure: the loaders
(services over the ORM, the castVote fast lane over one statement's row) read the facts first."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import NamedTuple, Protocol

from server.errors import Invalid, NotFound, NotPermitted, ProxyRequired
from server.i18n import N_
from server.rounds.access import Member, Place, require_facilitator, require_member, require_open


class ProxyFacts(Protocol):
    """What the rule reads of a proxy record."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def round_id(self) -> uuid.UUID: ...
    @property
    def entered_by_id(self) -> uuid.UUID: ...
    @property
    def participant_id(self) -> uuid.UUID | None: ...


class Author(NamedTuple):
    """Whose input this is, who typed it, under which proxy record, and for which group."""

    participant_id: uuid.UUID | None
    entered_by_id: uuid.UUID
    proxy_id: uuid.UUID | None
    group_id: uuid.UUID | None


def scope_for(proxy_id: object) -> str:
    """The token scope input needs: entering it for someone else is a facilitator's action."""
    return "facilitate" if proxy_id is not None else "participate"


def author(place: Place, actor_id: uuid.UUID, round_id: uuid.UUID, action: str, *,
           on_behalf_of: uuid.UUID | None, proxy_id: uuid.UUID | None, proxy: ProxyFacts | None,
           represented: Member | None, now: datetime | None = None) -> Author:
    """May `actor_id`, standing at `place` in the round, take `action` now, for themselves or through the
    proxy record `proxy_id` (found as `proxy`, None when there is none; `represented` is the membership of
    the person it names)? Raises what a refusal is; otherwise whose input it is."""
    if proxy_id is None:
        if on_behalf_of is not None and on_behalf_of != actor_id:
            raise ProxyRequired(N_("Input on someone else's behalf needs a proxy record: "
                                   "who they are, how it was gathered and what consent they gave."))
        require_open(place, action, require_member(place), now)
        membership = place.membership
        return Author(actor_id, actor_id, None, membership.group_id if membership is not None else None)

    require_facilitator(place)
    if proxy is None or proxy.round_id != round_id:
        raise NotFound("proxy record", proxy_id)
    if proxy.entered_by_id != actor_id:
        raise NotPermitted(N_("Use a proxy record you made yourself."))
    if on_behalf_of is not None and on_behalf_of != proxy.participant_id:
        invalid = Invalid()
        invalid.add("on_behalf_of", N_("This proxy record is for someone else."))
        invalid.raise_if_any()
    # the phase must be open to the people represented, not only to their facilitator
    require_open(place, action, "participant", now)
    group_id = represented.group_id if proxy.participant_id is not None and represented is not None else None
    return Author(proxy.participant_id, actor_id, proxy.id, group_id)
