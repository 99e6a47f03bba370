"""What a facilitator moderates: a round's comments newest first, and the trail of every decision.

Only for the round's facilitators (the views check it, moderate_comment checks it again). The
trail is read from the event log (`comment.moderated`), which is written in the same transaction
as each decision, so it cannot miss one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from server.deliberation.models import MODERATION_STATES, Comment
from server.drafts.models import Clause, Draft
from server.events.models import Event
from server.needs.models import Need
from server.people.models import Participant

EXCERPT = 160


@dataclass(frozen=True)
class QueuedComment:
    comment: Comment
    author: str | None  # None: "N people at a meeting", or a withdrawn person
    entered_by: str | None  # the facilitator who typed it in, when it came through a proxy
    moderated_by: str | None
    target: str  # "clause", "need" or "draft"
    target_text: str


@dataclass(frozen=True)
class Decision:
    comment_id: uuid.UUID
    moderator: str | None
    at: datetime
    previous: str
    state: str
    reason: str
    excerpt: str


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


async def state_counts(session: AsyncSession, round_id: uuid.UUID) -> dict[str, int]:
    rows = await session.execute(select(Comment.moderation, func.count()).where(Comment.round_id == round_id)
                                 .group_by(Comment.moderation))
    counts = dict.fromkeys(MODERATION_STATES, 0)
    counts.update(dict(rows.all()))
    return counts


async def queue(session: AsyncSession, round_id: uuid.UUID, *, state: str | None = None,
                before: uuid.UUID | None = None, only: uuid.UUID | None = None, limit: int = 50
                ) -> tuple[list[QueuedComment], bool]:
    """Comments newest first (ids are time-ordered), optionally in one moderation state (or `only`
    one comment); `before` continues after the last one shown. Returns the page and whether more follow."""
    author, typist, moderator = aliased(Participant), aliased(Participant), aliased(Participant)
    statement = (
        select(Comment, author.display_name, typist.display_name, moderator.display_name,
               Clause.text, Need.title, Draft.title)
        .outerjoin(author, author.id == Comment.author_id)
        .outerjoin(typist, typist.id == Comment.entered_by_id)
        .outerjoin(moderator, moderator.id == Comment.moderated_by_id)
        .outerjoin(Clause, Clause.id == Comment.clause_id)
        .outerjoin(Need, Need.id == Comment.need_id)
        .outerjoin(Draft, Draft.id == Comment.draft_id)
        .where(Comment.round_id == round_id)
        .order_by(Comment.id.desc()).limit(limit + 1)
    )
    if state in MODERATION_STATES:
        statement = statement.where(Comment.moderation == state)
    if before is not None:
        statement = statement.where(Comment.id < before)
    if only is not None:
        statement = statement.where(Comment.id == only)
    rows = (await session.execute(statement)).all()
    items = []
    for comment, author_name, typist_name, moderator_name, clause_text, need_title, draft_title in rows[:limit]:
        target = "clause" if comment.clause_id else "need" if comment.need_id else "draft"
        items.append(QueuedComment(
            comment=comment,
            author=None if comment.author_id is None else author_name,
            entered_by=typist_name if comment.proxy_id is not None else None,
            moderated_by=moderator_name, target=target,
            target_text=_excerpt(clause_text or need_title or draft_title or ""),
        ))
    return items, len(rows) > limit


async def trail(session: AsyncSession, round_id: uuid.UUID, *, limit: int = 50) -> list[Decision]:
    """The latest moderation decisions in the round, newest first: who, when, from, to and why."""
    rows = (await session.execute(
        select(Event, Participant.display_name, Comment.body)
        .outerjoin(Participant, Participant.id == Event.actor_id)
        .outerjoin(Comment, Comment.id == Event.subject_id)
        .where(Event.round_id == round_id, Event.type == "comment.moderated")
        .order_by(Event.id.desc()).limit(limit))).all()
    return [Decision(comment_id=event.subject_id, moderator=name, at=event.created_at,
                     previous=event.payload.get("previous", ""), state=event.payload.get("state", ""),
                     reason=event.payload.get("reason", ""), excerpt=_excerpt(body or ""))
            for event, name, body in rows
            if event.subject_id is not None]  # always: moderating records the comment as the subject
