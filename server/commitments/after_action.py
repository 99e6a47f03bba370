"""A round's after-action figures: who took part per declared group against the invitations made, how
many needs the adopted clauses answer, what the agencies delivered and the community checked, and how
long the first commitment took after publication. The facilitators' page and the partners' PDF read
this one shape.

Made for one audience (server/disclosure.py): for anyone but the round's facilitators (the PDF, which
leaves their hands), a group's figures rest on its members, so every figure of a group of fewer than 3
members reads "fewer than 3", as does any figure about fewer than 3 people; a column's total is shown
only when every group's figure in it is.

"Adopted" means a clause of the latest published proposal with consensus, as the audience may read its
status (consolidation/rules.py): a need is answered when such a clause answers it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.models import InviteCode
from server.commitments.follow_up import stale_after
from server.commitments.models import CHECK_ANSWERS, Commitment, CommitmentCheck
from server.commitments.rules import FLAGS, flags_of
from server.consolidation import details
from server.consolidation.models import ConsolidatedProposal
from server.consolidation.rules import clause_statuses
from server.consolidation.service import published
from server.deliberation.models import Comment, Vote
from server.disclosure import Audience, discloses, discloses_total
from server.drafts.models import clause_needs
from server.needs.models import Need
from server.rounds.models import Membership, Round, StakeholderGroup

COLUMNS = ("invites_made", "invites_used", "members", "voted", "commented", "raised_needs")
PEOPLE_COLUMNS = COLUMNS[1:]  # invites made are seats offered, not people; used ones are people who joined


@dataclass(frozen=True)
class GroupRow:
    key: str
    name: dict[str, str]
    figures: dict[str, int | None]  # COLUMNS -> the figure, None where the audience may not see it


@dataclass(frozen=True)
class AfterAction:
    round: Round
    audience: Audience
    groups: list[GroupRow]
    totals: dict[str, int | None]
    needs: int  # open needs raised in the round
    needs_answered: int  # of them, answered by an adopted clause
    adopted: int  # clauses of the published proposal with consensus
    commitments: int
    by_status: dict[str, int]
    delivered: int  # marked done by the agency
    checked: int  # commitments at least one member checked
    confirmed: int  # done, and more members said delivered than not
    checks: dict[str, int]  # members' answers, all commitments together
    flagged: dict[str, int]  # FLAGS -> commitments carrying it now
    first_published_at: datetime | None
    first_commitment_at: datetime | None

    @property
    def answered_share(self) -> int | None:
        return round(100 * self.needs_answered / self.needs) if self.needs else None

    @property
    def days_to_first_commitment(self) -> int | None:
        if self.first_published_at is None or self.first_commitment_at is None:
            return None
        return max(0, (self.first_commitment_at - self.first_published_at).days)


async def _per_group(session: AsyncSession, round_id: uuid.UUID, column: str) -> dict[uuid.UUID, int]:
    member = Membership.round_id == round_id
    if column in ("invites_made", "invites_used"):
        counted = func.sum(InviteCode.max_uses if column == "invites_made" else InviteCode.uses)
        rows = await session.execute(select(InviteCode.group_id, counted).where(InviteCode.round_id == round_id)
                                     .group_by(InviteCode.group_id))
        return {g: int(n or 0) for g, n in rows}
    if column == "members":
        rows = await session.execute(select(Membership.group_id, func.count()).where(member)
                                     .group_by(Membership.group_id))
        return {g: n for g, n in rows if g is not None}
    model, who, where = {"voted": (Vote, Vote.participant_id, Vote.round_id),
                         "commented": (Comment, Comment.author_id, Comment.round_id),
                         "raised_needs": (Need, Need.author_id, Need.round_id)}[column]
    rows = await session.execute(
        select(Membership.group_id, func.count(distinct(who))).select_from(model)
        .join(Membership, (Membership.participant_id == who) & member)
        .where(where == round_id).group_by(Membership.group_id))
    return {g: n for g, n in rows if g is not None}


def _rows(groups: Sequence[StakeholderGroup], counted: dict[str, dict[uuid.UUID, int]], audience: Audience
          ) -> tuple[list[GroupRow], dict[str, int | None]]:
    raw = {g.id: {c: counted[c].get(g.id, 0) for c in COLUMNS} for g in groups}
    # a group's figures rest on its members: a small group shows none of them outside the facilitators
    shown = {g.id: {c: v if discloses(audience, raw[g.id]["members"]) and
                    (c not in PEOPLE_COLUMNS or discloses(audience, v)) else None
                    for c, v in raw[g.id].items()} for g in groups}
    rows = [GroupRow(g.key, g.name, shown[g.id]) for g in groups]
    totals: dict[str, int | None] = {}
    for c in COLUMNS:
        parts = [raw[g.id][c] if c in PEOPLE_COLUMNS else raw[g.id]["members"] for g in groups]
        hidden = any(shown[g.id][c] is None for g in groups)
        totals[c] = sum(raw[g.id][c] for g in groups) if discloses_total(audience, parts) and not hidden else None
    return rows, totals


async def after_action(session: AsyncSession, round_: Round, audience: Audience, now: datetime) -> AfterAction:
    groups = list(await session.scalars(select(StakeholderGroup).where(StakeholderGroup.round_id == round_.id)
                                        .order_by(StakeholderGroup.key)))
    counted = {c: await _per_group(session, round_.id, c) for c in COLUMNS}
    rows, totals = _rows(groups, counted, audience)

    proposal = await published(session, round_.id)
    statuses = clause_statuses(await details.result_of(session, proposal), audience) if proposal else {}
    adopted = [uuid.UUID(c) for c, status in statuses.items() if status == "consensus"]
    needs = await session.scalar(select(func.count()).select_from(Need)
                                 .where(Need.round_id == round_.id, Need.status == "open")) or 0
    answered = await session.scalar(
        select(func.count(distinct(Need.id))).join(clause_needs, clause_needs.c.need_id == Need.id)
        .where(Need.round_id == round_.id, Need.status == "open", clause_needs.c.clause_id.in_(adopted))) or 0

    commitments = list(await session.scalars(select(Commitment).where(Commitment.round_id == round_.id)))
    ids = [c.id for c in commitments]
    per: dict[uuid.UUID, dict[str, int]] = {i: dict.fromkeys(CHECK_ANSWERS, 0) for i in ids}
    if ids:
        for commitment_id, answer, n in await session.execute(
                select(CommitmentCheck.commitment_id, CommitmentCheck.answer, func.count())
                .where(CommitmentCheck.commitment_id.in_(ids))
                .group_by(CommitmentCheck.commitment_id, CommitmentCheck.answer)):
            per[commitment_id][answer] = n
    days = (await stale_after(session, [round_.id]))[round_.id]
    flags = [flags_of(c, now, days) for c in commitments]
    by_status: dict[str, int] = {}
    for c in commitments:
        by_status[c.status] = by_status.get(c.status, 0) + 1
    first_published = await session.scalar(select(func.min(ConsolidatedProposal.published_at))
                                           .where(ConsolidatedProposal.round_id == round_.id))
    return AfterAction(
        round=round_, audience=audience, groups=rows, totals=totals, needs=needs, needs_answered=answered,
        adopted=len(adopted), commitments=len(commitments), by_status=by_status,
        delivered=by_status.get("done", 0),
        checked=sum(1 for i in ids if sum(per[i].values())),
        confirmed=sum(1 for c in commitments
                      if c.status == "done" and per[c.id]["delivered"] > per[c.id]["not_delivered"]),
        checks={a: sum(per[i][a] for i in ids) for a in CHECK_ANSWERS},
        flagged={f: sum(1 for found in flags if f in found) for f in FLAGS},
        first_published_at=first_published,
        first_commitment_at=min((c.created_at for c in commitments), default=None),
    )
