"""Submitting and endorsing needs."""

from __future__ import annotations

import uuid

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from server import validation
from server.errors import Invalid, NotFound
from server.events.service import record
from server.i18n import N_
from server.needs import rules as need_rules
from server.needs.models import Endorsement, Need
from server.needs.photo_store import PhotoUpload
from server.needs.search import search_text
from server.people.models import Participant
from server.proxies.service import resolve_author
from server.reference.service import check_area, check_hazards, check_sector
from server.rounds.models import StakeholderGroup


async def submit_need(
    session: AsyncSession,
    actor: Participant,
    round_id: uuid.UUID,
    *,
    title: str,
    area_code: str,
    sector: str,
    severity: int,
    people_affected: int | None = None,
    body: str = "",
    hazards: list[str] | None = None,
    language: str = "th",
    translations: dict[str, dict[str, str]] | None = None,
    group_id: uuid.UUID | None = None,
    on_behalf_of: uuid.UUID | None = None,
    proxy_id: uuid.UUID | None = None,
    photo: PhotoUpload | None = None,
) -> Need:
    author = await resolve_author(session, actor, round_id, "submit_need",
                                  on_behalf_of=on_behalf_of, proxy_id=proxy_id)
    invalid = Invalid()
    # stored before the need is, even if another field is wrong: the form sent back keeps the photo
    photo_digest = await photo.accept(invalid, "photo") if photo is not None else None
    need = Need(
        round_id=round_id,
        author_id=author.participant_id,
        entered_by_id=author.entered_by_id,
        proxy_id=author.proxy_id,
        group_id=author.group_id,
        community_id=actor.community_id if author.participant_id == actor.id else None,
        title=validation.text(invalid, "title", title, max_length=200),
        body=validation.text(invalid, "body", body, max_length=5000, required=False),
        area_code=area_code,
        sector_code=sector,
        hazards=await check_hazards(session, invalid, "hazards", hazards or []),
        severity=validation.whole_number(invalid, "severity", severity, minimum=1, maximum=5),
        # how many people is for those who know: a need is raised without it (None, "not said")
        people_affected=None if people_affected is None else validation.whole_number(
            invalid, "people_affected", people_affected, minimum=1, maximum=100_000_000),
        language=validation.language(invalid, "language", language),
        translations=validation.translations(invalid, "translations", translations, max_length=5000,
                                             fields=("title", "body")),
        photo=photo_digest,
    )
    await check_area(session, invalid, "area_code", area_code)
    await check_sector(session, invalid, "sector", sector)
    if group_id is not None:
        # naming the group is for input from a meeting, where no member is named
        group = await session.get(StakeholderGroup, group_id)
        if group is None or group.round_id != round_id or author.participant_id is not None:
            invalid.add("group", N_("Choose one of this round's groups."))
        need.group_id = group_id
    invalid.raise_if_any()
    need.search_text = search_text(need.title, need.body, need.translations)
    session.add(need)
    await session.flush()
    record(session, "need.submitted", round_id=round_id, actor_id=actor.id, subject_id=need.id,
           author_id=need.author_id, proxy_id=need.proxy_id, area_code=area_code, sector=sector,
           hazards=need.hazards, severity=severity, people_affected=people_affected,
           photo=need.photo is not None)
    return need


async def endorse_need(session: AsyncSession, actor: Participant, need_id: uuid.UUID, *,
                       on_behalf_of: uuid.UUID | None = None, proxy_id: uuid.UUID | None = None) -> bool:
    """"Me too". Endorsing twice changes nothing; returns whether this endorsement is new."""
    need = await session.get(Need, need_id)
    if need is None or need.status != "open":
        raise NotFound("need", need_id)
    author = await resolve_author(session, actor, need.round_id, "endorse_need",
                                  on_behalf_of=on_behalf_of, proxy_id=proxy_id)
    invalid = Invalid()
    if author.participant_id is None:
        invalid.add("on_behalf_of", N_("An endorsement needs a named person."))
    elif not need_rules.may_endorse(need.author_id, author.participant_id):
        invalid.add("need", N_("This need is yours: \"me too\" is for other people's needs."))
    invalid.raise_if_any()
    inserted = await session.scalar(
        insert(Endorsement)
        .values(need_id=need_id, participant_id=author.participant_id, proxy_id=author.proxy_id)
        .on_conflict_do_nothing()
        .returning(Endorsement.need_id)
    )
    if inserted is not None:
        record(session, "need.endorsed", round_id=need.round_id, actor_id=actor.id, subject_id=need_id,
               participant_id=author.participant_id, proxy_id=author.proxy_id)
    return inserted is not None


async def undo_endorsement(session: AsyncSession, actor: Participant, need_id: uuid.UUID, *,
                           on_behalf_of: uuid.UUID | None = None, proxy_id: uuid.UUID | None = None) -> bool:
    """Takes a "me too" back. Taking back one not given changes nothing; returns whether one was taken back.
    Refused when "me too" is not open now, like giving one: the count a phase closed with stays."""
    need = await session.get(Need, need_id)
    if need is None or need.status != "open":
        raise NotFound("need", need_id)
    author = await resolve_author(session, actor, need.round_id, "endorse_need",
                                  on_behalf_of=on_behalf_of, proxy_id=proxy_id)
    if author.participant_id is None:
        return False
    removed = await session.scalar(
        delete(Endorsement)
        .where(Endorsement.need_id == need_id, Endorsement.participant_id == author.participant_id)
        .returning(Endorsement.need_id)
    )
    if removed is not None:
        record(session, "need.endorsement_withdrawn", round_id=need.round_id, actor_id=actor.id,
               subject_id=need_id, participant_id=author.participant_id, proxy_id=author.proxy_id)
    return removed is not None
