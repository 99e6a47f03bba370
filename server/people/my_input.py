""""My input": everything a person gave in a round, and what became of it.

What became of it is what the round's facilitators published (never a working version), as any member
may read it (server/consolidation/rules.py): a clause's status where a small group's few votes alone
could decide it reads as not yet heard.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.commitments.queries import clause_views
from server.consolidation import details
from server.consolidation.rules import clause_statuses
from server.consolidation.service import published
from server.deliberation.models import VOTE_CHOICES, Comment, Vote
from server.disclosure import Audience
from server.drafts.models import Amendment, Clause, clause_needs
from server.needs.models import Need

CHOICES = VOTE_CHOICES


@dataclass
class MyInput:
    needs: list[dict[str, Any]] = field(default_factory=list)
    votes: list[dict[str, Any]] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    amendments: list[Amendment] = field(default_factory=list)


async def my_input(session: AsyncSession, participant_id: uuid.UUID, round_id: uuid.UUID) -> MyInput:
    proposal = await published(session, round_id)
    member = Audience(member=True, person_id=participant_id)
    result = MyInput()

    needs = (await session.scalars(select(Need).where(Need.round_id == round_id, Need.author_id == participant_id)
                                   .order_by(Need.created_at))).all()
    answers = (await session.execute(
        select(clause_needs.c.need_id, Clause).join(Clause, Clause.id == clause_needs.c.clause_id)
        .where(clause_needs.c.need_id.in_([n.id for n in needs])).order_by(Clause.position))).all()
    # and what the government made of each answering clause, with the person's own check of it
    commitments = await clause_views(session, list({c.id for _, c in answers}), participant_id) if answers else {}
    rows = (await session.execute(
        select(Vote, Clause).join(Clause, Clause.id == Vote.clause_id)
        .where(Vote.round_id == round_id, Vote.participant_id == participant_id)
        .order_by(Clause.draft_id, Clause.position))).all()
    # of the published proposal, only the clauses this person's input touches
    touched = {c.id for _, c in answers} | {clause.id for _, clause in rows}
    status_of = clause_statuses(await details.result_of(session, proposal, details.clauses(sorted(touched))),
                                member) if proposal else {}
    for need in needs:
        clauses = [c for need_id, c in answers if need_id == need.id]
        result.needs.append({"need": need, "answered_by": [
            {"clause": c, "status": status_of.get(str(c.id)), "commitments": commitments.get(c.id, [])}
            for c in clauses]})

    result.votes = [{"clause": clause, "amendment_id": vote.amendment_id, "choice": CHOICES[vote.value],
                     "status": status_of.get(str(clause.id))} for vote, clause in rows]
    result.comments = list((await session.scalars(
        select(Comment).where(Comment.round_id == round_id, Comment.author_id == participant_id)
        .order_by(Comment.created_at))).all())
    result.amendments = list((await session.scalars(
        select(Amendment).where(Amendment.round_id == round_id, Amendment.proposed_by_id == participant_id)
        .order_by(Amendment.created_at))).all())
    return result
