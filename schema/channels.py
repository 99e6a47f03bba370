"""Standing channels: an organisation hears needs between rounds (server/channels/service.py says why a channel
is a round). A need is raised in a channel with submitNeed, its roundId the channel's id; its facilitators triage
it with the mutations below (the facilitate scope); what became of a need is Need.outcome, for its author and the
channel's facilitators."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry

from schema import ids
from schema.admin import OrganisationNode
from schema.common import LocalizedTextInput, texts_in
from schema.context import Info
from schema.errors import ExpectedError, perform
from schema.needs import NeedNode
from schema.permissions import FACILITATE, facilitates, reader
from schema.rounds import RoundNode
from server.channels import rules
from server.channels import service as channels
from server.channels.models import NeedAnswer
from server.channels.outcome import Outcome, outcomes
from server.needs.models import Need
from server.people.models import Organisation
from server.rounds.models import Round


@strawberry.type(description="A standing channel: always open to its members for needs, \"me too\" and comments, "
                             "never consolidated. Raise a need in it with submitNeed(roundId: its id).")
class Channel:
    row: strawberry.Private[Round]

    @strawberry.field(description="The channel's round id: use it wherever a roundId is asked (submitNeed, "
                                  "createInvites, needs' filter).")
    def id(self) -> strawberry.ID:
        return strawberry.ID(ids.encode("Round", self.row.id))

    @strawberry.field
    def round(self) -> RoundNode:
        return RoundNode(row=self.row)

    @strawberry.field
    async def organisation(self, info: Info) -> OrganisationNode | None:
        found = await info.context.run(lambda session: session.get(Organisation, self.row.organisation_id))
        return OrganisationNode(row=found) if found else None

    @strawberry.field
    def area_codes(self) -> list[str]:
        return list(self.row.area_codes)


@strawberry.type(description="A round a channel's need was brought into, and the copy raised there.")
class TakenIntoRound:
    round: RoundNode
    need: NeedNode
    answered_by_clauses: list[int] = strawberry.field(description=(
        "Positions of the clauses answering it in the round's published proposal."))


@strawberry.type(description="What became of a need raised in a channel.")
class NeedOutcome:
    received: bool = strawberry.field(description="Nothing has come of it yet, but the organisation has it.")
    merged_into: NeedNode | None
    taken_into: list[TakenIntoRound]
    answer: str | None

    @classmethod
    def of(cls, o: Outcome) -> NeedOutcome:
        return cls(received=o.received, merged_into=NeedNode(row=o.merged_into) if o.merged_into else None,
                   taken_into=[TakenIntoRound(round=RoundNode(row=t.round), need=NeedNode(row=t.copy),
                                              answered_by_clauses=[c.position for c in t.clauses]) for t in o.taken],
                   answer=o.answer.body if o.answer else None)


async def need_outcome(info: Info, need: Need) -> NeedOutcome | None:
    """Need.outcome: for the need's author and its round's facilitators (channels/rules.py `sees_outcome`)."""
    viewer = info.context.viewer
    if viewer is None or not rules.sees_outcome(viewer.id, need.author_id, await facilitates(info, need.round_id)):
        return None
    round_ = await info.context.loaders.round.load(need.round_id)
    if round_ is None or not rules.is_channel(round_):
        return None
    found = await info.context.run(lambda session: outcomes(session, [need]))
    return NeedOutcome.of(found[need.id])


async def need_answer(info: Info, need: Need) -> str | None:
    """Need.answer: a public one for every reader of the need, a private one for its author and facilitators."""
    answer = await info.context.run(lambda session: session.get(NeedAnswer, need.id))
    if answer is None:
        return None
    viewer = info.context.viewer
    shown = rules.sees_answer(answer.public, viewer.id if viewer else None, need.author_id,
                              await facilitates(info, need.round_id), sees_need=True)
    return answer.body if shown else None


async def need_tags(info: Info, need: Need) -> list[str] | None:
    return list(need.tags) if rules.sees_tags(await facilitates(info, need.round_id)) else None


@strawberry.input
class CreateChannelInput:
    organisation_id: strawberry.ID
    slug: str
    title: list[LocalizedTextInput]
    description: list[LocalizedTextInput] | None = None
    area_codes: list[str] | None = None


CreateChannelResult = Annotated[Channel | ExpectedError, strawberry.union("CreateChannelResult")]
TriageResult = Annotated[NeedNode | ExpectedError, strawberry.union("TriageResult")]


def _need(row: Need) -> NeedNode:
    return NeedNode(row=row)


@strawberry.type
class ChannelQueries:
    @strawberry.field(description="Standing channels, or one organisation's.")
    async def channels(self, info: Info, organisation_id: strawberry.ID | None = None) -> list[Channel]:
        reader(info)
        organisation = ids.decode_optional(organisation_id, "Organisation")
        rows = await info.context.run(lambda session: channels.channels_of(session, organisation))
        return [Channel(row=r) for r in rows]


@strawberry.type
class ChannelMutations:
    @strawberry.mutation(description="Open a channel for an organisation: its own facilitators, or an administrator.")
    async def create_channel(self, info: Info, input: CreateChannelInput) -> CreateChannelResult:
        async def act(session, actor):
            return await channels.create_channel(
                session, actor, organisation_id=ids.decode(input.organisation_id, "Organisation"), slug=input.slug,
                title=texts_in("title", input.title), description=texts_in("description", input.description),
                area_codes=input.area_codes)

        return await perform(info, FACILITATE, act, lambda r: Channel(row=r))

    @strawberry.mutation(description="Mark a channel's need a duplicate of another of the same channel: hidden from "
                                     "lists, its \"me too\"s and its author counted with the kept need.")
    async def merge_need(self, info: Info, need_id: strawberry.ID, into_id: strawberry.ID) -> TriageResult:
        async def act(session, actor):
            return await channels.merge_need(session, actor, ids.decode(need_id, "Need"), ids.decode(into_id, "Need"))

        return await perform(info, FACILITATE, act, _need)

    @strawberry.mutation(description="Set a channel's need's tags (at most 5 free words, for its facilitators).")
    async def tag_need(self, info: Info, need_id: strawberry.ID, tags: list[str]) -> TriageResult:
        async def act(session, actor):
            return await channels.tag_need(session, actor, ids.decode(need_id, "Need"), tags)

        return await perform(info, FACILITATE, act, _need)

    @strawberry.mutation(description="Raise a copy of a channel's need in a round you facilitate, linked to its "
                                     "origin; returns the copy.")
    async def bring_need_into_round(self, info: Info, need_id: strawberry.ID, round_id: strawberry.ID
                                    ) -> TriageResult:
        async def act(session, actor):
            return await channels.bring_into_round(session, actor, ids.decode(need_id, "Need"),
                                                   ids.decode(round_id, "Round"))

        return await perform(info, FACILITATE, act, _need)

    @strawberry.mutation(description="The organisation's short answer to a channel's need: for its author only, "
                                     "unless public. Answering again replaces it.")
    async def answer_need(self, info: Info, need_id: strawberry.ID, answer: str, public: bool = False
                          ) -> TriageResult:
        async def act(session, actor):
            need_uuid: uuid.UUID = ids.decode(need_id, "Need")
            await channels.answer_need(session, actor, need_uuid, answer, public=public)
            return await session.get(Need, need_uuid)

        return await perform(info, FACILITATE, act, _need)
