"""Participants, organisations and communities; consent and sensitive data (Thai PDPA)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from server import validation
from server.auth import sessions
from server.auth.models import ReEntryCard
from server.config import LOCALES
from server.errors import Invalid, NotFound, NotPermitted
from server.events.service import record
from server.i18n import N_
from server.needs.models import Need
from server.people import queries, rules
from server.people.models import (
    CONSENT_METHODS,
    CONSENT_PURPOSES,
    ORGANISATION_KINDS,
    ROLES,
    Community,
    ConsentRecord,
    ExclusionRecord,
    Organisation,
    Participant,
    SensitiveData,
)
from server.push.models import PushSubscription

NOTICE_VERSION = "2026-11"


def _require_staff(actor: Participant) -> None:
    if not rules.active_staff(actor):
        raise NotPermitted(N_("Only facilitators and administrators can do that."))


def _require_admin(actor: Participant) -> None:
    if not rules.active_admin(actor):
        raise NotPermitted(N_("Only administrators can do that."))


async def create_organisation(session: AsyncSession, actor: Participant, *, name_th: str, name_en: str,
                              kind: str) -> Organisation:
    _require_admin(actor)
    invalid = Invalid()
    organisation = Organisation(
        name_th=validation.text(invalid, "name_th", name_th, max_length=200),
        name_en=validation.text(invalid, "name_en", name_en, max_length=200),
        kind=validation.choice(invalid, "kind", kind, ORGANISATION_KINDS),
    )
    invalid.raise_if_any()
    session.add(organisation)
    await session.flush()
    record(session, "organisation.created", round_id=None, actor_id=actor.id, subject_id=organisation.id,
           name=organisation.name_en, kind=kind)
    return organisation


async def create_community(session: AsyncSession, actor: Participant, *, name_th: str, name_en: str,
                           area_code: str | None = None, languages: list[str] | None = None) -> Community:
    from server.reference.service import check_area

    _require_staff(actor)
    invalid = Invalid()
    area_code = (area_code or "").strip() or None  # a form's empty choice: no area
    community = Community(
        name_th=validation.text(invalid, "name_th", name_th, max_length=200),
        name_en=validation.text(invalid, "name_en", name_en, max_length=200),
        area_code=area_code,
        languages=[validation.language(invalid, "languages", code) for code in languages or []],
    )
    if area_code is not None:
        await check_area(session, invalid, "area_code", area_code)
    invalid.raise_if_any()
    session.add(community)
    await session.flush()
    record(session, "community.created", round_id=None, actor_id=actor.id, subject_id=community.id,
           name=community.name_en)
    return community


async def create_participant(
    session: AsyncSession,
    actor: Participant | None,
    *,
    display_name: str,
    role: str = "participant",
    locale: str = "th",
    languages: list[str] | None = None,
    contact: str | None = None,
    community_id: uuid.UUID | None = None,
    organisation_id: uuid.UUID | None = None,
    external_source: str | None = None,
    external_id: str | None = None,
) -> Participant:
    """`actor` None is the system itself (the first admin, imports); otherwise staff create
    participants, and only administrators create staff."""
    if actor is not None:
        _require_staff(actor)
        if role != "participant":
            _require_admin(actor)
    invalid = Invalid()
    participant = Participant(
        display_name=validation.text(invalid, "display_name", display_name, max_length=120),
        role=validation.choice(invalid, "role", role, ROLES),
        locale=validation.choice(invalid, "locale", locale, LOCALES),
        languages=[validation.language(invalid, "languages", code) for code in languages or []],
        contact=validation.text(invalid, "contact", contact, max_length=200, required=False) or None,
        community_id=community_id,
        organisation_id=organisation_id,
        external_source=validation.text(invalid, "external_source", external_source, max_length=200,
                                        required=False) or None,
        external_id=validation.text(invalid, "external_id", external_id, max_length=200, required=False) or None,
    )
    if community_id is not None and await session.get(Community, community_id) is None:
        invalid.add("community_id", validation.CHOOSE_EXISTING)
    if organisation_id is not None and await session.get(Organisation, organisation_id) is None:
        invalid.add("organisation_id", validation.CHOOSE_EXISTING)
    invalid.raise_if_any()
    session.add(participant)
    await session.flush()
    record(session, "participant.created", round_id=None, actor_id=actor.id if actor else None,
           subject_id=participant.id, role=role)
    return participant


async def get_participant(session: AsyncSession, participant_id: uuid.UUID) -> Participant:
    participant = await session.get(Participant, participant_id)
    if participant is None:
        raise NotFound("participant", participant_id)
    return participant


async def _require_may_act_for(session: AsyncSession, actor: Participant, participant: Participant) -> None:
    if not await queries.may_act_for(session, actor, participant):
        raise NotPermitted(N_("You can only change your own data, or as a facilitator that of the people "
                              "taking part in your rounds."))


async def record_consent(session: AsyncSession, actor: Participant, participant_id: uuid.UUID, *,
                         purpose: str, granted: bool, method: str = "online",
                         proxy_id: uuid.UUID | None = None) -> ConsentRecord:
    participant = await get_participant(session, participant_id)
    await _require_may_act_for(session, actor, participant)
    invalid = Invalid()
    validation.choice(invalid, "purpose", purpose, CONSENT_PURPOSES)
    validation.choice(invalid, "method", method, CONSENT_METHODS)
    invalid.raise_if_any()
    consent = ConsentRecord(participant_id=participant.id, purpose=purpose, granted=granted, method=method,
                            notice_version=NOTICE_VERSION, recorded_by_id=actor.id, proxy_id=proxy_id)
    session.add(consent)
    if purpose == "sensitive_data" and not granted:
        # withdrawing this consent removes what it covered, at once
        await session.execute(delete(SensitiveData).where(SensitiveData.participant_id == participant.id))
    if purpose == "exclusion_data" and not granted:
        await session.execute(delete(ExclusionRecord).where(ExclusionRecord.participant_id == participant.id))
    await session.flush()
    record(session, "consent.recorded", round_id=None, actor_id=actor.id, subject_id=participant.id,
           purpose=purpose, granted=granted, method=method)
    return consent


async def has_consent(session: AsyncSession, participant_id: uuid.UUID, purpose: str) -> bool:
    latest = await session.scalar(
        select(ConsentRecord.granted)
        .where(ConsentRecord.participant_id == participant_id, ConsentRecord.purpose == purpose)
        .order_by(ConsentRecord.created_at.desc(), ConsentRecord.id.desc())
        .limit(1)
    )
    return bool(latest)


async def set_sensitive_data(session: AsyncSession, actor: Participant, participant_id: uuid.UUID, *,
                             ethnicity: str | None = None, disability: str | None = None,
                             health: str | None = None) -> SensitiveData:
    participant = await get_participant(session, participant_id)
    await _require_may_act_for(session, actor, participant)
    if not await has_consent(session, participant.id, "sensitive_data"):
        raise NotPermitted(N_("Sensitive data such as ethnicity or disability needs its own consent first."))
    invalid = Invalid()
    values = {
        name: validation.text(invalid, name, value, max_length=200, required=False) or None
        for name, value in (("ethnicity", ethnicity), ("disability", disability), ("health", health))
    }
    invalid.raise_if_any()
    data = await session.get(SensitiveData, participant.id)
    if data is None:
        data = SensitiveData(participant_id=participant.id)
        session.add(data)
    for name, value in values.items():
        setattr(data, name, value)
    data.updated_at = datetime.now(UTC)
    await session.flush()
    # the event names what changed, never the values
    record(session, "sensitive_data.updated", round_id=None, actor_id=actor.id, subject_id=participant.id,
           fields=sorted(k for k, v in values.items() if v))
    return data


async def withdraw(session: AsyncSession, actor: Participant, participant_id: uuid.UUID) -> Participant:
    """Removes personal data and every way back in (sessions, re-entry cards); votes stay, as anonymous
    counts. What web/templates/consent.html and withdraw.html promise."""
    participant = await get_participant(session, participant_id)
    await _require_may_act_for(session, actor, participant)
    participant.display_name = "—"
    participant.contact = None
    participant.languages = []
    participant.withdrawn_at = datetime.now(UTC)
    sessions.end(participant)
    await session.execute(delete(ReEntryCard).where(ReEntryCard.participant_id == participant.id))
    await session.execute(delete(SensitiveData).where(SensitiveData.participant_id == participant.id))
    await session.execute(delete(ExclusionRecord).where(ExclusionRecord.participant_id == participant.id))
    await session.execute(delete(PushSubscription).where(PushSubscription.participant_id == participant.id))
    # the words of their needs stay, as community input; a photo may show them or their home
    await session.execute(update(Need).where(Need.author_id == participant.id).values(photo=None))
    await session.flush()
    record(session, "participant.withdrawn", round_id=None, actor_id=actor.id, subject_id=participant.id)
    return participant


async def system_actor(session: AsyncSession) -> Participant:
    """The administrator in whose name command-line imports and background jobs act."""
    found = await session.scalar(select(Participant).where(
        Participant.external_source == "system", Participant.external_id == "ruam"))
    return found or await create_participant(session, None, display_name="Ruam", role="admin",
                                              external_source="system", external_id="ruam")
