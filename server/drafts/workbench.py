"""A draft as its authors work on it: each current clause with what people gave on it, its earlier texts,
every need it answers (hidden ones too: its authors facilitate the round or draft for it) and what may
still be done to it (drafts/rules.py). A fixed number of queries, whatever the number of clauses."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from server.deliberation.models import Comment, Vote
from server.drafts import rules, versions
from server.drafts.authoring import voting_opened
from server.drafts.models import CURRENT, Amendment, Clause, Draft, clause_needs
from server.errors import NotFound
from server.needs.models import Need
from server.people.models import Organisation


@dataclass
class ClauseWork:
    clause: Clause
    reactions: rules.Reactions
    needs: list[Need] = field(default_factory=list)
    earlier: list[Clause] = field(default_factory=list)
    in_place: bool = False  # a change is made where it stands, not as a new version
    may_withdraw: bool = False


@dataclass
class Workbench:
    draft: Draft
    organisation: Organisation | None
    clauses: list[ClauseWork]
    voting_opened: bool


async def _counts(session: AsyncSession, column: InstrumentedAttribute[Any], ids: list[uuid.UUID]
                  ) -> dict[uuid.UUID, int]:
    rows = await session.execute(select(column, func.count()).where(column.in_(ids)).group_by(column))
    # not dict(rows): a Result has keys() (its column names), so dict() would read it as a mapping
    return {clause_id: count for clause_id, count in rows}  # noqa: C416


async def workbench(session: AsyncSession, draft_id: uuid.UUID, round_id: uuid.UUID) -> Workbench:
    """The draft, which must be of the round `round_id`."""
    row = (await session.execute(
        select(Draft, Organisation).outerjoin(Organisation, Organisation.id == Draft.organisation_id)
        .where(Draft.id == draft_id, Draft.round_id == round_id))).first()
    if row is None:
        raise NotFound("draft", draft_id)
    clauses = list(await session.scalars(
        select(Clause).where(Clause.draft_id == draft_id, Clause.status == CURRENT).order_by(Clause.position)))
    ids = [c.id for c in clauses]
    votes = await _counts(session, Vote.clause_id, ids)
    comments = await _counts(session, Comment.clause_id, ids)
    amendments = await _counts(session, Amendment.clause_id, ids)
    opened = await voting_opened(session, round_id)
    history = await versions.histories(session, draft_id)
    items: dict[uuid.UUID, ClauseWork] = {}
    for clause in clauses:
        reactions = rules.Reactions(votes.get(clause.id, 0), comments.get(clause.id, 0), amendments.get(clause.id, 0))
        items[clause.id] = ClauseWork(clause, reactions, earlier=history.get(clause.id, []),
                                      in_place=rules.editable_in_place(clause.status, reactions, opened),
                                      may_withdraw=rules.may_withdraw(clause.status, opened))
    for clause_id, need in await session.execute(
            select(clause_needs.c.clause_id, Need).join(Need, Need.id == clause_needs.c.need_id)
            .where(clause_needs.c.clause_id.in_(ids)).order_by(Need.created_at)):
        items[clause_id].needs.append(need)
    return Workbench(row.Draft, row.Organisation, [items[i] for i in ids], opened)
