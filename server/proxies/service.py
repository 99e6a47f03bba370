"""Input entered on someone's behalf: the proxy record, and whose input it becomes."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from server import validation
from server.errors import Invalid
from server.events.service import record
from server.i18n import N_
from server.people.models import Participant
from server.proxies.models import PROXY_CONSENTS, PROXY_METHODS, ProxyRecord
from server.proxies.rules import Author, author
from server.rounds.access import require_facilitator, standing
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


async def proxy_facts(session: AsyncSession, round_id: uuid.UUID, proxy_id: uuid.UUID | None
                      ) -> tuple[ProxyRecord | None, Membership | None]:
    """The proxy record named (None when there is none) and the membership of the person it names."""
    if proxy_id is None:
        return None, None
    proxy = await session.get(ProxyRecord, proxy_id)
    if proxy is None or proxy.participant_id is None:
        return proxy, None
    return proxy, await session.get(Membership, (round_id, proxy.participant_id))


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
    proxy, represented = await proxy_facts(session, round_id, proxy_id)
    return author(s, actor.id, round_id, action, on_behalf_of=on_behalf_of, proxy_id=proxy_id, proxy=proxy,
                  represented=represented)
