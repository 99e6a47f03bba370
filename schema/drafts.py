"""Drafts, their clauses and amendments, and the support each gets per stakeholder group."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from schema import ids
from schema.common import Translation, TranslationInput, language, row_field, translations_in, translations_out
from schema.context import Info
from schema.errors import ExpectedError, perform
from schema.needs import NeedNode, proxy_scope
from schema.permissions import FACILITATE, audience
from schema.rounds import RoundNode, StakeholderGroupNode
from server.disclosure import PUBLIC, SMALL_GROUP, discloses, small
from server.drafts import authoring, service
from server.drafts.models import Amendment, Clause, Draft
from server.needs import rules as need_rules

if TYPE_CHECKING:
    from schema.deliberation import CommentConnection, Vote

LazyVoteNode = Annotated["Vote", strawberry.lazy("schema.deliberation")]
LazyCommentConnection = Annotated["CommentConnection", strawberry.lazy("schema.deliberation")]


@strawberry.type(description=(
    "Votes on a clause or amendment within one declared group. Nobody's individual vote is shown. To anyone but "
    f"the round's facilitators, a group's figures resting on fewer than {SMALL_GROUP} people (Round.rules.fewerThan) "
    "read as null, with fewerThanThree."))
class GroupSupport:
    group: StakeholderGroupNode
    agree: int | None
    disagree: int | None
    passed: int | None = strawberry.field(name="pass")
    seen: int | None = strawberry.field(description="Everyone in the group who voted on it, passes included.")
    support: float | None = strawberry.field(description="(agree + 1) / (seen + 2), as consolidation computes it.")
    fewer_than_three: bool


async def support_of(info: Info, round_id: uuid.UUID, target: tuple[uuid.UUID, uuid.UUID | None]
                     ) -> list[GroupSupport]:
    loaders = info.context.loaders
    tallies = await loaders.tally.load(target)
    seen_by = await audience(info, round_id)
    found = []
    for group in await loaders.groups_of_round.load(round_id):
        tally = tallies.get(group.id)
        agree, disagree, passed = (tally.agree, tally.disagree, tally.passed) if tally else (0, 0, 0)
        seen = agree + disagree + passed
        shown = discloses(seen_by, seen)
        found.append(GroupSupport(
            group=StakeholderGroupNode(row=group), fewer_than_three=small(seen),
            agree=agree if shown else None, disagree=disagree if shown else None,
            passed=passed if shown else None, seen=seen if shown else None,
            support=round((agree + 1) / (seen + 2), 6) if shown else None))
    return found


async def own_vote(info: Info, target: tuple[uuid.UUID, uuid.UUID | None]) -> LazyVoteNode | None:
    if info.context.viewer is None:
        return None
    from schema.deliberation import Vote

    found = await info.context.loaders.own_vote.load(target)
    return Vote(row=found) if found else None


@strawberry.type(name="Amendment", description="An alternative text for a clause, voted like a clause.")
class AmendmentNode(relay.Node):
    row: strawberry.Private[Amendment]

    @classmethod
    def resolve_id(cls, root: AmendmentNode, *, info: Info) -> str:
        return str(root.row.id)

    @strawberry.field
    async def clause(self, info: Info) -> ClauseNode:
        return ClauseNode(row=await info.context.loaders.clause.load(self.row.clause_id))

    text: str = row_field("text")

    rationale: str = row_field("rationale")

    language: str = row_field("language")

    @strawberry.field
    def entered_by_proxy(self) -> bool:
        return self.row.proxy_id is not None

    created_at: datetime = row_field("created_at")

    @strawberry.field
    async def support(self, info: Info) -> list[GroupSupport]:
        return await support_of(info, self.row.round_id, (self.row.clause_id, self.row.id))

    @strawberry.field(description="Your own vote on it, if any.")
    async def viewer_vote(self, info: Info) -> LazyVoteNode | None:
        return await own_vote(info, (self.row.clause_id, self.row.id))


@strawberry.enum
class ClauseStatus(Enum):
    CURRENT = "current"
    SUPERSEDED = "superseded"
    WITHDRAWN = "withdrawn"


@strawberry.enum
class MoveDirection(Enum):
    UP = "up"
    DOWN = "down"


@strawberry.type(name="Clause", description="One clause of a draft, voted agree / disagree / pass.")
class ClauseNode(relay.Node):
    row: strawberry.Private[Clause]

    @classmethod
    def resolve_id(cls, root: ClauseNode, *, info: Info) -> str:
        return str(root.row.id)

    @strawberry.field
    async def draft(self, info: Info) -> DraftNode:
        return DraftNode(row=await info.context.loaders.draft.load(self.row.draft_id))

    position: int = row_field("position")

    text: str = row_field("text")

    language: str = row_field("language")

    @strawberry.field
    def translations(self) -> list[Translation]:
        return translations_out(self.row.translations)

    created_at: datetime = row_field("created_at")

    @strawberry.field(description=(
        "CURRENT: part of its draft; SUPERSEDED: an earlier text, kept with the votes, comments and amendments "
        "given on it, replaced by a new version once voting had opened; WITHDRAWN: taken out before voting."))
    def status(self) -> ClauseStatus:
        return ClauseStatus(self.row.status)

    @strawberry.field(description="The earlier text this version replaced, if any.")
    async def previous_version(self, info: Info) -> ClauseNode | None:
        if self.row.supersedes_id is None:
            return None
        return ClauseNode(row=await info.context.loaders.clause.load(self.row.supersedes_id))

    @strawberry.field(description="The needs this clause answers.")
    async def answers(self, info: Info) -> list[NeedNode]:
        needs = await info.context.loaders.needs_answered_by.load(self.row.id)
        if not all(need_rules.visible(n, PUBLIC) for n in needs):  # who asks matters only then
            seen_by = await audience(info, self.row.round_id)
            needs = [n for n in needs if need_rules.visible(n, seen_by)]
        return [NeedNode(row=n) for n in needs]

    @strawberry.field
    async def amendments(self, info: Info) -> list[AmendmentNode]:
        return [AmendmentNode(row=a) for a in await info.context.loaders.amendments_of_clause.load(self.row.id)]

    @strawberry.field
    async def support(self, info: Info) -> list[GroupSupport]:
        return await support_of(info, self.row.round_id, (self.row.id, None))

    @strawberry.field(description="Your own vote on it, if any.")
    async def viewer_vote(self, info: Info) -> LazyVoteNode | None:
        return await own_vote(info, (self.row.id, None))

    @strawberry.field(description="Top-level comments, oldest first, each with its replies.")
    async def comments(self, info: Info, first: int | None = None, after: str | None = None,
                       last: int | None = None, before: str | None = None) -> LazyCommentConnection:
        from schema.deliberation import comment_thread

        return await comment_thread(info, "clause", self.row.id, self.row.round_id, first, after, last, before)


@strawberry.type(name="Draft", description="A policy draft: ordered clauses, each linked to the needs it answers.")
class DraftNode(relay.Node):
    row: strawberry.Private[Draft]

    @classmethod
    def resolve_id(cls, root: DraftNode, *, info: Info) -> str:
        return str(root.row.id)

    @strawberry.field
    async def round(self, info: Info) -> RoundNode:
        return RoundNode(row=await info.context.loaders.round.load(self.row.round_id))

    title: str = row_field("title")

    summary: str = row_field("summary")

    language: str = row_field("language")

    @strawberry.field
    def translations(self) -> list[Translation]:
        return translations_out(self.row.translations)

    status: str = row_field("status")

    created_at: datetime = row_field("created_at")

    @strawberry.field(description="In order.")
    async def clauses(self, info: Info) -> list[ClauseNode]:
        return [ClauseNode(row=c) for c in await info.context.loaders.clauses_of_draft.load(self.row.id)]

    @strawberry.field(description="Top-level comments, oldest first, each with its replies.")
    async def comments(self, info: Info, first: int | None = None, after: str | None = None,
                       last: int | None = None, before: str | None = None) -> LazyCommentConnection:
        from schema.deliberation import comment_thread

        return await comment_thread(info, "draft", self.row.id, self.row.round_id, first, after, last, before)


@strawberry.input
class CreateDraftInput:
    round_id: strawberry.ID
    title: str
    summary: str = ""
    organisation_id: strawberry.ID | None = strawberry.field(
        default=None, description="A ministry or civil-society organisation; by default, your own.")
    language: str = "th"
    translations: list[TranslationInput] | None = None


@strawberry.input
class AddClauseInput:
    draft_id: strawberry.ID
    text: str
    answers: list[strawberry.ID] | None = strawberry.field(default=None, description="Ids of needs it answers.")
    language: str = "th"
    translations: list[TranslationInput] | None = None


@strawberry.input
class ProposeAmendmentInput:
    clause_id: strawberry.ID
    text: str
    rationale: str = ""
    language: str = "th"
    on_behalf_of: strawberry.ID | None = None
    proxy_id: strawberry.ID | None = None


@strawberry.input
class EditClauseInput:
    clause_id: strawberry.ID
    text: str
    translations: list[TranslationInput] | None = None


@strawberry.input
class ClauseNeedsInput:
    clause_id: strawberry.ID
    need_ids: list[strawberry.ID]


ClauseResult = Annotated[ClauseNode | ExpectedError, strawberry.union("ClauseResult")]
CreateDraftResult = Annotated[DraftNode | ExpectedError, strawberry.union("CreateDraftResult")]
AddClauseResult = Annotated[ClauseNode | ExpectedError, strawberry.union("AddClauseResult")]
ProposeAmendmentResult = Annotated[AmendmentNode | ExpectedError, strawberry.union("ProposeAmendmentResult")]


@strawberry.type
class DraftMutations:
    @strawberry.mutation(description="Propose a draft (facilitators, in the drafting phase).")
    async def create_draft(self, info: Info, input: CreateDraftInput) -> CreateDraftResult:
        async def act(session, actor):
            return await service.create_draft(
                session, actor, ids.decode(input.round_id, "Round"), title=input.title, summary=input.summary,
                organisation_id=ids.decode_optional(input.organisation_id, "Organisation"),
                language=language(input.language), translations=translations_in(input.translations))

        return await perform(info, FACILITATE, act, lambda draft: DraftNode(row=draft))

    @strawberry.mutation(description="Append a clause to a draft, linked to the needs it answers.")
    async def add_clause(self, info: Info, input: AddClauseInput) -> AddClauseResult:
        async def act(session, actor):
            return await service.add_clause(
                session, actor, ids.decode(input.draft_id, "Draft"), text=input.text,
                answers=[ids.decode(n, "Need") for n in input.answers or []], language=language(input.language),
                translations=translations_in(input.translations))

        return await perform(info, FACILITATE, act, lambda clause: ClauseNode(row=clause))

    @strawberry.mutation(description=(
        "Change a clause's text. Before voting opens, and while nobody has voted, commented or proposed a wording "
        "on it, the clause itself changes; otherwise the answer is a new version (previousVersion: the old one, "
        "which keeps its votes), and voters are asked to vote again."))
    async def edit_clause(self, info: Info, input: EditClauseInput) -> ClauseResult:
        async def act(session, actor):
            return await authoring.edit_clause(
                session, actor, ids.decode(input.clause_id, "Clause"), text=input.text,
                translations=translations_in(input.translations) if input.translations is not None else None)

        return await perform(info, FACILITATE, act, lambda clause: ClauseNode(row=clause))

    @strawberry.mutation(description="Swap a clause with the one above or below it in its draft.")
    async def move_clause(self, info: Info, clause_id: strawberry.ID, direction: MoveDirection) -> ClauseResult:
        async def act(session, actor):
            return await authoring.move_clause(session, actor, ids.decode(clause_id, "Clause"), direction.value)

        return await perform(info, FACILITATE, act, lambda clause: ClauseNode(row=clause))

    @strawberry.mutation(description="Take a clause out of its draft, before voting opens.")
    async def withdraw_clause(self, info: Info, clause_id: strawberry.ID) -> ClauseResult:
        async def act(session, actor):
            return await authoring.withdraw_clause(session, actor, ids.decode(clause_id, "Clause"))

        return await perform(info, FACILITATE, act, lambda clause: ClauseNode(row=clause))

    @strawberry.mutation(description="The clause answers these needs too (needs of its own round only).")
    async def link_needs(self, info: Info, input: ClauseNeedsInput) -> ClauseResult:
        async def act(session, actor):
            return await authoring.link_needs(session, actor, ids.decode(input.clause_id, "Clause"),
                                              [ids.decode(n, "Need") for n in input.need_ids])

        return await perform(info, FACILITATE, act, lambda clause: ClauseNode(row=clause))

    @strawberry.mutation(description="The clause no longer answers these needs.")
    async def unlink_needs(self, info: Info, input: ClauseNeedsInput) -> ClauseResult:
        async def act(session, actor):
            return await authoring.unlink_needs(session, actor, ids.decode(input.clause_id, "Clause"),
                                                [ids.decode(n, "Need") for n in input.need_ids])

        return await perform(info, FACILITATE, act, lambda clause: ClauseNode(row=clause))

    @strawberry.mutation(description="Propose another text for a clause (in the deliberation phase).")
    async def propose_amendment(self, info: Info, input: ProposeAmendmentInput) -> ProposeAmendmentResult:
        async def act(session, actor):
            return await service.propose_amendment(
                session, actor, ids.decode(input.clause_id, "Clause"), text=input.text, rationale=input.rationale,
                language=language(input.language),
                on_behalf_of=ids.decode_optional(input.on_behalf_of, "Participant"),
                proxy_id=ids.decode_optional(input.proxy_id, "ProxyRecord"))

        return await perform(info, proxy_scope(input.proxy_id), act, lambda a: AmendmentNode(row=a))
