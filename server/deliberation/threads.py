"""Comment threads as pages show them: each comment with the replies to it, for many needs, drafts or clauses
in one statement. What a reader sees is comment_rules.py's to say: a comment held or hidden takes its
replies with it outside the round's facilitators (`reply_visible`)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.deliberation import comment_rules
from server.deliberation.models import Comment
from server.disclosure import Audience

TARGETS = {"need": Comment.need_id, "draft": Comment.draft_id, "clause": Comment.clause_id}


@dataclass
class Thread:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)


async def threads_on(session: AsyncSession, target: str, target_ids: Sequence[uuid.UUID], audience: Audience
                     ) -> dict[uuid.UUID, list[Thread]]:
    """Every target's threads, oldest first, with their replies oldest first: what `audience` may read."""
    column = TARGETS[target]
    rows = await session.scalars(select(Comment).where(column.in_(target_ids)).order_by(Comment.id))
    comments = list(rows)
    opening = {c.id: Thread(c) for c in comments if c.parent_id is None}
    found: dict[uuid.UUID, list[Thread]] = defaultdict(list)
    for comment in comments:
        if comment.parent_id is None:
            if comment_rules.visible(comment, audience):
                found[getattr(comment, column.key)].append(opening[comment.id])
            continue
        thread = opening.get(comment.parent_id)
        if thread is not None and comment_rules.reply_visible(comment, thread.comment, audience):
            thread.replies.append(comment)
    return found


def counted(threads: list[Thread]) -> int:
    """Comments in these threads, replies included: the number a page shows beside "Comments"."""
    return sum(1 + len(t.replies) for t in threads)
