"""Shaping a round after it is made: its phases (names, order, what each opens, dates) and its groups.

The round's row is locked while it changes, so an edit and a phase moving by its dates (schedule.py)
never interleave: each sees what the other committed.
"""

from __future__ import annotations

import uuid

from sqlalchemy import delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from server import validation
from server.auth.models import InviteCode
from server.deliberation.models import Vote
from server.errors import Invalid, NotPermitted
from server.events.service import record
from server.i18n import N_
from server.needs.models import Need
from server.people.models import Participant
from server.rounds import phases
from server.rounds.access import require_facilitator, standing
from server.rounds.models import Membership, Round, StakeholderGroup
from server.rounds.service import GROUP_KEY, GroupSpec, groups_of

GROUPS_FIXED = N_("Deliberation has opened in this round, so its groups can no longer change: votes are counted "
                  "per group.")


async def locked_round(session: AsyncSession, round_id: uuid.UUID) -> Round:
    """The round's row, read again under a row lock until the transaction ends."""
    return (await session.scalars(select(Round).where(Round.id == round_id).with_for_update()
                                  .execution_options(populate_existing=True))).one()


async def edit_phases(session: AsyncSession, actor: Participant, round_id: uuid.UUID,
                      edited: list[phases.Phase]) -> Round:
    """Replaces the round's phases with `edited` (added, removed, renamed, reordered, opened, dated);
    the current phase and those that already ran stay as they were (phases.validate)."""
    require_facilitator(await standing(session, round_id, actor))
    round_ = await locked_round(session, round_id)
    before = phases.load(round_.phases)
    phases.validate(edited, before=before, current=round_.current_phase)
    round_.phases = [p.to_data() for p in edited]
    await session.flush()
    old, new = [p.key for p in before], [p.key for p in edited]
    record(session, "round.phases_edited", round_id=round_id, actor_id=actor.id, subject_id=round_id,
           phases=new, added=[k for k in new if k not in old], removed=[k for k in old if k not in new])
    return round_


async def groups_fixed(session: AsyncSession, round_: Round) -> bool:
    """Groups are fixed once deliberation opens (the round has reached a phase that opens voting), and
    while any vote is kept (a round moved back): votes are counted and weighed per group."""
    return (phases.has_opened(phases.load(round_.phases), round_.current_phase, "vote")
            or bool(await session.scalar(select(exists().where(Vote.round_id == round_.id)))))


async def edit_groups(session: AsyncSession, actor: Participant, round_id: uuid.UUID,
                      groups: list[GroupSpec]) -> list[StakeholderGroup]:
    """Makes the round's declared groups `groups`: names and quorums changed by key, new keys added,
    missing ones removed (only a group nobody is in, and whose invite codes nobody used)."""
    require_facilitator(await standing(session, round_id, actor))
    round_ = await locked_round(session, round_id)
    if await groups_fixed(session, round_):
        raise NotPermitted(GROUPS_FIXED)
    invalid = Invalid()
    keys = [g.key for g in groups]
    invalid.check(bool(groups), "groups", N_("Declare at least one stakeholder group."))
    invalid.check(len(set(keys)) == len(keys), "groups", N_("Each group needs a different key."))
    for g in groups:
        field = f"group.{g.key}"
        invalid.check(bool(GROUP_KEY.fullmatch(g.key)), field,
                      N_("Group keys use lower-case letters, digits and _ (got {name})."), name=validation.shown(g.key))
        names = validation.texts(invalid, field, g.name, max_length=200)
        invalid.check(any(names.values()), field, N_("Give the group a name."))
        validation.whole_number(invalid, field, g.quorum, minimum=0, maximum=100_000)
    existing = {g.key: g for g in await groups_of(session, round_id)}
    for key, group in existing.items():
        if key not in keys and await _in_use(session, group.id):
            invalid.add(f"group.{key}", N_("The group {name} has members or needs, so it cannot be removed."),
                        name=validation.shown(key, 40))
    invalid.raise_if_any()

    for key, gone in existing.items():
        if key not in keys:
            await session.execute(delete(InviteCode).where(InviteCode.group_id == gone.id))
            await session.delete(gone)
    for spec in groups:
        kept = existing.get(spec.key)
        if kept is None:
            session.add(StakeholderGroup(round_id=round_id, key=spec.key, name=dict(spec.name), quorum=spec.quorum))
        else:
            kept.name, kept.quorum = dict(spec.name), spec.quorum
    await session.flush()
    record(session, "round.groups_edited", round_id=round_id, actor_id=actor.id, subject_id=round_id,
           groups=keys, added=[k for k in keys if k not in existing], removed=[k for k in existing if k not in keys])
    return await groups_of(session, round_id)


async def _in_use(session: AsyncSession, group_id: uuid.UUID) -> bool:
    """Whether anyone is in the group, a need names it, or someone joined with one of its codes."""
    return bool(await session.scalar(select(
        exists().where(Membership.group_id == group_id)
        | exists().where(Need.group_id == group_id)
        | exists().where(InviteCode.group_id == group_id, InviteCode.uses > 0))))

