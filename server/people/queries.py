"""Reading what a person has said about their own data, and the contexts the people rules ask about."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from server.people import rules
from server.people.models import ConsentRecord, Participant
from server.rounds.models import Membership


async def latest_consents(session: AsyncSession, participant_id: uuid.UUID) -> list[ConsentRecord]:
    """The latest record for each purpose: consent records are append-only, the newest one counts."""
    return list(await session.scalars(
        select(ConsentRecord).where(ConsentRecord.participant_id == participant_id)
        .ext(distinct_on(ConsentRecord.purpose))
        .order_by(ConsentRecord.purpose, ConsentRecord.created_at.desc(), ConsentRecord.id.desc())))


async def acting(session: AsyncSession, person: Participant) -> rules.Actor:
    """Who asks, for the rules of server/people/rules.py: the rounds staff facilitate are read there."""
    facilitates: frozenset[uuid.UUID] = frozenset()
    if rules.is_staff(person):
        facilitates = frozenset(await session.scalars(select(Membership.round_id).where(
            Membership.participant_id == person.id, Membership.facilitates.is_(True))))
    return rules.Actor(person.id, person.role, rules.active(person), facilitates)


async def person(session: AsyncSession, target: Participant) -> rules.Target:
    """Whom it is about, for the rules of server/people/rules.py: their role and rounds."""
    rounds = await session.scalars(select(Membership.round_id).where(Membership.participant_id == target.id))
    return rules.Target(target.id, target.role, frozenset(rounds))


async def may_act_for(session: AsyncSession, actor: Participant, target: Participant) -> bool:
    return rules.may_act_for(await acting(session, actor), await person(session, target))


async def may_see(session: AsyncSession, viewer: Participant, target: Participant) -> bool:
    return rules.may_see(await acting(session, viewer), await person(session, target))
