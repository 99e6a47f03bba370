"""Live figures for a round, as a facilitator projects them while people vote: participation per
declared group against its quorum, and support per group for each clause.

A fixed number of statements whatever the size of the round, so that it can be recomputed on
every vote event. Support p = (A + 1) / (S + 2), as in consolidation (support.py). On a projector
(`shown(PUBLIC)`) a group's figures, and its "quorum reached" or "below the threshold", are shown only
when they rest on at least 3 people (server/disclosure.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.deliberation.models import Vote
from server.deliberation.queries import Tally, tallies
from server.disclosure import Audience, discloses
from server.drafts.models import CURRENT, Clause, Draft
from server.rounds.models import Membership, Round, StakeholderGroup

# Events after which the live figures may have changed.
LIVE_EVENTS = frozenset({"vote.cast", "membership.set", "membership.joined", "clause.added",
                         "clause.edited", "clause.revised", "clause.moved", "clause.withdrawn",
                         "round.phase_moved", "round.groups_edited"})


@dataclass(frozen=True)
class Support:
    """One group's votes on one clause."""

    group: StakeholderGroup
    tally: Tally
    threshold: float

    @property
    def agree(self) -> int:
        return self.tally.agree

    @property
    def disagree(self) -> int:
        return self.tally.disagree

    @property
    def seen(self) -> int:
        return self.tally.seen

    @property
    def p(self) -> float:
        return (self.tally.agree + 1) / (self.tally.seen + 2)

    @property
    def heard(self) -> bool:
        return self.seen >= self.group.quorum

    @property
    def supports(self) -> bool:
        return self.heard and self.p >= self.threshold

    def share(self, count: int) -> float:
        """A part of those who saw it, in percent, for a bar's width."""
        return round(100 * count / self.seen, 1) if self.seen else 0.0

    def shown(self, audience: Audience) -> bool:
        """Whether the numbers, and the flags read from them, may be shown to `audience`."""
        return discloses(audience, self.seen)


@dataclass(frozen=True)
class Participation:
    group: StakeholderGroup
    members: int
    voters: int

    @property
    def reached(self) -> bool:
        return self.voters >= self.group.quorum

    @property
    def progress(self) -> float:
        """Voters as a part of the quorum, in percent (at most 100), for a bar's width."""
        return 100.0 if self.group.quorum <= 0 else min(100.0, round(100 * self.voters / self.group.quorum, 1))

    def shown(self, audience: Audience) -> bool:
        """Whether the count of voters, and whether it reached the quorum, may be shown to `audience`."""
        return discloses(audience, self.voters)


@dataclass(frozen=True)
class ClauseSupport:
    clause: Clause
    draft: Draft
    groups: list[Support]


@dataclass(frozen=True)
class LiveFigures:
    round: Round
    participation: list[Participation]
    clauses: list[ClauseSupport]

    @property
    def voters(self) -> int:
        return sum(p.voters for p in self.participation)


async def member_counts(session: AsyncSession, round_id: uuid.UUID) -> dict[uuid.UUID, int]:
    """Members per declared group (by group id)."""
    rows = await session.execute(
        select(Membership.group_id, func.count()).where(Membership.round_id == round_id,
                                                        Membership.group_id.is_not(None))
        .group_by(Membership.group_id))
    return {group_id: count for group_id, count in rows if group_id is not None}  # as the WHERE says


async def live_figures(session: AsyncSession, round_: Round) -> LiveFigures:
    groups = list(await session.scalars(select(StakeholderGroup).where(StakeholderGroup.round_id == round_.id)
                                        .order_by(StakeholderGroup.key)))
    members = await member_counts(session, round_.id)
    voters = dict((await session.execute(
        select(Membership.group_id, func.count(distinct(Vote.participant_id)))
        .join(Membership, (Membership.round_id == Vote.round_id) & (Membership.participant_id == Vote.participant_id))
        .where(Vote.round_id == round_.id, Membership.group_id.is_not(None))
        .group_by(Membership.group_id))).all())
    rows = (await session.execute(
        select(Clause, Draft).join(Draft, Draft.id == Clause.draft_id)
        .where(Clause.round_id == round_.id, Draft.status == "open", Clause.status == CURRENT)
        .order_by(Draft.created_at, Draft.id, Clause.position))).all()
    counted = await tallies(session, [(clause.id, None) for clause, _ in rows]) if rows else {}
    clauses = [ClauseSupport(clause, draft, [
        Support(g, counted.get((clause.id, None), {}).get(g.id, Tally()), round_.threshold) for g in groups
    ]) for clause, draft in rows]
    return LiveFigures(round_, [Participation(g, members.get(g.id, 0), voters.get(g.id, 0)) for g in groups],
                       clauses)
