"""Reading deliberation: vote counts per group, a person's own votes, and comment threads.

Counts are only ever per declared group, never per person (DESIGN.md, privacy); whether a reader
may see a group's figure is server/disclosure.py's to say. Which comments a reader sees is
comment_rules.py's: the filters here take its answer (`include_hidden`) and its set of states.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Integer, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from server.deliberation.comment_rules import SHOWN_TO_EVERYONE
from server.deliberation.models import Comment, Vote
from server.pagination import Order, Window, split_page
from server.rounds.models import Membership

VOTE_ORDER = Order((Vote.id,))
COMMENT_ORDER = Order((Comment.id,))  # conversation order: oldest first

# a vote's target: the clause, and the amendment of it when the vote is on an amendment
Target = tuple[uuid.UUID, uuid.UUID | None]


@dataclass(frozen=True)
class Tally:
    agree: int = 0
    disagree: int = 0
    passed: int = 0

    @property
    def seen(self) -> int:
        return self.agree + self.disagree + self.passed


async def tallies(session: AsyncSession, targets: Sequence[Target]) -> dict[Target, dict[uuid.UUID | None, Tally]]:
    """For each target, the votes per group (by the voter's membership in the round; None: no group).
    One statement for any number of targets."""
    clause_ids = sorted({clause_id for clause_id, _ in targets})
    rows = await session.execute(
        select(Vote.clause_id, Vote.amendment_id, Membership.group_id,
               func.count().filter(Vote.value == 1).cast(Integer),
               func.count().filter(Vote.value == -1).cast(Integer),
               func.count().filter(Vote.value == 0).cast(Integer))
        .outerjoin(Membership, (Membership.round_id == Vote.round_id)
                   & (Membership.participant_id == Vote.participant_id))
        .where(Vote.clause_id.in_(clause_ids))
        .group_by(Vote.clause_id, Vote.amendment_id, Membership.group_id)
    )
    found: dict[Target, dict[uuid.UUID | None, Tally]] = defaultdict(dict)
    for clause_id, amendment_id, group_id, agree, disagree, passed in rows:
        found[(clause_id, amendment_id)][group_id] = Tally(agree, disagree, passed)
    return {target: found.get(target, {}) for target in targets}


async def votes_of(session: AsyncSession, participant_id: uuid.UUID, targets: Sequence[Target]
                   ) -> dict[Target, Vote]:
    clause_ids = sorted({clause_id for clause_id, _ in targets})
    rows = await session.scalars(select(Vote).where(Vote.participant_id == participant_id,
                                                    Vote.clause_id.in_(clause_ids)))
    return {(v.clause_id, v.amendment_id): v for v in rows}


async def own_votes_page(session: AsyncSession, participant_id: uuid.UUID, round_id: uuid.UUID | None,
                         window: Window) -> tuple[list[Vote], bool]:
    statement = select(Vote).where(Vote.participant_id == participant_id)
    if round_id is not None:
        statement = statement.where(Vote.round_id == round_id)
    return window.split((await session.scalars(VOTE_ORDER.window(statement, window))).all())


async def comments_page(session: AsyncSession, *, target: str, target_id: uuid.UUID, include_hidden: bool,
                        window: Window) -> tuple[list[Comment], bool]:
    """Top-level comments on a need, draft or clause (`target`); replies come with each comment."""
    column = {"need": Comment.need_id, "draft": Comment.draft_id, "clause": Comment.clause_id}[target]
    statement = select(Comment).where(column == target_id, Comment.parent_id.is_(None))
    if not include_hidden:
        statement = statement.where(Comment.moderation.in_(SHOWN_TO_EVERYONE))
    return window.split((await session.scalars(COMMENT_ORDER.window(statement, window))).all())


async def first_comment_pages(session: AsyncSession, *, target: str, target_ids: Sequence[uuid.UUID],
                              include_hidden: bool, limit: int) -> dict[uuid.UUID, tuple[list[Comment], bool]]:
    """The first page of comments on many targets in one statement (a list of clauses, each with its
    thread), numbering each target's comments with a window function."""
    column = {"need": Comment.need_id, "draft": Comment.draft_id, "clause": Comment.clause_id}[target]
    numbered = (select(Comment, func.row_number().over(partition_by=column, order_by=Comment.id).label("n"))
                .where(column.in_(target_ids), Comment.parent_id.is_(None)))
    if not include_hidden:
        numbered = numbered.where(Comment.moderation.in_(SHOWN_TO_EVERYONE))
    inner = numbered.subquery()
    row = aliased(Comment, inner)
    rows = await session.scalars(select(row).where(inner.c.n <= limit + 1).order_by(inner.c.id))
    grouped: dict[uuid.UUID, list[Comment]] = defaultdict(list)
    for comment in rows:
        grouped[getattr(comment, column.key)].append(comment)
    return {t: split_page(grouped.get(t, []), limit) for t in target_ids}


async def comment_counts(session: AsyncSession, *, target: str, target_ids: Sequence[uuid.UUID],
                         include_hidden: bool) -> dict[uuid.UUID, int]:
    """How many top-level comments each target has, for many targets in one statement."""
    column = {"need": Comment.need_id, "draft": Comment.draft_id, "clause": Comment.clause_id}[target]
    statement = (select(column, func.count()).where(column.in_(target_ids), Comment.parent_id.is_(None))
                 .group_by(column))
    if not include_hidden:
        statement = statement.where(Comment.moderation.in_(SHOWN_TO_EVERYONE))
    return {target_id: count for target_id, count in await session.execute(statement)
            if target_id is not None}  # IN never matches NULL


async def replies_of(session: AsyncSession, parent_ids: Sequence[uuid.UUID], *, include_hidden: bool
                     ) -> dict[uuid.UUID, list[Comment]]:
    statement = select(Comment).where(Comment.parent_id.in_(parent_ids)).order_by(Comment.id)
    if not include_hidden:
        statement = statement.where(Comment.moderation.in_(SHOWN_TO_EVERYONE))
    found: dict[uuid.UUID, list[Comment]] = defaultdict(list)
    for comment in await session.scalars(statement):
        assert comment.parent_id is not None  # IN never matches NULL
        found[comment.parent_id].append(comment)
    return found


async def comments_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Comment]:
    return {c.id: c for c in await session.scalars(select(Comment).where(Comment.id.in_(ids)))}
