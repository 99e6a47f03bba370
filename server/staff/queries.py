"""Reading staff accounts: the administrators' list, one person's rounds, and a signed-in person's own."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.errors import NotFound, NotPermitted
from server.people.models import Organisation, Participant
from server.people.rules import ACCOUNT_ROLES, active_admin, has_staff_account, is_admin
from server.rounds.models import Membership, Round
from server.staff.models import StaffAccount, StaffLink
from server.staff.rules import STAFF_ORGANISATION_KINDS
from server.staff.service import ONLY_ADMINS


@dataclass
class StaffMember:
    person: Participant
    account: StaffAccount | None  # None: signs in with an API token only (`ruam token create`)
    organisation: Organisation | None
    rounds: list[Round] = field(default_factory=list)

    @property
    def revoked(self) -> bool:
        return self.account is not None and self.account.revoked_at is not None


def require_admin(viewer: Participant) -> None:
    if not active_admin(viewer):
        raise NotPermitted(ONLY_ADMINS)


def _their_rounds() -> ColumnElement[bool]:
    return or_(Membership.facilitates.is_(True), Membership.drafts.is_(True))


async def _with_rounds(session: AsyncSession, members: list[StaffMember]) -> list[StaffMember]:
    by_id = {m.person.id: m for m in members}
    rows = await session.execute(
        select(Membership.participant_id, Round).join(Round, Round.id == Membership.round_id)
        .where(Membership.participant_id.in_(by_id), _their_rounds()).order_by(Round.slug))
    for participant_id, round_ in rows:
        by_id[participant_id].rounds.append(round_)
    return members


async def staff_members(session: AsyncSession, viewer: Participant) -> list[StaffMember]:
    """Everyone with a staff account or role, newest first, with the rounds they facilitate or draft for."""
    require_admin(viewer)
    rows = await session.execute(
        select(Participant, StaffAccount, Organisation)
        .outerjoin(StaffAccount, StaffAccount.participant_id == Participant.id)
        .outerjoin(Organisation, Organisation.id == Participant.organisation_id)
        .where(Participant.role.in_(ACCOUNT_ROLES), Participant.withdrawn_at.is_(None))
        .order_by(Participant.created_at.desc(), Participant.id))
    return await _with_rounds(session, [StaffMember(p, a, o) for p, a, o in rows])


async def staff_member(session: AsyncSession, viewer: Participant, participant_id: uuid.UUID) -> StaffMember:
    require_admin(viewer)
    person = await session.get(Participant, participant_id)
    if person is None or not has_staff_account(person):
        raise NotFound("staff member", participant_id)
    organisation = await session.get(Organisation, person.organisation_id) if person.organisation_id else None
    member = StaffMember(person, await session.get(StaffAccount, person.id), organisation)
    return (await _with_rounds(session, [member]))[0]


async def my_rounds(session: AsyncSession, me: Participant) -> list[Round]:
    """The rounds a member of staff was given (administrators: every round)."""
    if is_admin(me):
        return list(await session.scalars(select(Round).order_by(Round.slug)))
    return list(await session.scalars(
        select(Round).join(Membership, Membership.round_id == Round.id)
        .where(Membership.participant_id == me.id, _their_rounds()).order_by(Round.slug)))


async def all_rounds(session: AsyncSession) -> list[Round]:
    return list(await session.scalars(select(Round).order_by(Round.slug)))


async def staff_organisations(session: AsyncSession) -> list[Organisation]:
    """Ministries and civil-society organisations, for the invitation form."""
    return list(await session.scalars(select(Organisation).where(Organisation.kind.in_(STAFF_ORGANISATION_KINDS))
                                      .order_by(Organisation.name_th)))


async def invitation_details(session: AsyncSession, link: StaffLink) -> tuple[Organisation | None, list[Round]]:
    """What an invitation gives: its organisation and rounds, to show the person who opens it."""
    organisation = await session.get(Organisation, link.organisation_id) if link.organisation_id else None
    rounds = await session.scalars(select(Round).where(Round.id.in_(link.round_ids)).order_by(Round.slug))
    return organisation, list(rounds)
