"""Voting, commenting and moderation."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from server import validation
from server.deliberation.models import (
    MODERATION_STATES,
    STANCES,
    VOTE_VALUES,
    Comment,
    Vote,
)
from server.drafts.models import Amendment, Clause, Draft
from server.errors import Invalid, NotFound
from server.events.service import record
from server.i18n import N_
from server.ids import uuid7
from server.needs.models import Need
from server.operations.metrics import vote_accepted
from server.people.models import Participant
from server.proxies.service import resolve_author
from server.rounds.access import require_facilitator, standing


def _upsert_vote() -> Any:
    """A re-vote replaces the vote (one per person and clause or amendment). Built once: building the
    statement (its `excluded` columns) cost more than running it."""
    columns = ("id", "round_id", "participant_id", "clause_id", "amendment_id", "value", "entered_by_id", "proxy_id")
    statement = insert(Vote).values({name: bindparam(name) for name in columns})
    return statement.on_conflict_do_update(
        index_elements=[Vote.participant_id, Vote.clause_id, Vote.amendment_id],
        set_={"value": statement.excluded.value, "entered_by_id": statement.excluded.entered_by_id,
              "proxy_id": statement.excluded.proxy_id, "updated_at": func.now()},
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
) -> Vote:
    """Agree, disagree or pass on a clause or one of its amendments; a re-vote replaces."""
    invalid = Invalid()
    validation.choice(invalid, "choice", choice, tuple(VOTE_VALUES))
    invalid.raise_if_any()
    clause = await session.get(Clause, clause_id)
    if clause is None:
        raise NotFound("clause", clause_id)
    if amendment_id is not None:
        amendment = await session.get(Amendment, amendment_id)
        if amendment is None or amendment.clause_id != clause_id:
            raise NotFound("amendment", amendment_id)
    author = await resolve_author(session, actor, clause.round_id, "vote",
                                  on_behalf_of=on_behalf_of, proxy_id=proxy_id)
    if author.participant_id is None:
        invalid.add("on_behalf_of", N_("A vote needs a named person; record a proxy for each of them."))
        invalid.raise_if_any()
    vote = await session.scalar(
        _UPSERT_VOTE,
        dict(id=uuid7(), round_id=clause.round_id, participant_id=author.participant_id, clause_id=clause_id,
             amendment_id=amendment_id, value=VOTE_VALUES[choice], entered_by_id=author.entered_by_id,
             proxy_id=author.proxy_id),
        execution_options={"populate_existing": True},
    )
    record(session, "vote.cast", round_id=clause.round_id, actor_id=actor.id, subject_id=vote.id,
           clause_id=clause_id, amendment_id=amendment_id, choice=choice, group_id=author.group_id,
           proxy_id=author.proxy_id)
    vote_accepted("service")  # counted here, though the caller's transaction may yet fail to commit
    return vote


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
    targets = [("need", Need, need_id), ("draft", Draft, draft_id), ("clause", Clause, clause_id)]
    chosen = [(name, model, ident) for name, model, ident in targets if ident is not None]
    if len(chosen) != 1:
        invalid.add("target", N_("Comment on exactly one need, draft or clause."))
        invalid.raise_if_any()
    name, model, ident = chosen[0]
    target = await session.get(model, ident)
    if target is None:
        raise NotFound(name, ident)
    author = await resolve_author(session, actor, target.round_id, "comment",
                                  on_behalf_of=on_behalf_of, proxy_id=proxy_id)
    comment = Comment(
        round_id=target.round_id, need_id=need_id, draft_id=draft_id, clause_id=clause_id,
        author_id=author.participant_id, entered_by_id=author.entered_by_id, proxy_id=author.proxy_id,
        stance=validation.choice(invalid, "stance", stance, STANCES),
        body=validation.text(invalid, "body", body, max_length=5000),
        language=validation.language(invalid, "language", language),
    )
    if parent_id is not None:
        parent = await session.get(Comment, parent_id)
        same_target = parent is not None and (parent.need_id, parent.draft_id, parent.clause_id) == (
            need_id, draft_id, clause_id)
        invalid.check(same_target, "parent", N_("A reply must be on the same need, draft or clause."))
        comment.parent_id = parent_id
    invalid.raise_if_any()
    session.add(comment)
    await session.flush()
    record(session, "comment.posted", round_id=target.round_id, actor_id=actor.id, subject_id=comment.id,
           need_id=need_id, draft_id=draft_id, clause_id=clause_id, parent_id=parent_id, stance=stance,
           proxy_id=author.proxy_id)
    return comment


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
