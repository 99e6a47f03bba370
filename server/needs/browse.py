"""A round's needs as its people browse them: found by area, sector, hazard and words, newest first, each with
its "me too" count, whether the reader said it, and the talk on it.

Who may read a round's needs is needs/rules.py's `reads_round_needs`; which needs and comments are shown is
needs/rules.py's and comment_rules.py's. The page is what anyone in the round may read, so open needs and
visible comments only: facilitators moderate on their own pages. A need shows no author: not even the group
(a small group's need would point at one of its few people, server/disclosure.py), only whether it is the
reader's own.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from server.channels.outcome import public_answers
from server.deliberation.threads import Thread, threads_on
from server.disclosure import PUBLIC
from server.errors import NotPermitted
from server.i18n import N_
from server.needs import queries
from server.needs import rules as need_rules
from server.needs.me_too import me_too_counts
from server.needs.models import Need
from server.pagination import Window
from server.people.models import Participant
from server.rounds.access import standing
from server.rounds.models import Round

PAGE = 20
NOT_YOURS = N_("Only the people taking part in this round can read its needs.")


@dataclass
class NeedView:
    need: Need
    endorsements: int = 0
    endorsed: bool = False  # by the reader
    mine: bool = False  # the reader raised it
    threads: list[Thread] = field(default_factory=list)
    answer: str | None = None  # the organisation's answer, when it made it public (channels/outcome.py)


@dataclass
class NeedsPage:
    needs: list[NeedView]
    more: bool
    found: int


async def require_reader(session: AsyncSession, round_: Round, reader: Participant) -> str | None:
    """The reader's role in the round, or NotPermitted when they may not read its needs."""
    role = (await standing(session, round_.id, reader)).role
    if reader.withdrawn_at is not None or not need_rules.reads_round_needs(role, reader.role):
        raise NotPermitted(NOT_YOURS)
    return role


async def browse(session: AsyncSession, round_: Round, reader: Participant, wanted: queries.NeedFilter, *,
                 after: uuid.UUID | None = None) -> NeedsPage:
    """One page of the round's open needs that `wanted` finds (its round is this one, whatever it says)."""
    await require_reader(session, round_, reader)
    f = queries.NeedFilter(round_id=round_.id, area_code=wanted.area_code, sector=wanted.sector,
                           hazard=wanted.hazard, text=wanted.text)
    window = Window(PAGE, after=[str(after)] if after else None)
    rows, more = await queries.needs_page(session, f, facilitated=set(), order="newest", window=window)
    ids = [n.id for n in rows]
    counts = await me_too_counts(session, ids)
    mine = await queries.endorsed_by(session, reader.id, ids)
    threads = await threads_on(session, "need", ids, PUBLIC)
    answers = await public_answers(session, ids)
    views = [NeedView(n, counts[n.id], n.id in mine, n.author_id == reader.id, threads.get(n.id, []),
                      answers.get(n.id)) for n in rows]
    return NeedsPage(views, more, await queries.count_needs(session, f, facilitated=set()))


async def need_view(session: AsyncSession, need: Need, reader: Participant) -> NeedView:
    """One need's "me too" state, after the reader changed it (the button htmx swaps)."""
    counts = await me_too_counts(session, [need.id])
    return NeedView(need, counts[need.id], need.id in await queries.endorsed_by(session, reader.id, [need.id]),
                    need.author_id == reader.id)
