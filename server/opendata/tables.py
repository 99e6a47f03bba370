"""The rows of each open data table (dictionary.py), read for the public from a round's published proposal.

What the public may read is decided by the rules every other reader uses: a need by needs/rules.py (open
ones only, its group only where that group has at least 3 members), the proposal's figures by
consolidation/rules.py with the PUBLIC audience (a group's figures on a statement resting on fewer than 3
voters left out, the status read as under_heard). No row holds a person's id or name: not a need's author,
who typed it in or through which proxy record, nor who recorded a commitment.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.commitments.models import Commitment
from server.commitments.queries import check_counts, updates_of
from server.consolidation.models import ConsolidatedProposal
from server.consolidation.queries import shown_version
from server.consolidation.rules import FIGURES
from server.disclosure import PUBLIC, discloses
from server.drafts.models import CURRENT, Amendment, Clause, Draft, clause_needs
from server.needs import rules as need_rules
from server.needs.models import Need
from server.people.models import Organisation
from server.rounds.models import Membership, Round, StakeholderGroup

Row = dict[str, Any]


@dataclass(frozen=True)
class PublishedRound:
    """A round with its newest published proposal, as the public reads it (rules.shown)."""

    round: Round
    proposal: ConsolidatedProposal
    result: dict[str, Any]


async def read_published(session: AsyncSession, round_: Round, proposal: ConsolidatedProposal) -> PublishedRound:
    return PublishedRound(round_, proposal, (await shown_version(session, proposal, PUBLIC)).result)


async def groups(session: AsyncSession, published: PublishedRound) -> list[Row]:
    names = {g.key: g.name for g in await session.scalars(
        select(StakeholderGroup).where(StakeholderGroup.round_id == published.round.id))}
    return [{"group": g["key"], "name_th": names.get(g["key"], {}).get("th", ""),
             "name_en": names.get(g["key"], {}).get("en", ""), "quorum": g["quorum"],
             "participants": g["participants"], "fewer_than_three": g["small"]}
            for g in published.result.get("groups", [])]


async def needs(session: AsyncSession, published: PublishedRound) -> list[Row]:
    round_id = published.round.id
    members = dict((await session.execute(
        select(StakeholderGroup.id, func.count(Membership.participant_id))
        .outerjoin(Membership, Membership.group_id == StakeholderGroup.id)
        .where(StakeholderGroup.round_id == round_id).group_by(StakeholderGroup.id))).all())
    keys = dict((await session.execute(select(StakeholderGroup.id, StakeholderGroup.key)
                                       .where(StakeholderGroup.round_id == round_id))).all())
    found = await session.scalars(select(Need).where(Need.round_id == round_id).order_by(Need.created_at, Need.id))
    return [{
        "need_id": str(n.id), "created_on": n.created_at.date().isoformat(), "area_code": n.area_code,
        "sector": n.sector_code, "hazards": list(n.hazards), "severity": n.severity,
        "people_affected": n.people_affected, "title": n.title, "body": n.body, "language": n.language,
        "group": keys[n.group_id] if n.group_id in keys and need_rules.group_shown(PUBLIC, members[n.group_id])
        else "",
    } for n in found if need_rules.visible(n, PUBLIC)]


async def clauses(session: AsyncSession, published: PublishedRound) -> list[Row]:
    round_id = published.round.id
    rows = (await session.execute(
        select(Clause, Draft, Organisation).join(Draft, Draft.id == Clause.draft_id)
        .outerjoin(Organisation, Organisation.id == Draft.organisation_id)
        .where(Clause.round_id == round_id, Clause.status == CURRENT, Draft.status == "open")
        .order_by(Draft.created_at, Draft.id, Clause.position))).all()
    ids = [clause.id for clause, _, _ in rows]
    answers: dict[uuid.UUID, list[str]] = {}
    if ids:
        for clause_id, need_id in (await session.execute(
                select(clause_needs.c.clause_id, clause_needs.c.need_id).join(Need, Need.id == clause_needs.c.need_id)
                .where(clause_needs.c.clause_id.in_(ids), Need.status.in_(need_rules.SHOWN_TO_EVERYONE))
                .order_by(clause_needs.c.need_id))).all():
            answers.setdefault(clause_id, []).append(str(need_id))
    proposed = {c["clause_id"]: c for c in published.result.get("clauses", [])}
    found = []
    for clause, draft, organisation in rows:
        in_proposal = proposed.get(str(clause.id))
        found.append({
            "clause_id": str(clause.id), "draft_id": str(draft.id), "draft_title": draft.title,
            "organisation_th": organisation.name_th if organisation else "",
            "organisation_en": organisation.name_en if organisation else "",
            "clause_number": clause.position, "text": clause.text, "language": clause.language,
            "needs_answered": answers.get(clause.id, []),
            "status": in_proposal["status"] if in_proposal else None,
            "amended": bool(in_proposal.get("amended")) if in_proposal else None,
            "adopted_statement_id": in_proposal["adopted"] if in_proposal else None,
        })
    return found


async def votes(session: AsyncSession, published: PublishedRound) -> list[Row]:
    statements = published.result.get("statements", [])
    texts = await _statement_texts(session, [s["id"] for s in statements])
    found = []
    for s in statements:
        for key, cell in s.get("groups", {}).items():
            # rules.shown has nulled a hidden cell's figures already; asking discloses again keeps this
            # table right even if a stored result were read without it
            shown = cell["seen"] is not None and discloses(PUBLIC, cell["seen"])
            figures: dict[str, Any] = cell if shown else dict.fromkeys(FIGURES)
            found.append({
                "statement_id": s["id"], "statement_kind": s["kind"], "clause_id": s["clause_id"],
                "statement_text": texts.get(s["id"], ""), "status": s["status"], "group": key,
                "agree": figures["agree"], "disagree": figures["disagree"],
                "pass": cell["seen"] - cell["agree"] - cell["disagree"] if shown else None,
                "seen": figures["seen"], "shown": shown,
            })
    return found


async def commitments(session: AsyncSession, published: PublishedRound) -> list[Row]:
    found = list(await session.scalars(select(Commitment).where(Commitment.round_id == published.round.id)
                                       .order_by(Commitment.created_at, Commitment.id)))
    checks = await check_counts(session, [c.id for c in found])
    return [{
        "commitment_id": str(c.id), "clause_id": str(c.clause_id), "agency": c.agency, "owner": c.owner,
        "due_date": c.due_date.isoformat() if c.due_date else None, "status": c.status, "reason": c.reason,
        "recorded_at": _utc(c.created_at), "updated_at": _utc(c.updated_at),
        "checks_delivered": checks[c.id]["delivered"], "checks_partly": checks[c.id]["partly"],
        "checks_not_delivered": checks[c.id]["not_delivered"],
    } for c in found]


async def commitment_updates(session: AsyncSession, published: PublishedRound) -> list[Row]:
    ids = list(await session.scalars(select(Commitment.id).where(Commitment.round_id == published.round.id)
                                     .order_by(Commitment.created_at, Commitment.id)))
    history = await updates_of(session, ids)
    return [{
        "update_id": str(u.id), "commitment_id": str(u.commitment_id), "created_at": _utc(u.created_at),
        "previous_status": u.previous_status, "status": u.status,
        "due_date": u.due_date.isoformat() if u.due_date else None, "note": u.note, "evidence_url": u.evidence_url,
    } for commitment_id in ids for u in history.get(commitment_id, [])]


def _utc(moment: datetime) -> str:
    """The Table Schema's default datetime format: UTC, to the second."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


async def _statement_texts(session: AsyncSession, ids: list[str]) -> dict[str, str]:
    wanted = [uuid.UUID(i) for i in ids]
    if not wanted:
        return {}
    found = {str(i): t for i, t in (await session.execute(select(Clause.id, Clause.text)
                                                          .where(Clause.id.in_(wanted)))).all()}
    found.update({str(i): t for i, t in (await session.execute(select(Amendment.id, Amendment.text)
                                                               .where(Amendment.id.in_(wanted)))).all()})
    return found


BUILDERS = {"groups": groups, "needs": needs, "clauses": clauses, "votes": votes, "commitments": commitments,
            "commitment_updates": commitment_updates}
