"""Which comments a reader sees. Pure and typed: every reader asks here (threads, node lookups, the draft
page, proposals' representative voices, SQL filters).

A comment is visible, held for review (pending) or hidden by a facilitator. Only visible ones are shown
outside the round's facilitators, who see every comment and why it was held or hidden. A proposal quotes
a comment only while it is visible, for every reader: a facilitator who hides a comment takes it out of
every version that quoted it, published ones included (server/consolidation/rules.py).
"""

from __future__ import annotations

import uuid
from typing import Protocol

from server.disclosure import Audience

SHOWN_TO_EVERYONE = ("visible",)  # the moderation states anyone may read; SQL filters use the same ones


class CommentLike(Protocol):
    @property
    def moderation(self) -> str: ...
    @property
    def round_id(self) -> uuid.UUID: ...


def visible(comment: CommentLike, audience: Audience) -> bool:
    """May `audience` (relative to the comment's round) see this comment?"""
    return shown_to_everyone(comment.moderation) or sees_every_comment(audience)


def sees_every_comment(audience: Audience) -> bool:
    """Whether lists read for `audience` keep held and hidden comments (the SQL filters' switch)."""
    return audience.facilitator


def shows_reason(audience: Audience) -> bool:
    """Why a comment was held or hidden: for the round's facilitators."""
    return audience.facilitator


def shown_to_everyone(moderation: str) -> bool:
    return moderation in SHOWN_TO_EVERYONE


def quotable(moderation: str | None) -> bool:
    """May a proposal quote a comment in this state (None: the comment is gone)? For every reader alike."""
    return moderation is not None and shown_to_everyone(moderation)


# Threads are two levels deep: a comment and the replies to it. Deeper nesting does not fit a 320 px screen
# and is hard to follow read aloud, so a reply to a reply joins the same thread.
THREAD_DEPTH = 2


class Threaded(CommentLike, Protocol):
    @property
    def id(self) -> uuid.UUID: ...
    @property
    def parent_id(self) -> uuid.UUID | None: ...


def thread_of(parent: Threaded, grandparent: Threaded | None) -> uuid.UUID | None:
    """The comment a reply to `parent` hangs under: `parent` when it opens a thread, the comment it answers
    (`grandparent`) when it is a reply itself. None when that would be deeper than THREAD_DEPTH: refused."""
    if parent.parent_id is None:
        return parent.id
    if grandparent is None or grandparent.id != parent.parent_id or grandparent.parent_id is not None:
        return None
    return grandparent.id


def reply_visible(comment: CommentLike, parent: CommentLike | None, audience: Audience) -> bool:
    """A reply is shown only with the comment it answers: hiding a comment hides its thread, since replies
    quote or name what they answer."""
    return visible(comment, audience) and (parent is None or visible(parent, audience))


def may_reply_to(parent: CommentLike, audience: Audience) -> bool:
    """Only to a comment the person may read: a hidden one's id is not a way to write under it."""
    return visible(parent, audience)
