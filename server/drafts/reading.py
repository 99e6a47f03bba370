"""A draft as a participant reads it: clauses in order, the needs each answers, their
amendments, visible comments, and the reader's own votes. A fixed number of queries,
whatever the number of clauses. Which needs and comments anyone may read is the needs' and
comments' rules' to say (needs/rules.py, deliberation/comment_rules.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.deliberation.models import VOTE_CHOICES, Vote
from server.deliberation.threads import Thread, threads_on
from server.disclosure import PUBLIC
from server.drafts import versions
from server.drafts.models import CURRENT, Amendment, Clause, Draft, clause_needs
from server.errors import NotFound
from server.needs import rules as need_rules
from server.needs.models import Need
from server.people.models import Organisation

CHOICES = VOTE_CHOICES


@dataclass
class ClauseView:
    clause: Clause
    needs: list[Need] = field(default_factory=list)
    amendments: list[Amendment] = field(default_factory=list)
    comments: list[Thread] = field(default_factory=list)
    my_vote: str | None = None
    my_amendment_votes: dict[uuid.UUID, str] = field(default_factory=dict)
    earlier: list[Clause] = field(default_factory=list)  # its earlier texts, newest first (versions.py)
    vote_again: bool = False  # the reader voted on an earlier text only


@dataclass
class DraftView:
    draft: Draft
    organisation: Organisation | None
    clauses: list[ClauseView]
    comments: list[Thread] = field(default_factory=list)  # on the draft as a whole


async def drafts_of_round(session: AsyncSession, round_id: uuid.UUID) -> list[tuple[Draft, Organisation | None]]:
    rows = await session.execute(
        select(Draft, Organisation).outerjoin(Organisation, Organisation.id == Draft.organisation_id)
        .where(Draft.round_id == round_id, Draft.status == "open").order_by(Draft.created_at, Draft.id))
    return [(d, o) for d, o in rows]


async def read_draft(session: AsyncSession, draft_id: uuid.UUID, reader_id: uuid.UUID | None) -> DraftView:
    row = (await session.execute(
        select(Draft, Organisation).outerjoin(Organisation, Organisation.id == Draft.organisation_id)
        .where(Draft.id == draft_id))).first()
    if row is None:
        raise NotFound("draft", draft_id)
    clauses = list((await session.scalars(
        select(Clause).where(Clause.draft_id == draft_id, Clause.status == CURRENT).order_by(Clause.position))).all())
    views = {c.id: ClauseView(c) for c in clauses}
    ids = list(views)
    for clause_id, need in await session.execute(
            select(clause_needs.c.clause_id, Need).join(Need, Need.id == clause_needs.c.need_id)
            .where(clause_needs.c.clause_id.in_(ids), Need.status.in_(need_rules.SHOWN_TO_EVERYONE))
            .order_by(Need.created_at)):
        views[clause_id].needs.append(need)
    for amendment in await session.scalars(
            select(Amendment).where(Amendment.clause_id.in_(ids)).order_by(Amendment.created_at)):
        views[amendment.clause_id].amendments.append(amendment)
    # the page is the same for everyone who reads it: what anyone may read, the facilitators' view is theirs
    for clause_id, threads in (await threads_on(session, "clause", ids, PUBLIC)).items():
        views[clause_id].comments = threads
    about_draft = (await threads_on(session, "draft", [draft_id], PUBLIC)).get(draft_id, [])
    if reader_id is not None:
        for vote in await session.scalars(
                select(Vote).where(Vote.clause_id.in_(ids), Vote.participant_id == reader_id)):
            if vote.amendment_id is None:
                views[vote.clause_id].my_vote = CHOICES[vote.value]
            else:
                views[vote.clause_id].my_amendment_votes[vote.amendment_id] = CHOICES[vote.value]
    history = await versions.histories(session, draft_id)
    for clause_id, chain in history.items():
        views[clause_id].earlier = chain
    for clause_id in await versions.to_vote_again(session, reader_id, history) if reader_id is not None else ():
        views[clause_id].vote_again = True
    return DraftView(row.Draft, row.Organisation, [views[c.id] for c in clauses], about_draft)

