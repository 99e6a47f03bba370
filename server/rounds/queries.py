"""Reading rounds: lists, groups, memberships and who facilitates what, in batches."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.database import children_of
from server.pagination import Order, Window
from server.people.models import Participant
from server.people.rules import active_staff, is_admin
from server.rounds.access import Standing
from server.rounds.models import Membership, Round, StakeholderGroup
from server.validation import usable

ROUND_ORDER = Order((Round.id,))
MEMBER_ORDER = Order((Membership.participant_id,))


async def rounds_page(session: AsyncSession, window: Window) -> tuple[list[Round], bool]:
    return window.split((await session.scalars(ROUND_ORDER.window(select(Round), window))).all())


async def rounds_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Round]:
    return {r.id: r for r in await session.scalars(select(Round).where(Round.id.in_(ids)))}


async def groups_of_rounds(session: AsyncSession, round_ids: Sequence[uuid.UUID]
                           ) -> dict[uuid.UUID, list[StakeholderGroup]]:
    return await children_of(session, StakeholderGroup, StakeholderGroup.round_id, round_ids, StakeholderGroup.key)


async def groups_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, StakeholderGroup]:
    return {g.id: g for g in await session.scalars(select(StakeholderGroup).where(StakeholderGroup.id.in_(ids)))}


async def group_sizes(session: AsyncSession, group_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    """How many members each group has now (a group nobody joined is left out: 0)."""
    rows = await session.execute(
        select(Membership.group_id, func.count()).where(Membership.group_id.in_(group_ids))
        .group_by(Membership.group_id))
    return {group_id: count for group_id, count in rows if group_id is not None}  # IN never matches NULL


async def memberships_of(session: AsyncSession, participant_id: uuid.UUID, round_ids: Sequence[uuid.UUID]
                         ) -> dict[uuid.UUID, Membership]:
    rows = await session.scalars(select(Membership).where(Membership.participant_id == participant_id,
                                                          Membership.round_id.in_(round_ids)))
    return {m.round_id: m for m in rows}


def role_in(round_: Round, actor: Participant | None, membership: Membership | None) -> str | None:
    """The actor's role in the round, by the same rule the services apply (rounds/access.py)."""
    if actor is None:
        return None
    return Standing(round_, actor, membership).role


async def facilitated_round_ids(session: AsyncSession, actor: Participant | None) -> set[uuid.UUID] | None:
    """The rounds whose hidden content this person may see: None means every round (administrators)."""
    if actor is None or not active_staff(actor):
        return set()
    if is_admin(actor):
        return None
    return set(await session.scalars(select(Membership.round_id).where(
        Membership.participant_id == actor.id, Membership.facilitates.is_(True))))


async def members_page(session: AsyncSession, round_id: uuid.UUID, window: Window
                       ) -> tuple[list[tuple[Membership, Participant]], bool]:
    statement = (select(Membership, Participant).join(Participant, Participant.id == Membership.participant_id)
                 .where(Membership.round_id == round_id))
    return window.split((await session.execute(MEMBER_ORDER.window(statement, window))).all())


async def round_by_slug(session: AsyncSession, slug: str) -> Round | None:
    if len(slug) > 80 or not usable(slug):  # no slug is like that, and PostgreSQL text cannot hold NUL
        return None
    return await session.scalar(select(Round).where(Round.slug == slug))


async def memberships_with_rounds(session: AsyncSession, participant_id: uuid.UUID
                                  ) -> list[tuple[Membership, Round]]:
    """Every round the person is a member of, oldest round first."""
    rows = await session.execute(select(Membership, Round).join(Round, Round.id == Membership.round_id)
                                 .where(Membership.participant_id == participant_id).order_by(Round.id))
    return [(membership, round_) for membership, round_ in rows]
