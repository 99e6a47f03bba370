"""What is new in a round for one person since a moment (their last visit): read from the event log.

Each event is read as the person's audience may read it (events/audiences.disclose): only the ids and
payload keys disclosed to them lead anywhere, and what those name is checked again through its own rule
now (a comment hidden since is not counted, a need of theirs answered only while they may read it). What
the person did themselves is not news to them.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.commitments.models import Commitment
from server.deliberation import comment_rules
from server.deliberation.models import Comment
from server.disclosure import Audience
from server.drafts.models import Clause, Draft, clause_needs
from server.events.audiences import Disclosed, disclose
from server.events.models import Event
from server.needs import rules as need_rules
from server.needs.models import Need
from server.rounds.access import Standing

CLAUSE_EVENTS = ("clause.added", "clause.revised", "clause.edited", "clause.needs_linked")
NEWS_EVENTS = ("draft.created", *CLAUSE_EVENTS, "amendment.proposed", "proposal.published", "commitment.recorded",
               "commitment.updated", "comment.posted")
READ_AT_MOST = 300  # events read for one list: a long absence shows the newest of them


@dataclass(frozen=True)
class News:
    """One line of what is new. `kind` says which words the page uses; the rest fills them in."""

    kind: str  # draft, clause, changed, amendment, published, answered, commitment, comments
    at: datetime
    draft_id: uuid.UUID | None = None  # where to read it
    title: str = ""  # a draft's title, a need's title or an agency
    number: int | None = None  # a clause's position or a version
    status: str = ""  # a commitment's status
    count: int = 1


def audience_of(place: Standing) -> Audience:
    """How a person reads their round's events."""
    return Audience(facilitator=place.facilitates, member=place.role is not None, person_id=place.actor.id)


async def news_since(session: AsyncSession, round_id: uuid.UUID, audience: Audience, since: datetime
                     ) -> list[News]:
    """Newest first."""
    events = (await session.scalars(
        select(Event).where(Event.round_id == round_id, Event.created_at > since, Event.type.in_(NEWS_EVENTS))
        .order_by(Event.id.desc()).limit(READ_AT_MOST))).all()
    read = [(e, disclose(e, audience)) for e in events if e.actor_id is None or e.actor_id != audience.person_id]
    news: list[News] = []
    news += await _drafts(session, [(e, d) for e, d in read if e.type == "draft.created"])
    news += await _clauses(session, audience, [(e, d) for e, d in read if e.type in CLAUSE_EVENTS])
    news += await _amendments(session, [(e, d) for e, d in read if e.type == "amendment.proposed"])
    news += await _commitments(session, audience, [(e, d) for e, d in read if e.type.startswith("commitment.")])
    news += await _comments(session, audience, [(e, d) for e, d in read if e.type == "comment.posted"])
    published = [(e, d) for e, d in read if e.type == "proposal.published" and "version" in d.payload]
    news += [News("published", e.created_at, number=d.payload["version"]) for e, d in published[:1]]
    return sorted(news, key=lambda n: n.at, reverse=True)


Read = Sequence[tuple[Event, Disclosed]]


def _ids(read: Read) -> list[uuid.UUID]:
    return [d.subject_id for _, d in read if d.subject_id is not None]


async def _drafts(session: AsyncSession, read: Read) -> list[News]:
    drafts = {d.id: d for d in await session.scalars(select(Draft).where(Draft.id.in_(_ids(read))))}
    return [News("draft", e.created_at, draft_id=draft.id, title=draft.title)
            for e, d in read if d.subject_id is not None and (draft := drafts.get(d.subject_id)) is not None
            and draft.status == "open"]


async def _my_needs(session: AsyncSession, audience: Audience, clause_ids: Sequence[uuid.UUID]
                    ) -> dict[uuid.UUID, list[Need]]:
    """The reader's own needs, among those they may read, that these clauses answer."""
    if audience.person_id is None or not clause_ids:
        return {}
    found: dict[uuid.UUID, list[Need]] = {}
    for clause_id, need in await session.execute(
            select(clause_needs.c.clause_id, Need).join(Need, Need.id == clause_needs.c.need_id)
            .where(clause_needs.c.clause_id.in_(clause_ids), Need.author_id == audience.person_id)
            .order_by(Need.created_at)):
        if need_rules.visible(need, audience):
            found.setdefault(clause_id, []).append(need)
    return found


async def _clauses(session: AsyncSession, audience: Audience, read: Read) -> list[News]:
    """New clauses, new words for a clause (a new version or an edit), and clauses now answering the reader's
    needs (added with them, or linked to them later)."""
    ids = _ids(read)
    clauses = {c.id: c for c in await session.scalars(select(Clause).where(Clause.id.in_(ids)))}
    mine = await _my_needs(session, audience, ids)
    news = []
    for e, d in read:
        clause = clauses.get(d.subject_id) if d.subject_id else None
        if clause is None:
            continue
        if e.type in ("clause.revised", "clause.edited"):
            news.append(News("changed", e.created_at, draft_id=clause.draft_id, number=clause.position))
            continue
        answered = mine.get(clause.id, [])
        news += [News("answered", e.created_at, draft_id=clause.draft_id, title=n.title, number=clause.position)
                 for n in answered]
        if not answered and e.type == "clause.added":
            news.append(News("clause", e.created_at, draft_id=clause.draft_id, number=clause.position))
    return news


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


async def _amendments(session: AsyncSession, read: Read) -> list[News]:
    on = {e.id: _uuid(d.payload.get("clause_id")) for e, d in read}
    clauses = {c.id: c for c in await session.scalars(select(Clause).where(Clause.id.in_(
        [i for i in on.values() if i is not None])))}
    return [News("amendment", e.created_at, draft_id=clause.draft_id, number=clause.position)
            for e, _ in read if (i := on[e.id]) is not None and (clause := clauses.get(i)) is not None]


async def _commitments(session: AsyncSession, audience: Audience, read: Read) -> list[News]:
    """Steps taken on commitments to clauses that answer the reader's needs: the newest per commitment."""
    commitments = {c.id: c for c in await session.scalars(select(Commitment).where(Commitment.id.in_(_ids(read))))}
    mine = await _my_needs(session, audience, list({c.clause_id for c in commitments.values()}))
    clauses = {c.id: c for c in await session.scalars(select(Clause).where(Clause.id.in_(list(mine))))}
    news, told = [], set()
    for e, d in read:  # newest first
        commitment = commitments.get(d.subject_id) if d.subject_id else None
        if commitment is None or commitment.id in told or commitment.clause_id not in mine:
            continue
        told.add(commitment.id)
        clause = clauses[commitment.clause_id]
        news.append(News("commitment", e.created_at, draft_id=clause.draft_id, title=commitment.agency,
                         number=clause.position, status=str(d.payload.get("status", commitment.status))))
    return news


async def _comments(session: AsyncSession, audience: Audience, read: Read) -> list[News]:
    """One line for all new comments, counting only those the reader may see now."""
    comments = await session.scalars(select(Comment).where(Comment.id.in_(_ids(read))))
    shown = {c.id for c in comments if comment_rules.visible(c, audience)}
    counted = [e for e, d in read if d.subject_id in shown]
    return [News("comments", counted[0].created_at, count=len(counted))] if counted else []
