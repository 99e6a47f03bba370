"""Recording commitments, posting their updates, and members' own checks of delivery.

A round's facilitators (and administrators) record what an agency took on, once the round's
proposal is published, and post each update; every change appends to the commitment's history
and writes its event in the same transaction. Members check delivery themselves: one answer
each, a new one replaces it, and nobody but the member sees which answer was theirs.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from server import validation
from server.commitments.follow_up import reconcile, stale_after
from server.commitments.models import (
    CHECK_ANSWERS,
    COMMITMENT_STATUSES,
    Commitment,
    CommitmentCheck,
    CommitmentUpdate,
)
from server.commitments.rules import STATUS_NAMES, may_move
from server.consolidation import details
from server.consolidation.service import published
from server.drafts.models import Clause
from server.errors import Invalid, NotFound, NotPermitted, NotPublished
from server.events.service import record
from server.i18n import N_
from server.ids import uuid7
from server.people.models import Participant
from server.rounds.access import require_facilitator, require_member, standing

MAX_NAME = 200
MAX_NOTE = 2000
MAX_COMMENT = 1000
MAX_URL = 2000
# a due date outside these is a typing slip, most often a Buddhist-era year (2570 for 2027)
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
REJECTED_NEEDS_REASON = N_("Say why the agency rejected it.")


def check_due_date(invalid: Invalid, value: date | None) -> date | None:
    if value is not None and not EARLIEST <= value <= LATEST:
        invalid.add("due_date", N_("Enter a date between 2000 and 2100, in the Christian era (2570 BE is 2027)."))
    return value


def check_evidence_url(invalid: Invalid, value: str | None) -> str | None:
    """An http(s) address or nothing: it is shown as a link, so no other scheme may pass."""
    return validation.web_address(invalid, "evidence_url", value, max_length=MAX_URL, required=False) or None


async def record_commitment(session: AsyncSession, actor: Participant, clause_id: uuid.UUID, *, agency: str,
                            owner: str, due_date: date | None = None, status: str = "pending", note: str = "",
                            evidence_url: str | None = None) -> Commitment:
    """An agency takes on a clause of the round's published proposal. One commitment per agency and clause."""
    clause = await session.get(Clause, clause_id)
    if clause is None:
        raise NotFound("clause", clause_id)
    require_facilitator(await standing(session, clause.round_id, actor))
    proposal = await published(session, clause.round_id)
    if proposal is None:
        raise NotPublished(N_("Commitments are recorded once the round's proposal is published. Publish it first."))
    listed = await details.result_of(session, proposal, details.clauses([clause_id]))
    if str(clause_id) not in {c["clause_id"] for c in listed["clauses"]}:
        raise NotPublished(N_("Clause {n} is not in the published proposal. Publish a version that includes it "
                              "first."), n=clause.position)
    invalid = Invalid()
    agency = validation.text(invalid, "agency", agency, max_length=MAX_NAME)
    owner = validation.text(invalid, "owner", owner, max_length=MAX_NAME)
    validation.choice(invalid, "status", status, COMMITMENT_STATUSES)
    check_due_date(invalid, due_date)
    note = validation.text(invalid, "note", note, max_length=MAX_NOTE, required=False)
    evidence = check_evidence_url(invalid, evidence_url)
    if status == "rejected" and not note:
        invalid.add("note", REJECTED_NEEDS_REASON)
    if agency and "agency" not in invalid.fields and await session.scalar(select(Commitment.id).where(
            Commitment.clause_id == clause_id, func.lower(Commitment.agency) == agency.lower())):
        invalid.add("agency", N_("This agency has a commitment for this clause already: post an update to it."))
    invalid.raise_if_any()

    commitment = Commitment(round_id=clause.round_id, clause_id=clause_id, agency=agency, owner=owner,
                            due_date=due_date, status=status, reason=note if status == "rejected" else None,
                            created_by_id=actor.id, updated_at=datetime.now(UTC))
    session.add(commitment)
    await session.flush()
    update = CommitmentUpdate(commitment_id=commitment.id, previous_status=None, status=status, due_date=due_date,
                              note=note, evidence_url=evidence, recorded_by_id=actor.id)
    session.add(update)
    await session.flush()
    record(session, "commitment.recorded", round_id=clause.round_id, actor_id=actor.id, subject_id=commitment.id,
           clause_id=clause_id, update_id=update.id, agency=agency, status=status,
           due_date=due_date.isoformat() if due_date else None, evidence=evidence is not None)
    return commitment


