"""What became of a need raised in a channel, as its author (or the channel's facilitators) reads it.

Each need has some of: received (nothing else yet), merged with another (and which), taken into round X
(once per round), answered by clause N of round X's published proposal (a clause there answering the copy,
in the version published, never a working one), and the organisation's answer. Only the author and the
channel's facilitators read it (channels/rules.py `sees_outcome`): the caller asks first.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.channels import rules
from server.channels.models import NeedAnswer
from server.consolidation import details
from server.consolidation.rules import clause_statuses
from server.consolidation.service import published
from server.disclosure import Audience
from server.drafts.models import Clause, clause_needs
from server.needs.models import Need
from server.rounds.models import Round


@dataclass
class Taken:
    round: Round
    copy: Need
    clauses: list[Clause] = field(default_factory=list)  # answering the copy in the published proposal


@dataclass
class Outcome:
    need: Need
    merged_into: Need | None = None
    taken: list[Taken] = field(default_factory=list)
    answer: NeedAnswer | None = None

    @property
    def received(self) -> bool:
        """Nothing has come of it yet, but it reached the organisation."""
        return self.merged_into is None and not self.taken and self.answer is None


async def outcomes(session: AsyncSession, needs: Sequence[Need]) -> dict[uuid.UUID, Outcome]:
    ids = [n.id for n in needs]
    found = {n.id: Outcome(n) for n in needs}
    if not ids:
        return found
    kept_ids = {n.duplicate_of_id for n in needs if n.duplicate_of_id is not None}
    kept = {n.id: n for n in await session.scalars(select(Need).where(Need.id.in_(kept_ids)))} if kept_ids else {}
    for n in needs:
        if n.duplicate_of_id is not None:
            found[n.id].merged_into = kept.get(n.duplicate_of_id)
    for answer in await session.scalars(select(NeedAnswer).where(NeedAnswer.need_id.in_(ids))):
        found[answer.need_id].answer = answer
    copies = (await session.execute(select(Need, Round).join(Round, Round.id == Need.round_id)
                                    .where(Need.origin_id.in_(ids)).order_by(Need.id))).all()
    for copy, round_ in copies:
        assert copy.origin_id is not None  # selected by it
        found[copy.origin_id].taken.append(Taken(round_, copy, await _answering(session, copy, round_)))
    return found


async def _answering(session: AsyncSession, copy: Need, round_: Round) -> list[Clause]:
    """The clauses answering the copy that the round's published proposal holds."""
    proposal = await published(session, round_.id)
    if proposal is None:
        return []
    clauses = (await session.scalars(select(Clause).join(clause_needs, clause_needs.c.clause_id == Clause.id)
                                     .where(clause_needs.c.need_id == copy.id).order_by(Clause.position))).all()
    # only the clauses answering it are read of the proposal's details
    in_proposal = clause_statuses(await details.result_of(session, proposal, details.clauses([c.id for c in clauses])),
                                  Audience(member=True))
    return [c for c in clauses if str(c.id) in in_proposal]


async def my_outcomes(session: AsyncSession, round_: Round, reader_id: uuid.UUID, needs: Sequence[Need]
                      ) -> dict[uuid.UUID, Outcome]:
    """What became of the reader's own needs in a channel (none for a round, or for needs not theirs)."""
    if not rules.is_channel(round_):
        return {}
    return await outcomes(session, [n for n in needs if rules.sees_outcome(reader_id, n.author_id, False)])


async def public_answers(session: AsyncSession, need_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The answers made public, for everyone who reads these needs (rules.py `sees_answer`); private ones stay
    with their authors, on their own pages."""
    if not need_ids:
        return {}
    rows = await session.scalars(select(NeedAnswer).where(NeedAnswer.need_id.in_(need_ids),
                                                          NeedAnswer.public.is_(True)))
    return {a.need_id: a.body for a in rows}
