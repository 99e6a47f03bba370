"""Deliberation: your own votes, comment threads with moderation, and the actions on them."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from schema import ids
from schema.common import language, row_field
from schema.context import Info
from schema.errors import ExpectedError, perform
from schema.needs import NeedNode, proxy_scope, reads_needs_of
from schema.pagination import connection, page
from schema.permissions import FACILITATE, audience
from schema.rounds import RoundNode

if TYPE_CHECKING:
    from schema.drafts import AmendmentNode, ClauseNode, DraftNode
from server.deliberation import comment_rules, queries, service
from server.deliberation.models import VOTE_CHOICES, Comment
from server.deliberation.models import Vote as VoteRow
from server.needs import rules as need_rules

LazyClauseNode = Annotated["ClauseNode", strawberry.lazy("schema.drafts")]
LazyAmendmentNode = Annotated["AmendmentNode", strawberry.lazy("schema.drafts")]
LazyDraftNode = Annotated["DraftNode", strawberry.lazy("schema.drafts")]
CHOICES = VOTE_CHOICES


@strawberry.enum
class VoteChoice(Enum):
    AGREE = "agree"
    DISAGREE = "disagree"
    PASS = "pass"  # noqa: S105 -- a vote choice, not a password


@strawberry.enum
class Stance(Enum):
    SUPPORT = "support"
    OPPOSE = "oppose"
    QUESTION = "question"
    AMEND = "amend"


@strawberry.enum
class ModerationState(Enum):
    VISIBLE = "visible"
    PENDING = "pending"
    HIDDEN = "hidden"


@strawberry.type(description="One of your own votes. Nobody else's individual vote is ever shown.")
class Vote:
    row: strawberry.Private[VoteRow]

    @strawberry.field
    async def clause(self, info: Info) -> LazyClauseNode:
        from schema.drafts import ClauseNode as Clause

        return Clause(row=await info.context.loaders.clause.load(self.row.clause_id))

    @strawberry.field
    async def amendment(self, info: Info) -> LazyAmendmentNode | None:
        from schema.drafts import AmendmentNode as Amendment

        if self.row.amendment_id is None:
            return None
        return Amendment(row=await info.context.loaders.amendment.load(self.row.amendment_id))

    @strawberry.field
    def choice(self) -> VoteChoice:
        return VoteChoice(CHOICES[self.row.value])

    @strawberry.field
    def entered_by_proxy(self) -> bool:
        return self.row.proxy_id is not None

    updated_at: datetime = row_field("updated_at")


@strawberry.type(name="VoteConnection")
# strawberry bounds a connection's type parameter to Node, but pages any type: a vote has no global id
class VoteConnection(relay.Connection[Vote]):  # type: ignore[type-var]
    pass


@strawberry.type(name="Comment", description="A comment on a need, draft or clause, in a thread.")
class CommentNode(relay.Node):
    row: strawberry.Private[Comment]

    @classmethod
    def resolve_id(cls, root: CommentNode, *, info: Info) -> str:
        return str(root.row.id)

    @strawberry.field
    async def round(self, info: Info) -> RoundNode:
        return RoundNode(row=await info.context.loaders.round.load(self.row.round_id))

    body: str = row_field("body")

    @strawberry.field
    def stance(self) -> Stance:
        return Stance(self.row.stance)

    language: str = row_field("language")

    @strawberry.field(description="Hidden and pending comments are shown to the round's facilitators only.")
    def moderation(self) -> ModerationState:
        return ModerationState(self.row.moderation)

    @strawberry.field(description="Why it was hidden or held: for the round's facilitators only.")
    async def moderation_reason(self, info: Info) -> str | None:
        shown = comment_rules.shows_reason(await audience(info, self.row.round_id))
        return self.row.moderation_reason if shown else None

    @strawberry.field
    def entered_by_proxy(self) -> bool:
        return self.row.proxy_id is not None

    created_at: datetime = row_field("created_at")

    @strawberry.field(description="The need it is on, if you may see that need (a hidden one: its round's "
                                  "facilitators only).")
    async def need(self, info: Info) -> NeedNode | None:
        found = self.row.need_id and await info.context.loaders.need.load(self.row.need_id)
        if not found or not need_rules.visible(found, await audience(info, found.round_id)):
            return None
        return NeedNode(row=found) if await reads_needs_of(info, found.round_id) else None

    @strawberry.field
    async def draft(self, info: Info) -> LazyDraftNode | None:
        from schema.drafts import DraftNode as Draft

        found = self.row.draft_id and await info.context.loaders.draft.load(self.row.draft_id)
        return Draft(row=found) if found else None

    @strawberry.field
    async def clause(self, info: Info) -> LazyClauseNode | None:
        from schema.drafts import ClauseNode as Clause

        found = self.row.clause_id and await info.context.loaders.clause.load(self.row.clause_id)
        return Clause(row=found) if found else None

    @strawberry.field(description="The comment this replies to: the one that opened its thread (threads are two "
                                  "levels deep), or null for a comment that opens one.")
    async def parent(self, info: Info) -> CommentNode | None:
        found = self.row.parent_id and await info.context.loaders.comment.load(self.row.parent_id)
        if not found or not comment_rules.visible(found, await audience(info, found.round_id)):
            return None
        return CommentNode(row=found)

    @strawberry.field(description="Oldest first.")
    async def replies(self, info: Info) -> list[CommentNode]:
        include_hidden = comment_rules.sees_every_comment(await audience(info, self.row.round_id))
        return [CommentNode(row=c) for c in await info.context.loaders.replies.load((self.row.id, include_hidden))]


@strawberry.type(name="CommentConnection")
class CommentConnection(relay.Connection[CommentNode]):
    thread: strawberry.Private[tuple[str, uuid.UUID, bool]]  # target kind, target id, hidden ones included
    readable: strawberry.Private[bool] = True

    @strawberry.field(description="How many top-level comments the thread has, whichever page this is.")
    async def total_count(self, info: Info) -> int:
        return await info.context.loaders.comment_count.load(self.thread) if self.readable else 0


async def comment_thread(info: Info, target: str, target_id: uuid.UUID, round_id: uuid.UUID, first: int | None,
                         after: str | None, last: int | None = None, before: str | None = None, *,
                         readable: bool = True) -> CommentConnection:
    """`readable`: False when the caller may not read the talk on this target at all (a need of a round not
    theirs): no comments, and a count of none."""
    include_hidden = comment_rules.sees_every_comment(await audience(info, round_id))
    asked = page("comments", first, after, last, before)
    window = asked.window
    if not readable:
        return connection(CommentConnection, [], False, page=asked, order=queries.COMMENT_ORDER,
                          node=lambda c: CommentNode(row=c), thread=(target, target_id, include_hidden), readable=False)
    if window.opening:  # the first page of many threads (every clause of a draft) comes in one statement
        rows, more = await info.context.loaders.first_comments.load((target, target_id, include_hidden, window.limit))
    else:
        rows, more = await info.context.run(lambda session: queries.comments_page(
            session, target=target, target_id=target_id, include_hidden=include_hidden, window=window))
    return connection(CommentConnection, rows, more, page=asked, order=queries.COMMENT_ORDER,
                      node=lambda c: CommentNode(row=c), thread=(target, target_id, include_hidden))


@strawberry.input(description="Give exactly one of needId, draftId and clauseId.")
class PostCommentInput:
    body: str
    stance: Stance
    need_id: strawberry.ID | None = None
    draft_id: strawberry.ID | None = None
    clause_id: strawberry.ID | None = None
    parent_id: strawberry.ID | None = strawberry.field(default=None, description=(
        "The comment this replies to; a reply to a reply joins the same thread (two levels deep)."))
    language: str = "th"
    on_behalf_of: strawberry.ID | None = None
    proxy_id: strawberry.ID | None = None


CastVoteResult = Annotated[Vote | ExpectedError, strawberry.union("CastVoteResult")]
PostCommentResult = Annotated[CommentNode | ExpectedError, strawberry.union("PostCommentResult")]
ModerateCommentResult = Annotated[CommentNode | ExpectedError, strawberry.union("ModerateCommentResult")]


@strawberry.type
class DeliberationMutations:
    @strawberry.mutation(description="Agree, disagree or pass on a clause or one of its amendments; a re-vote replaces.")
    async def cast_vote(self, info: Info, clause_id: strawberry.ID, choice: VoteChoice,
                        amendment_id: strawberry.ID | None = None, on_behalf_of: strawberry.ID | None = None,
                        proxy_id: strawberry.ID | None = None) -> CastVoteResult:
        async def act(session, actor):
            return await service.cast_vote(
                session, actor, ids.decode(clause_id, "Clause"), choice.value,
                amendment_id=ids.decode_optional(amendment_id, "Amendment"),
                on_behalf_of=ids.decode_optional(on_behalf_of, "Participant"),
                proxy_id=ids.decode_optional(proxy_id, "ProxyRecord"), scopes=info.context.identity.scopes)

        return await perform(info, proxy_scope(proxy_id), act, lambda vote: Vote(row=vote))

    @strawberry.mutation(description="Comment on a need, draft or clause, or reply to a comment.")
    async def post_comment(self, info: Info, input: PostCommentInput) -> PostCommentResult:
        async def act(session, actor):
            return await service.post_comment(
                session, actor, body=input.body, stance=input.stance.value,
                need_id=ids.decode_optional(input.need_id, "Need"),
                draft_id=ids.decode_optional(input.draft_id, "Draft"),
                clause_id=ids.decode_optional(input.clause_id, "Clause"),
                parent_id=ids.decode_optional(input.parent_id, "Comment"), language=language(input.language),
                on_behalf_of=ids.decode_optional(input.on_behalf_of, "Participant"),
                proxy_id=ids.decode_optional(input.proxy_id, "ProxyRecord"))

        return await perform(info, proxy_scope(input.proxy_id), act, lambda c: CommentNode(row=c))

    @strawberry.mutation(description="Hide, hold or restore a comment (the round's facilitators); a reason is "
                                     "required unless restoring.")
    async def moderate_comment(self, info: Info, comment_id: strawberry.ID, state: ModerationState,
                               reason: str = "") -> ModerateCommentResult:
        async def act(session, actor):
            return await service.moderate_comment(session, actor, ids.decode(comment_id, "Comment"),
                                                  state=state.value, reason=reason)

        return await perform(info, FACILITATE, act, lambda c: CommentNode(row=c))
