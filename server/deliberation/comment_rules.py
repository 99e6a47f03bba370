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
