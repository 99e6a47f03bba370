"""Policy drafts, their ordered clauses (linked to the needs they answer) and amendments."""

from __future__ import annotations

import uuid

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    String,
    Table,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.database import Base, HasId, Timestamped

DRAFT_STATUSES = ("open", "withdrawn")
# A clause is "current" (part of its draft as it stands), "superseded" (an earlier text, kept with the
# votes, comments and amendments given on it) or "withdrawn" (taken out before voting opened).
CLAUSE_STATUSES = ("current", "superseded", "withdrawn")
CURRENT = "current"

clause_needs = Table(
    "clause_needs",
    Base.metadata,
    Column("clause_id", ForeignKey("clauses.id", ondelete="CASCADE"), primary_key=True),
    Column("need_id", ForeignKey("needs.id"), primary_key=True, index=True),
)


class Draft(HasId, Timestamped, Base):
    __tablename__ = "drafts"
    __table_args__ = (CheckConstraint(f"status IN {DRAFT_STATUSES}", name="status"),)

    round_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rounds.id"), index=True)
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"))
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"))
    title: Mapped[str]
    summary: Mapped[str] = mapped_column(default="")
    language: Mapped[str] = mapped_column(String(12), default="th")
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(JSONB, default=dict)
    status: Mapped[str] = mapped_column(String(12), default="open")


class Clause(HasId, Timestamped, Base):
    __tablename__ = "clauses"
    __table_args__ = (
        # unique among the draft's current clauses, checked at commit so that two can swap places
        ExcludeConstraint(("draft_id", "="), ("position", "="), name="xc_clauses_current_position",
                          using="btree", where=text("status = 'current'"), deferrable=True, initially="DEFERRED"),
        UniqueConstraint("round_id", "external_id"),
        CheckConstraint(f"status IN {CLAUSE_STATUSES}", name="status"),
    )

    draft_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"))
    round_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rounds.id"), index=True)
    position: Mapped[int]
    text: Mapped[str]
    language: Mapped[str] = mapped_column(String(12), default="th")
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(JSONB, default=dict)
    external_id: Mapped[str | None]
    status: Mapped[str] = mapped_column(String(12), default=CURRENT, server_default=CURRENT)
    # the earlier version this one replaced, once voting had opened on it
    supersedes_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clauses.id"), unique=True, index=True)


class Amendment(HasId, Timestamped, Base):
    """An alternative text for a clause, voted like a clause."""

    __tablename__ = "amendments"

    clause_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clauses.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rounds.id"), index=True)
    proposed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("participants.id"))
    entered_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"))
    proxy_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("proxy_records.id"))
    text: Mapped[str]
    rationale: Mapped[str] = mapped_column(default="")
    language: Mapped[str] = mapped_column(String(12), default="th")