async def update_commitment(session: AsyncSession, actor: Participant, commitment_id: uuid.UUID, *,
                            status: str | None = None, due_date: date | None = None, note: str = "",
                            evidence_url: str | None = None) -> Commitment:
    """Appends one step to the history: a new status, a moved due date, a note, evidence, or several.
    `status` None keeps the current one; `due_date` None keeps the current one."""
    commitment = await session.get(Commitment, commitment_id, with_for_update=True)
    if commitment is None:
        raise NotFound("commitment", commitment_id)
    require_facilitator(await standing(session, commitment.round_id, actor))
    current = commitment.status
    wanted = status or current
    invalid = Invalid()
    validation.choice(invalid, "status", wanted, COMMITMENT_STATUSES)
    if "status" not in invalid.fields and not may_move(current, wanted):
        invalid.add("status", N_("A commitment that is “{current}” cannot become “{wanted}”."),
                    current=STATUS_NAMES[current], wanted=STATUS_NAMES[wanted])
    check_due_date(invalid, due_date)
    note = validation.text(invalid, "note", note, max_length=MAX_NOTE, required=False)
    evidence = check_evidence_url(invalid, evidence_url)
    if wanted == "rejected" and current != "rejected" and not note:
        invalid.add("note", REJECTED_NEEDS_REASON)
    moved = due_date is not None and due_date != commitment.due_date
    if not invalid.fields and wanted == current and not moved and not note and evidence is None:
        invalid.add("note", N_("Say what changed: a new status, a new due date, a note or evidence."))
    invalid.raise_if_any()

    update = CommitmentUpdate(commitment_id=commitment.id, previous_status=current, status=wanted,
                              due_date=due_date if moved else None, note=note, evidence_url=evidence,
                              recorded_by_id=actor.id)
    if wanted != "rejected":
        commitment.reason = None
    elif current != "rejected":
        commitment.reason = note
    commitment.status = wanted
    if moved:
        commitment.due_date = due_date
    commitment.updated_at = datetime.now(UTC)
    session.add(update)
    await session.flush()
    record(session, "commitment.updated", round_id=commitment.round_id, actor_id=actor.id,
           subject_id=commitment.id, update_id=update.id, previous_status=current, status=wanted,
           due_date=due_date.isoformat() if moved and due_date else None, evidence=evidence is not None)
    # an update is news: a flag it clears is told now, not at the worker's next look
    days = (await stale_after(session, [commitment.round_id]))[commitment.round_id]
    reconcile(session, commitment, commitment.updated_at, days, actor_id=actor.id)
    return commitment


async def check_commitment(session: AsyncSession, actor: Participant, commitment_id: uuid.UUID, *, answer: str,
                           comment: str = "") -> CommitmentCheck:
    """A member's own word on delivery: delivered, partly or not delivered. Checking again replaces it."""
    commitment = await session.get(Commitment, commitment_id)
    if commitment is None:
        raise NotFound("commitment", commitment_id)
    mine = await standing(session, commitment.round_id, actor)
    require_member(mine)
    if mine.membership is None:  # an administrator from outside is not the community checking
        raise NotPermitted(N_("Only members of this round can check what was delivered."))
    invalid = Invalid()
    validation.choice(invalid, "answer", answer, CHECK_ANSWERS)
    comment = validation.text(invalid, "comment", comment, max_length=MAX_COMMENT, required=False)
    invalid.raise_if_any()
    statement = insert(CommitmentCheck).values(id=uuid7(), commitment_id=commitment.id, participant_id=actor.id,
                                               answer=answer, comment=comment)
    check = (await session.execute(
        statement.on_conflict_do_update(
            index_elements=[CommitmentCheck.commitment_id, CommitmentCheck.participant_id],
            set_={"answer": statement.excluded.answer, "comment": statement.excluded.comment,
                  "updated_at": func.now()},
        ).returning(CommitmentCheck),
        execution_options={"populate_existing": True},
    )).scalar_one()
    # the event says what was answered, never by whom (events/queries.py keeps its actor private)
    record(session, "commitment.checked", round_id=commitment.round_id, actor_id=actor.id,
           subject_id=commitment.id, answer=answer)
    return check
