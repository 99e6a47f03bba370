"""Creating rounds, declaring their groups, inviting members and moving phases."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server import validation
from server.errors import Conflict, Invalid, NotFound, NotPermitted
from server.events.service import record
from server.i18n import N_
from server.people.models import Community, Participant
from server.people.rules import active_staff, is_staff, may_bring_into_a_round
from server.reference.service import check_area
from server.rounds import phases
from server.rounds.access import Standing, require_facilitator, standing
from server.rounds.models import Membership, Round, StakeholderGroup
from server.rounds.queries import round_by_slug

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{1,78}[a-z0-9]")
GROUP_KEY = re.compile(r"[a-z0-9_]{1,40}")
NO_GROUP = N_("This round has no group {name}.")


@dataclass(frozen=True)
class GroupSpec:
    key: str
    name: dict[str, str]
    quorum: int = 3
    community_id: uuid.UUID | None = None


async def create_round(
    session: AsyncSession,
    actor: Participant,
    *,
    slug: str,
    title: dict[str, str],
    groups: list[GroupSpec],
    description: dict[str, str] | None = None,
    area_codes: list[str] | None = None,
    template: str = "standard",
    threshold: float = 0.6,
    external_source: str | None = None,
    external_id: str | None = None,
) -> Round:
    if not active_staff(actor):
        raise NotPermitted(N_("Only facilitators and administrators can create a round."))
    invalid = Invalid()
    invalid.check(bool(SLUG.fullmatch(slug or "")), "slug",
                  N_("Use 3 to 80 lower-case letters, digits and dashes, e.g. satun-2026."))
    title = validation.texts(invalid, "title", title, max_length=200)
    invalid.check(any(title.values()), "title", N_("Give the round a title."))
    description = validation.texts(invalid, "description", description, max_length=5000)
    invalid.check(0 < threshold < 1, "threshold", N_("The threshold must be between 0 and 1, e.g. 0.6."))
    invalid.check(template in phases.TEMPLATES, "template", N_("Choose one of: {choices}."),
                  choices=", ".join(phases.TEMPLATES))
    invalid.check(bool(groups), "groups", N_("Declare at least one stakeholder group."))
    keys = [g.key for g in groups]
    invalid.check(len(set(keys)) == len(keys), "groups", N_("Each group needs a different key."))
    for g in groups:
        invalid.check(bool(GROUP_KEY.fullmatch(g.key)), "groups",
                      N_("Group keys use lower-case letters, digits and _ (got {name})."), name=validation.shown(g.key))
        validation.texts(invalid, "groups", g.name, max_length=200)
        validation.whole_number(invalid, "groups", g.quorum, minimum=0, maximum=100_000)
        if g.community_id is not None and await session.get(Community, g.community_id) is None:
            invalid.add("groups", validation.CHOOSE_EXISTING)
    for code in area_codes or []:
        await check_area(session, invalid, "area_codes", code)
    external_source = validation.text(invalid, "external_source", external_source, max_length=200,
                                      required=False) or None
    external_id = validation.text(invalid, "external_id", external_id, max_length=200, required=False) or None
    invalid.raise_if_any()
    if await session.scalar(select(Round.id).where(Round.slug == slug)):
        raise Conflict(N_("A round with the address {slug} exists already."), slug=slug)

    template_phases = phases.TEMPLATES[template]
    round_ = Round(
        slug=slug, title=title, description=description, area_codes=list(area_codes or []),
        phases=[p.to_data() for p in template_phases], current_phase=template_phases[0].key,
        threshold=threshold, created_by_id=actor.id,
        external_source=external_source, external_id=external_id,
    )
    session.add(round_)
    await session.flush()
    session.add_all(
        StakeholderGroup(round_id=round_.id, key=g.key, name=g.name, quorum=g.quorum, community_id=g.community_id)
        for g in groups
    )
    session.add(Membership(round_id=round_.id, participant_id=actor.id, facilitates=True))
    await session.flush()
    record(session, "round.created", round_id=round_.id, actor_id=actor.id, subject_id=round_.id,
           slug=slug, template=template, groups=keys)
    return round_


async def group_by_key(session: AsyncSession, round_id: uuid.UUID, key: str) -> StakeholderGroup | None:
    if not validation.usable(key):  # keys are checked when made, and PostgreSQL refuses NUL outright
        return None
    return await session.scalar(select(StakeholderGroup).where(
        StakeholderGroup.round_id == round_id, StakeholderGroup.key == key))


async def groups_of(session: AsyncSession, round_id: uuid.UUID) -> list[StakeholderGroup]:
    return list(await session.scalars(
        select(StakeholderGroup).where(StakeholderGroup.round_id == round_id).order_by(StakeholderGroup.key)
    ))


async def add_member(
    session: AsyncSession,
    actor: Participant,
    round_id: uuid.UUID,
    participant_id: uuid.UUID,
    *,
    group_key: str | None,
    facilitates: bool = False,
) -> Membership:
    s = await standing(session, round_id, actor)
    require_facilitator(s)
    participant = await session.get(Participant, participant_id)
    if participant is None:
        raise NotFound("participant", participant_id)
    if facilitates and not is_staff(participant):
        raise NotPermitted(N_("Only people with the facilitator role can facilitate a round."))
    if not may_bring_into_a_round(actor, participant):
        raise NotPermitted(N_("Only administrators can add facilitators or administrators to a round."))
    group_id = None
    if group_key is not None:
        group = await group_by_key(session, round_id, group_key)
        if group is None:
            invalid = Invalid()
            invalid.add("group", NO_GROUP, name=validation.shown(group_key, 40))
            invalid.raise_if_any()
        assert group is not None  # raise_if_any raised for a missing one
        group_id = group.id
    membership = await session.get(Membership, (round_id, participant_id))
    if membership is None:
        membership = Membership(round_id=round_id, participant_id=participant_id)
        session.add(membership)
    membership.group_id = group_id
    membership.facilitates = facilitates
    await session.flush()
    record(session, "membership.set", round_id=round_id, actor_id=actor.id, subject_id=participant_id,
           group=group_key, facilitates=facilitates)
    return membership


async def move_phase(session: AsyncSession, actor: Participant, round_id: uuid.UUID, phase_key: str) -> Round:
    s = await standing(session, round_id, actor)
    require_facilitator(s)
    _phase_index(s, phase_key)
    previous = s.round.current_phase
    s.round.current_phase = phase_key
    await session.flush()
    record(session, "round.phase_moved", round_id=round_id, actor_id=actor.id, subject_id=round_id,
           previous=previous, current=phase_key, by="facilitator")
    return s.round


async def schedule_phase(session: AsyncSession, actor: Participant, round_id: uuid.UUID, phase_key: str, *,
                         starts_at: datetime | None, ends_at: datetime | None) -> Round:
    s = await standing(session, round_id, actor)
    require_facilitator(s)
    index = _phase_index(s, phase_key)
    loaded = phases.load(s.round.phases)
    loaded[index] = phases.Phase(loaded[index].key, loaded[index].opens, starts_at, ends_at)
    phases.validate(loaded)
    s.round.phases = [p.to_data() for p in loaded]
    await session.flush()
    record(session, "round.phase_scheduled", round_id=round_id, actor_id=actor.id, subject_id=round_id,
           phase=phase_key, starts_at=starts_at.isoformat() if starts_at else None,
           ends_at=ends_at.isoformat() if ends_at else None)
    return s.round


def _phase_index(s: Standing, phase_key: str) -> int:
    keys = [p["key"] for p in s.round.phases]
    if phase_key not in keys:
        invalid = Invalid()
        invalid.add("phase", N_("Choose one of: {choices}."), choices=", ".join(keys))
        invalid.raise_if_any()
    return keys.index(phase_key)


async def list_rounds(session: AsyncSession) -> list[Round]:
    return list(await session.scalars(select(Round).order_by(Round.created_at, Round.id)))


async def find_round(session: AsyncSession, ident: str) -> Round:
    """A round by its id or its slug, as people type them on a command line or in a URL."""
    try:
        round_ = await session.get(Round, uuid.UUID(ident))
    except ValueError:
        round_ = await round_by_slug(session, ident)
    if round_ is None:
        raise NotFound("round", validation.shown(ident, 100))
    return round_
