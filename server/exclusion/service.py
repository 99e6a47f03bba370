"""Giving, reading and deleting one person's exclusion data. Deleting also happens in server/people/service.py
(taking back the consent, leaving Ruam)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from server.errors import Invalid, NotFound, NotPermitted
from server.events.service import record
from server.exclusion import rules
from server.exclusion.summary import districts_of
from server.i18n import N_
from server.people import queries
from server.people.models import (
    DISABILITY_CARDS,
    ID_DOCUMENTS,
    REASONS,
    SERVICES,
    WELFARE_CARDS,
    ExclusionRecord,
    Participant,
)
from server.people.service import get_participant, has_consent, record_consent
from server.proxies.models import ProxyRecord
from server.reference.models import AdminArea
from server.reference.service import check_area
from server.rounds.access import standing
from server.rounds.queries import memberships_with_rounds

PURPOSE = "exclusion_data"
NEEDS_CONSENT = N_("Ruam keeps these answers only if you agree. Tick \"I agree\" first, or leave the page: "
                   "nothing was kept.")
NOT_YOURS = N_("You can only give your own answers, or as a facilitator those of a person you sit with, "
               "through a proxy entry made for them.")


@dataclass
class Answers:
    """Every answer is optional: None (or an empty list) is "not said"."""

    id_document: str | None = None
    welfare_card: str | None = None
    disability_card: str | None = None
    services_missed: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    area_code: str | None = None

    def given(self) -> list[str]:
        """The names of the answers given, never their values (for the event log)."""
        return [name for name, value in vars(self).items() if value]


def _one(invalid: Invalid, name: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    value = (value or "").strip() or None
    invalid.check(value is None or value in allowed, name, N_("Choose one of the answers, or none."))
    return value


def _many(invalid: Invalid, name: str, values: list[str], allowed: tuple[str, ...]) -> list[str]:
    chosen = sorted({v for v in values if v})
    invalid.check(all(v in allowed for v in chosen), name, N_("Choose from the answers shown."))
    return chosen


async def _checked(session: AsyncSession, answers: Answers) -> Answers:
    invalid = Invalid()
    checked = Answers(
        id_document=_one(invalid, "id_document", answers.id_document, ID_DOCUMENTS),
        welfare_card=_one(invalid, "welfare_card", answers.welfare_card, WELFARE_CARDS),
        disability_card=_one(invalid, "disability_card", answers.disability_card, DISABILITY_CARDS),
        services_missed=_many(invalid, "services_missed", answers.services_missed, SERVICES),
        reasons=_many(invalid, "reasons", answers.reasons, REASONS),
        area_code=(answers.area_code or "").strip() or None,
    )
    if checked.area_code is not None:
        await check_area(session, invalid, "area_code", checked.area_code)
    invalid.raise_if_any()
    return checked


async def _proxy(session: AsyncSession, actor: Participant, proxy_id: uuid.UUID | None) -> tuple[ProxyRecord | None, bool]:
    if proxy_id is None:
        return None, False
    proxy = await session.get(ProxyRecord, proxy_id)
    if proxy is None:
        raise NotFound("proxy record", proxy_id)
    return proxy, (await standing(session, proxy.round_id, actor)).facilitates


async def save(session: AsyncSession, actor: Participant, person_id: uuid.UUID, answers: Answers, *,
               agree: bool = False, proxy_id: uuid.UUID | None = None) -> ExclusionRecord:
    """Stores `person_id`'s answers, replacing earlier ones. Only with the "exclusion_data" consent: `agree`
    records it now (online for oneself; through a proxy, with the consent the proxy record says was given).
    Without it nothing is stored and the answer is a refusal saying so."""
    person = await get_participant(session, person_id)
    proxy, facilitates = await _proxy(session, actor, proxy_id)
    if not rules.may_give(actor.id, person.id, may_act_for=await queries.may_act_for(session, actor, person),
                          proxy=proxy, facilitates_its_round=facilitates):
        raise NotPermitted(NOT_YOURS)
    checked = await _checked(session, answers)
    if agree and not await has_consent(session, person.id, PURPOSE):
        await record_consent(session, actor, person.id, purpose=PURPOSE, granted=True,
                             method=proxy.consent if proxy else "online", proxy_id=proxy.id if proxy else None)
    if not await has_consent(session, person.id, PURPOSE):
        invalid = Invalid()
        invalid.add("agree", NEEDS_CONSENT)
        invalid.raise_if_any()
    row = await session.get(ExclusionRecord, person.id)
    if row is None:
        row = ExclusionRecord(participant_id=person.id)
        session.add(row)
    for name, value in vars(checked).items():
        setattr(row, name, value)
    row.recorded_by_id = actor.id
    row.proxy_id = proxy.id if proxy else None
    row.updated_at = datetime.now(UTC)
    await session.flush()
    # names what was answered, never the answers
    record(session, "exclusion_data.updated", round_id=None, actor_id=actor.id, subject_id=person.id,
           fields=checked.given(), by_proxy=proxy is not None)
    return row


async def mine(session: AsyncSession, actor: Participant, person_id: uuid.UUID) -> ExclusionRecord | None:
    """A person's own answers, for themselves only: facilitators read the summary, never one person's row."""
    if actor.id != person_id:
        raise NotPermitted(NOT_YOURS)
    return await session.get(ExclusionRecord, person_id)


async def district_choices(session: AsyncSession, person: Participant) -> list[AdminArea]:
    """The districts a person may say they live in: those within the areas of their rounds."""
    found: dict[str, AdminArea] = {}
    for _, round_ in await memberships_with_rounds(session, person.id):
        found.update((d.code, d) for d in await districts_of(session, round_))
    return [found[code] for code in sorted(found)]
