"""Commitments: what agencies took on for a published proposal's clauses, each update with its
evidence, and members' own checks of delivery (counts per answer; only the caller's own answer)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from schema import ids
from schema.common import row_field
from schema.context import Info
from schema.errors import ExpectedError, NotPublished, perform
from schema.permissions import FACILITATE, PARTICIPATE, facilitates
from schema.rounds import RoundNode
from server.commitments import service
from server.commitments.models import Commitment
from server.commitments.models import CommitmentUpdate as UpdateRow
from server.commitments.rules import flags_of

if TYPE_CHECKING:
    from schema.drafts import ClauseNode
    from schema.people import ParticipantNode

LazyClauseNode = Annotated["ClauseNode", strawberry.lazy("schema.drafts")]
LazyParticipantNode = Annotated["ParticipantNode", strawberry.lazy("schema.people")]


@strawberry.enum(description="Where a commitment stands; a rejection always carries its reason.")
class CommitmentStatus(Enum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    REJECTED = "rejected"


@strawberry.enum(description="A member's own word on delivery.")
class DeliveryCheck(Enum):
    DELIVERED = "delivered"
    PARTLY = "partly"
    NOT_DELIVERED = "not_delivered"


@strawberry.enum(description="Why a commitment needs chasing: its due date has passed (OVERDUE), or nothing was "
                             "posted on it for the round's number of days (STALE). Done or rejected ones carry none.")
class CommitmentFlag(Enum):
    OVERDUE = "overdue"
    STALE = "stale"


async def flags_now(info: Info, commitment: Commitment) -> list[CommitmentFlag]:
    """The one rule (server/commitments/rules.py), read now, with the round's own number of days."""
    days = await info.context.loaders.stale_after_days.load(commitment.round_id)
    return [CommitmentFlag(f) for f in flags_of(commitment, datetime.now(UTC), days)]


@strawberry.type(description="How many of the round's members gave each answer on delivery. Never who.")
class DeliveryCheckCounts:
    delivered: int
    partly: int
    not_delivered: int
    total: int


@strawberry.type(name="CommitmentCheck", description="Your own check of a commitment's delivery.")
class CommitmentCheckResult:
    answer: DeliveryCheck
    comment: str
    updated_at: datetime


@strawberry.type(description="One step in a commitment's history; the first is its recording. Never changed.")
class CommitmentUpdate:
    row: strawberry.Private[UpdateRow]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.row.id))

    @strawberry.field(description="The status after this step.")
    def status(self) -> CommitmentStatus:
        return CommitmentStatus(self.row.status)

    @strawberry.field(description="The status before it; null for the recording.")
    def previous_status(self) -> CommitmentStatus | None:
        return CommitmentStatus(self.row.previous_status) if self.row.previous_status else None

    due_date: date | None = row_field("due_date", description="The due date this step set or moved to; null when it left it as it was.")

    note: str = row_field("note")

    evidence_url: str | None = row_field("evidence_url")

    created_at: datetime = row_field("created_at")

    @strawberry.field(description="Who posted it: for the round's facilitators only (null otherwise).")
    async def recorded_by(self, info: Info) -> LazyParticipantNode | None:
        from schema.people import ParticipantNode as Participant

        commitment = await info.context.loaders.commitment.load(self.row.commitment_id)
        if commitment is None or not await facilitates(info, commitment.round_id):
            return None
        return Participant(row=await info.context.loaders.participant.load(self.row.recorded_by_id))


