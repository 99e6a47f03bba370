"""Input entered on someone's behalf: the proxy record, and whose input it becomes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from server import validation
from server.errors import Invalid, NotFound, NotPermitted, ProxyRequired
from server.events.service import record
from server.i18n import N_
from server.people.models import Participant
from server.proxies.models import PROXY_CONSENTS, PROXY_METHODS, ProxyRecord
from server.rounds.access import (
    Standing,
    require_facilitator,
    require_member,
    require_open,
    standing,
)
from server.rounds.models import Membership


async def record_proxy(
    session: AsyncSession,
    actor: Participant,
    round_id: uuid.UUID,
    *,
    method: str,
    consent: str,
    participant_id: uuid.UUID | None = None,
    people_count: int | None = None,
    meeting: str | None = None,
    consent_note: str = "",
) -> ProxyRecord:
    """For a named participant, or for "N people at meeting M"."""
    s = await standing(session, round_id, actor)
    require_facilitator(s)
    invalid = Invalid()
    validation.choice(invalid, "method", method, PROXY_METHODS)
    validation.choice(invalid, "consent", consent, PROXY_CONSENTS)
    note = validation.text(invalid, "consent_note", consent_note, max_length=500, required=False)
    meeting = validation.text(invalid, "meeting", meeting, max_length=200, required=participant_id is None)
    if participant_id is None:
        validation.whole_number(invalid, "people_count", people_count or 0, minimum=1, maximum=10_000)
    elif await session.get(Membership, (round_id, participant_id)) is None:
        invalid.add("participant", N_("That person is not taking part in this round."))
    invalid.raise_if_any()
    proxy = ProxyRecord(round_id=round_id, entered_by_id=actor.id, participant_id=participant_id,
                        people_count=people_count if participant_id is None else None,
                        meeting=meeting or None, method=method, consent=consent, consent_note=note)
    session.add(proxy)
    await session.flush()
    record(session, "proxy.recorded", round_id=round_id, actor_id=actor.id, subject_id=proxy.id,
           participant_id=participant_id, people_count=proxy.people_count, method=method, consent=consent)
    return proxy


@dataclass(frozen=True)
class Author:
    """Whose input this is, who typed it, under which proxy record, and for which group."""

    participant_id: uuid.UUID | None
    entered_by_id: uuid.UUID
    proxy_id: uuid.UUID | None
    group_id: uuid.UUID | None
    standing: Standing


async def resolve_author(
    session: AsyncSession,
    actor: Participant,
    round_id: uuid.UUID,
    action: str,
    *,
    on_behalf_of: uuid.UUID | None = None,
    proxy_id: uuid.UUID | None = None,
) -> Author:
    """Checks that `actor` may take `action` now, for themselves or through a proxy record."""
    s = await standing(session, round_id, actor)
    if proxy_id is None:
        if on_behalf_of is not None and on_behalf_of != actor.id:
            raise ProxyRequired(N_("Input on someone else's behalf needs a proxy record: "
                                   "who they are, how it was gathered and what consent they gave."))
        require_open(s, action, require_member(s))
        return Author(actor.id, actor.id, None, s.membership.group_id if s.membership else None, s)

    require_facilitator(s)
    proxy = await session.get(ProxyRecord, proxy_id)
    if proxy is None or proxy.round_id != round_id:
        raise NotFound("proxy record", proxy_id)
    if proxy.entered_by_id != actor.id:
        raise NotPermitted(N_("Use a proxy record you made yourself."))
    if on_behalf_of is not None and on_behalf_of != proxy.participant_id:
        invalid = Invalid()
        invalid.add("on_behalf_of", N_("This proxy record is for someone else."))
        invalid.raise_if_any()
    # the phase must be open to the people represented, not only to their facilitator
    require_open(s, action, "participant")
    group_id = None
    if proxy.participant_id is not None:
        membership = await session.get(Membership, (round_id, proxy.participant_id))
        group_id = membership.group_id if membership else None
    return Author(proxy.participant_id, actor.id, proxy.id, group_id, s)
