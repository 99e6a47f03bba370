"""Commitments: a published clause taken on by an agency, its history of updates, members' checks, and
each round's follow-through setting.

Updates are only ever added, never changed, so a commitment's history is its audit trail: who
moved it from which status to which, when, why, and with what evidence.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from server.database import Base, HasId, Timestamped

COMMITMENT_STATUSES = ("pending", "accepted", "in_progress", "done", "rejected")
CHECK_ANSWERS = ("delivered", "partly", "not_delivered")


class Commitment(HasId, Timestamped, Base):
    __tablename__ = "commitments"
    __table_args__ = (
        CheckConstraint(f"status IN {COMMITMENT_STATUSES}", name="status"),
        CheckConstraint("status <> 'rejected' OR length(btrim(coalesce(reason, ''))) > 0", name="rejected_reason"),
        UniqueConstraint("clause_id", "agency"),
    )

    round_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    # the clause, not the text that stood for it: an amendment adopted later still answers the same clause
    clause_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clauses.id", ondelete="CASCADE"))
    agency: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(12), default="pending")
    reason: Mapped[str | None]  # why the agency rejected it; kept only while it is rejected
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"))
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())
    # the follow-through flags last recorded (rules.FLAGS), kept so that each is told once: readers
    # ask rules.flags_of, which is the rule, never this column
    flags: Mapped[list[str]] = mapped_column(ARRAY(String(12)), default=list, server_default="{}")


class CommitmentSettings(Base):
    """A round's follow-through setting; a round without a row uses rules.STALE_AFTER_DAYS."""

    __tablename__ = "commitment_settings"
    __table_args__ = (CheckConstraint("stale_after_days BETWEEN 1 AND 730", name="stale_after_days"),)

    round_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    stale_after_days: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())


class CommitmentUpdate(HasId, Timestamped, Base):
    """One step in a commitment's history; the first is its recording (no previous status)."""

    __tablename__ = "commitment_updates"
    __table_args__ = (
        CheckConstraint(f"status IN {COMMITMENT_STATUSES}", name="status"),
        CheckConstraint(f"previous_status IS NULL OR previous_status IN {COMMITMENT_STATUSES}",
                        name="previous_status"),
    )

    commitment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    previous_status: Mapped[str | None] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(12))
    due_date: Mapped[date | None]  # set when this update set or moved the due date
    note: Mapped[str] = mapped_column(default="")
    evidence_url: Mapped[str | None]
    recorded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"))

    @property
    def changed_status(self) -> bool:
        return self.previous_status is not None and self.previous_status != self.status


class CommitmentCheck(HasId, Timestamped, Base):
    """A member's own check of delivery: one per person and commitment, a re-check replaces it."""

    __tablename__ = "commitment_checks"
    __table_args__ = (
        UniqueConstraint("commitment_id", "participant_id"),
        CheckConstraint(f"answer IN {CHECK_ANSWERS}", name="answer"),
    )

    commitment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"))
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"), index=True)
    answer: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(default="")
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())