@strawberry.type(name="Commitment", description="A clause of a published proposal taken on by an agency.")
class CommitmentNode(relay.Node):
    row: strawberry.Private[Commitment]

    @classmethod
    def resolve_id(cls, root: CommitmentNode, *, info: Info) -> str:
        return str(root.row.id)

    @strawberry.field
    async def round(self, info: Info) -> RoundNode:
        return RoundNode(row=await info.context.loaders.round.load(self.row.round_id))

    @strawberry.field(description="The clause it answers (its adopted text may be an amendment: see the proposal).")
    async def clause(self, info: Info) -> LazyClauseNode:
        from schema.drafts import ClauseNode as Clause

        return Clause(row=await info.context.loaders.clause.load(self.row.clause_id))

    agency: str = row_field("agency")

    owner: str = row_field("owner", description="The person or office responsible.")

    due_date: date | None = row_field("due_date")

    @strawberry.field
    def status(self) -> CommitmentStatus:
        return CommitmentStatus(self.row.status)

    reason: str | None = row_field("reason", description="Why the agency rejected it, while it is rejected.")

    created_at: datetime = row_field("created_at")

    updated_at: datetime = row_field("updated_at")

    @strawberry.field(description="Why it needs chasing now; empty when it does not.")
    async def flags(self, info: Info) -> list[CommitmentFlag]:
        return await flags_now(info, self.row)

    @strawberry.field(description="Its history, oldest first.")
    async def updates(self, info: Info) -> list[CommitmentUpdate]:
        return [CommitmentUpdate(row=u) for u in await info.context.loaders.commitment_updates.load(self.row.id)]

    @strawberry.field(description="What the round's members say was delivered, as counts per answer.")
    async def checks(self, info: Info) -> DeliveryCheckCounts:
        counts = await info.context.loaders.commitment_checks.load(self.row.id)
        return DeliveryCheckCounts(delivered=counts["delivered"], partly=counts["partly"],
                                   not_delivered=counts["not_delivered"], total=sum(counts.values()))

    @strawberry.field(description="Your own check of it, if you gave one.")
    async def viewer_check(self, info: Info) -> CommitmentCheckResult | None:
        if info.context.viewer is None:
            return None
        mine = await info.context.loaders.own_check.load(self.row.id)
        if mine is None:
            return None
        return CommitmentCheckResult(answer=DeliveryCheck(mine.answer), comment=mine.comment,
                                     updated_at=mine.updated_at)


@strawberry.input
class RecordCommitmentInput:
    clause_id: strawberry.ID = strawberry.field(description="A clause of the round's published proposal.")
    agency: str
    owner: str = strawberry.field(description="The person or office responsible.")
    due_date: date | None = None
    status: CommitmentStatus = CommitmentStatus.PENDING
    note: str = strawberry.field(default="", description="Needed when the status is REJECTED: the reason.")
    evidence_url: str | None = None


@strawberry.input
class UpdateCommitmentInput:
    commitment_id: strawberry.ID
    status: CommitmentStatus | None = strawberry.field(default=None, description="Null keeps the current status.")
    due_date: date | None = strawberry.field(default=None, description="Null keeps the current due date.")
    note: str = strawberry.field(default="", description="Needed when it becomes REJECTED: the reason.")
    evidence_url: str | None = None


RecordCommitmentResult = Annotated[CommitmentNode | ExpectedError | NotPublished, strawberry.union("RecordCommitmentResult")]
UpdateCommitmentResult = Annotated[CommitmentNode | ExpectedError, strawberry.union("UpdateCommitmentResult")]
CheckCommitmentResult = Annotated[CommitmentNode | ExpectedError, strawberry.union("CheckCommitmentResult")]


@strawberry.type
class CommitmentMutations:
    @strawberry.mutation(description="Record an agency's commitment to a clause of the published proposal "
                                     "(the round's facilitators). One per agency and clause.")
    async def record_commitment(self, info: Info, input: RecordCommitmentInput) -> RecordCommitmentResult:
        async def act(session, actor):
            return await service.record_commitment(
                session, actor, ids.decode(input.clause_id, "Clause"), agency=input.agency, owner=input.owner,
                due_date=input.due_date, status=input.status.value, note=input.note, evidence_url=input.evidence_url)

        return await perform(info, FACILITATE, act, lambda c: CommitmentNode(row=c))

    @strawberry.mutation(description="Add a step to a commitment's history: a new status, a moved due date, a note "
                                     "or evidence (the round's facilitators). Earlier steps never change.")
    async def update_commitment(self, info: Info, input: UpdateCommitmentInput) -> UpdateCommitmentResult:
        async def act(session, actor):
            return await service.update_commitment(
                session, actor, ids.decode(input.commitment_id, "Commitment"),
                status=input.status.value if input.status else None, due_date=input.due_date, note=input.note,
                evidence_url=input.evidence_url)

        return await perform(info, FACILITATE, act, lambda c: CommitmentNode(row=c))

    @strawberry.mutation(description="Say whether a commitment was delivered, as you see it (members of its round). "
                                     "Checking again replaces your answer; only counts are shown to others.")
    async def check_commitment(self, info: Info, commitment_id: strawberry.ID, answer: DeliveryCheck,
                               comment: str = "") -> CheckCommitmentResult:
        async def act(session, actor):
            commitment_uuid = ids.decode(commitment_id, "Commitment")
            await service.check_commitment(session, actor, commitment_uuid, answer=answer.value, comment=comment)
            return await session.get(Commitment, commitment_uuid)

        return await perform(info, PARTICIPATE, act, lambda c: CommitmentNode(row=c))
