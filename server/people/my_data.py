"""What Ruam holds about a person (Thai PDPA: the right to see and take a copy of one's own data).

One reading, for the "My data" page, its printable copy and the JSON download alike. It holds the
person's own rows only: what others said or voted never appears, nor who entered input on their behalf
(a proxy record says how and with what consent, not by whom). Clause and round texts appear as the
context of the person's own answers; they are public to the round's members.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.models import ReEntryCard
from server.commitments.models import Commitment, CommitmentCheck
from server.deliberation.models import VOTE_CHOICES, Comment, Vote
from server.drafts.models import Amendment, Clause
from server.needs.models import Endorsement, Need
from server.people.models import Community, ConsentRecord, ExclusionRecord, Organisation, Participant, SensitiveData
from server.proxies.models import ProxyRecord
from server.reference.models import AdminArea
from server.rounds.models import StakeholderGroup
from server.rounds.queries import memberships_with_rounds

Data = dict[str, Any]


def _names(row: Community | Organisation | None) -> dict[str, str] | None:
    return {"th": row.name_th, "en": row.name_en} if row is not None else None


async def _profile(session: AsyncSession, person: Participant) -> Data:
    return {
        "id": person.id, "display_name": person.display_name, "role": person.role, "locale": person.locale,
        "languages": list(person.languages), "contact": person.contact,
        "community": _names(await session.get(Community, person.community_id) if person.community_id else None),
        "organisation": _names(await session.get(Organisation, person.organisation_id)
                               if person.organisation_id else None),
        "joined_ruam_at": person.created_at, "withdrawn_at": person.withdrawn_at,
    }


async def _consents(session: AsyncSession, person_id: uuid.UUID) -> list[Data]:
    rows = await session.scalars(select(ConsentRecord).where(ConsentRecord.participant_id == person_id)
                                 .order_by(ConsentRecord.created_at, ConsentRecord.id))
    return [{"purpose": c.purpose, "granted": c.granted, "method": c.method, "notice_version": c.notice_version,
             "recorded_at": c.created_at, "recorded_by_you": c.recorded_by_id == person_id} for c in rows]


async def _sensitive(session: AsyncSession, person_id: uuid.UUID) -> Data | None:
    data = await session.get(SensitiveData, person_id)
    if data is None:
        return None
    return {"ethnicity": data.ethnicity, "disability": data.disability, "health": data.health,
            "updated_at": data.updated_at}


async def _exclusion(session: AsyncSession, person_id: uuid.UUID) -> Data | None:
    data = await session.get(ExclusionRecord, person_id)
    if data is None:
        return None
    area = await session.get(AdminArea, data.area_code) if data.area_code else None
    return {"id_document": data.id_document, "welfare_card": data.welfare_card,
            "disability_card": data.disability_card, "services_missed": list(data.services_missed),
            "reasons": list(data.reasons), "area_code": data.area_code,
            "area": {"th": area.name_th, "en": area.name_en} if area else None,
            "entered_for_you": data.proxy_id is not None, "updated_at": data.updated_at}


async def _card(session: AsyncSession, person_id: uuid.UUID) -> Data | None:
    card = await session.scalar(select(ReEntryCard).where(ReEntryCard.participant_id == person_id,
                                                          ReEntryCard.revoked_at.is_(None)))
    if card is None:
        return None
    return {"issued_at": card.created_at, "last_used_at": card.last_used_at, "issued_by_you": card.issued_by_id == person_id}


async def _input_by_round(session: AsyncSession, me: uuid.UUID) -> dict[uuid.UUID, dict[str, list[Data]]]:
    found: dict[uuid.UUID, dict[str, list[Data]]] = defaultdict(lambda: defaultdict(list))
    for n in await session.scalars(select(Need).where(Need.author_id == me).order_by(Need.created_at)):
        found[n.round_id]["needs"].append({
            "id": n.id, "title": n.title, "body": n.body, "sector": n.sector_code, "area": n.area_code,
            "hazards": list(n.hazards), "severity": n.severity, "people_affected": n.people_affected,
            "status": n.status, "has_photo": n.photo is not None, "entered_for_you": n.proxy_id is not None,
            "created_at": n.created_at})
    for e, n in await session.execute(select(Endorsement, Need).join(Need, Need.id == Endorsement.need_id)
                                      .where(Endorsement.participant_id == me).order_by(Endorsement.created_at)):
        found[n.round_id]["endorsed_needs"].append({"need_id": n.id, "created_at": e.created_at})
    for v, c in await session.execute(select(Vote, Clause).join(Clause, Clause.id == Vote.clause_id)
                                      .where(Vote.participant_id == me).order_by(Clause.draft_id, Clause.position)):
        found[v.round_id]["votes"].append({
            "clause_id": c.id, "clause": c.text, "clause_position": c.position, "amendment_id": v.amendment_id,
            "choice": VOTE_CHOICES[v.value], "entered_for_you": v.proxy_id is not None, "updated_at": v.updated_at})
    for m in await session.scalars(select(Comment).where(Comment.author_id == me).order_by(Comment.created_at)):
        found[m.round_id]["comments"].append({
            "id": m.id, "body": m.body, "stance": m.stance, "moderation": m.moderation,
            "moderation_reason": m.moderation_reason, "entered_for_you": m.proxy_id is not None,
            "created_at": m.created_at})
    for a in await session.scalars(select(Amendment).where(Amendment.proposed_by_id == me)
                                   .order_by(Amendment.created_at)):
        found[a.round_id]["amendments"].append({
            "id": a.id, "clause_id": a.clause_id, "text": a.text, "rationale": a.rationale,
            "entered_for_you": a.proxy_id is not None, "created_at": a.created_at})
    for p in await session.scalars(select(ProxyRecord).where(ProxyRecord.participant_id == me)
                                   .order_by(ProxyRecord.created_at)):
        found[p.round_id]["proxies"].append({
            "method": p.method, "consent": p.consent, "consent_note": p.consent_note, "meeting": p.meeting,
            "created_at": p.created_at})
    for k, cm, cl in await session.execute(
            select(CommitmentCheck, Commitment, Clause).join(Commitment, Commitment.id == CommitmentCheck.commitment_id)
            .join(Clause, Clause.id == Commitment.clause_id).where(CommitmentCheck.participant_id == me)
            .order_by(CommitmentCheck.created_at)):
        found[cm.round_id]["commitment_checks"].append({
            "agency": cm.agency, "clause": cl.text, "answer": k.answer, "comment": k.comment,
            "updated_at": k.updated_at})
    return found


KINDS = ("needs", "endorsed_needs", "votes", "comments", "amendments", "proxies", "commitment_checks")


async def my_data(session: AsyncSession, person: Participant) -> Data:
    """Everything Ruam holds about `person`, by round; the caller has made sure it is the person asking."""
    memberships = await memberships_with_rounds(session, person.id)
    group_ids = [m.group_id for m, _ in memberships if m.group_id]
    groups = {g.id: g for g in await session.scalars(select(StakeholderGroup).where(StakeholderGroup.id.in_(group_ids)))}
    given = await _input_by_round(session, person.id)
    rounds = []
    for membership, round_ in memberships:
        group = groups.get(membership.group_id) if membership.group_id else None
        mine = given.get(round_.id, {})
        rounds.append({"round": {"id": round_.id, "slug": round_.slug, "title": round_.title},
                       "group": {"key": group.key, "name": group.name} if group else None,
                       "joined_at": membership.created_at, "facilitates": membership.facilitates,
                       **{kind: mine.get(kind, []) for kind in KINDS}})
    return {"profile": await _profile(session, person), "re_entry_card": await _card(session, person.id),
            "consents": await _consents(session, person.id), "sensitive_data": await _sensitive(session, person.id),
            "exclusion_data": await _exclusion(session, person.id), "rounds": rounds}


def _plain(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not part of a person's data")


def as_json(data: Data) -> str:
    return json.dumps(data, default=_plain, ensure_ascii=False, indent=2)
