"""What facilitators do to run a round: create it, add members, move and schedule phases, print invites."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from schema import ids
from schema.common import LocalizedTextInput, texts_in
from schema.context import Info
from schema.errors import ExpectedError, perform
from schema.permissions import FACILITATE
from schema.rounds import RoundNode, StakeholderGroupNode
from server.auth.service import create_invites
from server.errors import Invalid
from server.i18n import N_
from server.rounds import phases, service, setup
from server.rounds.models import Membership, Round, StakeholderGroup


@strawberry.input
class GroupInput:
    key: str = strawberry.field(description="Lower-case letters, digits and _, e.g. urak_lawoi.")
    name: list[LocalizedTextInput]
    quorum: int = 3


@strawberry.input
class CreateRoundInput:
    slug: str
    title: list[LocalizedTextInput]
    groups: list[GroupInput]
    description: list[LocalizedTextInput] | None = None
    area_codes: list[str] | None = None
    template: str = "standard"
    threshold: float = 0.6


@strawberry.input
class SchedulePhaseInput:
    round_id: strawberry.ID
    phase: str
    starts_at: datetime | None = None
    ends_at: datetime | None = None


@strawberry.input(description="An action a phase opens, and to which of the round's roles (Round.phases lists them).")
class PhaseOpeningInput:
    action: str
    roles: list[str]


@strawberry.input(description="One phase, as it should be; a new key adds a phase.")
class PhaseInput:
    key: str = strawberry.field(description="Lower-case letters, digits and _; the key of a phase kept.")
    names: list[LocalizedTextInput] | None = None
    opens: list[PhaseOpeningInput] | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None


@strawberry.input(description="A round's phases in their new order: those left out are removed.")
class EditPhasesInput:
    round_id: strawberry.ID
    phases: list[PhaseInput]


@strawberry.input(description="A round's declared groups as they should be: a new key adds a group, a key left "
                              "out removes one (only a group nobody is in). Until deliberation opens.")
class EditGroupsInput:
    round_id: strawberry.ID
    groups: list[GroupInput]


@strawberry.type
class MemberPayload:
    round: RoundNode
    participant_id: strawberry.ID
    group: StakeholderGroupNode | None
    facilitates: bool


@strawberry.type(description="Codes to print or read aloud; each admits as many people as maxUses. Shown only now.")
class InvitesPayload:
    round: RoundNode
    group: StakeholderGroupNode
    codes: list[str]
    max_uses: int
    expires_at: datetime | None


CreateRoundResult = Annotated[RoundNode | ExpectedError, strawberry.union("CreateRoundResult")]
AddMemberResult = Annotated[MemberPayload | ExpectedError, strawberry.union("AddMemberResult")]
MovePhaseResult = Annotated[RoundNode | ExpectedError, strawberry.union("MovePhaseResult")]
SchedulePhaseResult = Annotated[RoundNode | ExpectedError, strawberry.union("SchedulePhaseResult")]
EditPhasesResult = Annotated[RoundNode | ExpectedError, strawberry.union("EditPhasesResult")]
EditGroupsResult = Annotated[RoundNode | ExpectedError, strawberry.union("EditGroupsResult")]
CreateInvitesResult = Annotated[InvitesPayload | ExpectedError, strawberry.union("CreateInvitesResult")]


def _aware(value: datetime | None, field: str) -> datetime | None:
    """Phase times are compared with UTC now: a time without a zone would be ambiguous."""
    if value is not None and value.tzinfo is None:
        invalid = Invalid()
        invalid.add(field, N_("Give the time with its zone, e.g. 2026-12-01T09:00:00+07:00."))
        invalid.raise_if_any()
    return value


def _phase(given: PhaseInput) -> phases.Phase:
    opens: dict[str, frozenset[str]] = {}
    for opening in given.opens or []:
        opens[opening.action] = opens.get(opening.action, frozenset()) | frozenset(opening.roles)
    return phases.Phase(given.key, {a: r for a, r in opens.items() if r},
                        _aware(given.starts_at, "startsAt"), _aware(given.ends_at, "endsAt"),
                        texts_in("names", given.names))


@strawberry.type
class FacilitationMutations:
    @strawberry.mutation(description="Create a round with its stakeholder groups (facilitators and administrators).")
    async def create_round(self, info: Info, input: CreateRoundInput) -> CreateRoundResult:
        async def act(session, actor):
            groups = [service.GroupSpec(key=g.key, name=texts_in("groups", g.name), quorum=g.quorum)
                      for g in input.groups]
            return await service.create_round(
                session, actor, slug=input.slug, title=texts_in("title", input.title), groups=groups,
                description=texts_in("description", input.description), area_codes=input.area_codes,
                template=input.template, threshold=input.threshold)

        return await perform(info, FACILITATE, act, lambda r: RoundNode(row=r))

    @strawberry.mutation(description="Add a participant to the round and one of its groups, or change their group.")
    async def add_member(self, info: Info, round_id: strawberry.ID, participant_id: strawberry.ID,
                         group_key: str | None = None, facilitates: bool = False) -> AddMemberResult:
        async def act(session, actor):
            membership = await service.add_member(
                session, actor, ids.decode(round_id, "Round"), ids.decode(participant_id, "Participant"),
                group_key=group_key, facilitates=facilitates)
            round_ = await session.get(Round, membership.round_id)
            group = await session.get(StakeholderGroup, membership.group_id) if membership.group_id else None
            return membership, round_, group

        def shape(done: tuple[Membership, Round, StakeholderGroup | None]) -> MemberPayload:
            membership, round_, group = done
            return MemberPayload(round=RoundNode(row=round_), participant_id=strawberry.ID(
                ids.encode("Participant", membership.participant_id)),
                group=StakeholderGroupNode(row=group) if group else None, facilitates=membership.facilitates)

        return await perform(info, FACILITATE, act, shape)

    @strawberry.mutation(description="Move the round to another of its phases.")
    async def move_phase(self, info: Info, round_id: strawberry.ID, phase: str) -> MovePhaseResult:
        async def act(session, actor):
            return await service.move_phase(session, actor, ids.decode(round_id, "Round"), phase)

        return await perform(info, FACILITATE, act, lambda r: RoundNode(row=r))

    @strawberry.mutation(description="Set when a phase starts and ends (times with their zone).")
    async def schedule_phase(self, info: Info, input: SchedulePhaseInput) -> SchedulePhaseResult:
        async def act(session, actor):
            return await service.schedule_phase(
                session, actor, ids.decode(input.round_id, "Round"), input.phase,
                starts_at=_aware(input.starts_at, "startsAt"), ends_at=_aware(input.ends_at, "endsAt"))

        return await perform(info, FACILITATE, act, lambda r: RoundNode(row=r))

    @strawberry.mutation(description="Add, remove, rename and reorder a round's phases, and say what each opens "
                                     "to whom and when. The current phase and those that ran stay as they were.")
    async def edit_phases(self, info: Info, input: EditPhasesInput) -> EditPhasesResult:
        async def act(session, actor):
            edited = [_phase(p) for p in input.phases]
            return await setup.edit_phases(session, actor, ids.decode(input.round_id, "Round"), edited)

        return await perform(info, FACILITATE, act, lambda r: RoundNode(row=r))

    @strawberry.mutation(description="Change a round's declared groups (names, quorums; add, or remove one nobody "
                                     "is in), until deliberation opens.")
    async def edit_groups(self, info: Info, input: EditGroupsInput) -> EditGroupsResult:
        async def act(session, actor):
            round_id = ids.decode(input.round_id, "Round")
            groups = [service.GroupSpec(key=g.key, name=texts_in("groups", g.name), quorum=g.quorum)
                      for g in input.groups]
            await setup.edit_groups(session, actor, round_id, groups)
            return await session.get(Round, round_id)

        return await perform(info, FACILITATE, act, lambda r: RoundNode(row=r))

    @strawberry.mutation(description="Invite codes for one group of a round, to print as sheets or QR codes.")
    async def create_invites(self, info: Info, round_id: strawberry.ID, group_key: str, count: int = 1,
                             max_uses: int = 1, expires_at: datetime | None = None) -> CreateInvitesResult:
        async def act(session, actor):
            round_uuid = ids.decode(round_id, "Round")
            made = await create_invites(session, actor, round_uuid, group_key=group_key, count=count,
                                        max_uses=max_uses, expires_at=_aware(expires_at, "expiresAt"))
            group = await session.get(StakeholderGroup, made[0][0].group_id)
            return await session.get(Round, round_uuid), group, [code for _, code in made]

        return await perform(info, FACILITATE, act, lambda done: InvitesPayload(
            round=RoundNode(row=done[0]), group=StakeholderGroupNode(row=done[1]), codes=done[2],
            max_uses=max_uses, expires_at=expires_at))

