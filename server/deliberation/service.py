"""Voting, commenting and moderation."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import bindparam, func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningInsert

from server import validation
from server.deliberation import comment_rules
from server.deliberation.models import (
    MODERATION_STATES,
    STANCES,
    Comment,
    Vote,
)
from server.deliberation.rules import Ballot, VoteContext, check_vote
from server.deliberation.vote_record import COLUMNS, REPLACED, TARGET, vote_cast_payload, vote_row
from server.disclosure import Audience
from server.drafts.models import Amendment, Clause, Draft
from server.drafts.rules import CHANGED_SINCE, is_current
from server.errors import Conflict, Invalid, NotFound
from server.events.service import record
from server.i18n import N_
from server.ids import uuid7
from server.needs import rules as need_rules
from server.needs.models import Need
from server.operations.metrics import vote_accepted
from server.people.models import Participant
from server.proxies.service import proxy_facts, resolve_author
from server.rounds.access import require_facilitator, standing


def _upsert_vote() -> ReturningInsert[Vote]:
    """vote_record.py's upsert. Built once: building the statement (its `excluded` columns) cost more than
    running it."""
    statement = insert(Vote).values({name: bindparam(name) for name in COLUMNS})
    return statement.on_conflict_do_update(
        index_elements=[getattr(Vote, name) for name in TARGET],
        set_={**{name: getattr(statement.excluded, name) for name in REPLACED}, "updated_at": func.now()},
    ).returning(Vote)


_UPSERT_VOTE = _upsert_vote()


async def cast_vote(
    session: AsyncSession,
    actor: Participant,
    clause_id: uuid.UUID,
    choice: str,
    *,
    amendment_id: uuid.UUID | None = None,
    on_behalf_of: uuid.UUID | None = None,
    proxy_id: uuid.UUID | None = None,
    scopes: frozenset[str] | None = None,
) -> Vote:
    """Agree, disagree or pass on a clause or one of its amendments; a re-vote replaces. `scopes`: those of
    the token the actor came with, if any."""
    ballot = Ballot(clause_id, choice, amendment_id, on_behalf_of, proxy_id)
    context = await _vote_context(session, actor, ballot, scopes)
    accepted = check_vote(context, ballot)
    vote = (await session.execute(
        _UPSERT_VOTE, dict(zip(COLUMNS, vote_row(uuid7(), ballot, accepted), strict=True)),
        execution_options={"populate_existing": True},
    )).scalar_one()
    record(session, "vote.cast", round_id=accepted.round_id, actor_id=actor.id, subject_id=vote.id,
           **vote_cast_payload(ballot, accepted))
    vote_accepted("service")  # counted here, though the caller's transaction may yet fail to commit
    return vote


async def _vote_context(session: AsyncSession, actor: Participant, ballot: Ballot,
                        scopes: frozenset[str] | None) -> VoteContext:
    """What the vote rule reads, through the ORM."""
    clause = await session.get(Clause, ballot.clause_id)
    if clause is None:
        return VoteContext(actor, scopes, None, None, None)
    amendment = await session.get(Amendment, ballot.amendment_id) if ballot.amendment_id is not None else None
    proxy, represented = await proxy_facts(session, clause.round_id, ballot.proxy_id)
    return VoteContext(actor, scopes, clause.round_id, await standing(session, clause.round_id, actor),
                       amendment.clause_id if amendment is not None else None, proxy, represented,
                       clause_current=is_current(clause.status))


async def post_comment(
    session: AsyncSession,
    actor: Participant,
    *,
    body: str,
    stance: str,
    need_id: uuid.UUID | None = None,
    draft_id: uuid.UUID | None = None,
    clause_id: uuid.UUID | None = None,
    parent_id: uuid.UUID | None = None,
    language: str = "th",
    on_behalf_of: uuid.UUID | None = None,
    proxy_id: uuid.UUID | None = None,
) -> Comment:
    invalid = Invalid()
    targets: list[tuple[str, type[Need | Draft | Clause], uuid.UUID | None]] = [
        ("need", Need, need_id), ("draft", Draft, draft_id), ("clause", Clause, clause_id)]
    chosen = [(name, model, ident) for name, model, ident in targets if ident is not None]
    if len(chosen) != 1:
        invalid.add("target", N_("Comment on exactly one need, draft or clause."))
        invalid.raise_if_any()
    name, model, ident = chosen[0]
    target: Need | Draft | Clause | None = await session.get(model, ident)
    if target is None or not await _open_to(session, actor, target):
        raise NotFound(name, ident)
    author = await resolve_author(session, actor, target.round_id, "comment",
                                  on_behalf_of=on_behalf_of, proxy_id=proxy_id)
    if isinstance(target, Clause) and not is_current(target.status):
        raise Conflict(CHANGED_SINCE)  # what was said on the earlier text stays with it
    comment = Comment(
        round_id=target.round_id, need_id=need_id, draft_id=draft_id, clause_id=clause_id,
        author_id=author.participant_id, entered_by_id=author.entered_by_id, proxy_id=author.proxy_id,
        stance=validation.choice(invalid, "stance", stance, STANCES),
        body=validation.text(invalid, "body", body, max_length=5000),
        language=validation.language(invalid, "language", language),
    )
    if parent_id is not None:
        comment.parent_id = await _thread(session, invalid, actor, target.round_id, parent_id,
                                          (need_id, draft_id, clause_id))
    invalid.raise_if_any()
    session.add(comment)
    await session.flush()
    record(session, "comment.posted", round_id=target.round_id, actor_id=actor.id, subject_id=comment.id,
           need_id=need_id, draft_id=draft_id, clause_id=clause_id, parent_id=comment.parent_id, stance=stance,
           proxy_id=author.proxy_id)
    return comment


async def _audience(session: AsyncSession, actor: Participant, round_id: uuid.UUID) -> Audience:
    s = await standing(session, round_id, actor)
    return Audience(facilitator=s.facilitates, member=s.role is not None, person_id=actor.id)


async def _open_to(session: AsyncSession, actor: Participant, target: Need | Draft | Clause) -> bool:
    """A hidden need, or a withdrawn draft, is not there to comment on for those who may not read it."""
    if isinstance(target, Need):
        return need_rules.visible(target, await _audience(session, actor, target.round_id))
    if isinstance(target, Draft):
        return target.status == "open"
    return True


async def _thread(session: AsyncSession, invalid: Invalid, actor: Participant, round_id: uuid.UUID,
                  parent_id: uuid.UUID, target: tuple[uuid.UUID | None, ...]) -> uuid.UUID | None:
    """The comment a reply hangs under (comment_rules.thread_of). A reply answers a comment the person may
    read, on the same need, draft or clause; otherwise what is wrong goes in `invalid`."""
    parent = await session.get(Comment, parent_id)
    grandparent = await session.get(Comment, parent.parent_id) if parent and parent.parent_id else None
    if parent is None or (parent.need_id, parent.draft_id, parent.clause_id) != target or not (
            comment_rules.reply_visible(parent, grandparent, await _audience(session, actor, round_id))):
        invalid.add("parent", N_("A reply must be on the same need, draft or clause."))
        return None
    thread = comment_rules.thread_of(parent, grandparent)
    invalid.check(thread is not None, "parent",
                  N_("Replies go only two levels deep: reply to the first comment instead."))
    return thread


async def moderate_comment(session: AsyncSession, actor: Participant, comment_id: uuid.UUID, *,
                           state: str, reason: str = "") -> Comment:
    """Hide, hold or restore a comment; the event log keeps the trail of every decision."""
    comment = await session.get(Comment, comment_id)
    if comment is None:
        raise NotFound("comment", comment_id)
    require_facilitator(await standing(session, comment.round_id, actor))
    invalid = Invalid()
    validation.choice(invalid, "state", state, MODERATION_STATES)
    reason = validation.text(invalid, "reason", reason, max_length=500, required=state != "visible")
    invalid.raise_if_any()
    previous = comment.moderation
    comment.moderation, comment.moderation_reason = state, reason or None
    comment.moderated_by_id, comment.moderated_at = actor.id, datetime.now(UTC)
    await session.flush()
    record(session, "comment.moderated", round_id=comment.round_id, actor_id=actor.id, subject_id=comment.id,
           previous=previous, state=state, reason=reason)
    return comment
