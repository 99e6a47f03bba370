"""Votes and comments: the deliberation on clauses and amendments."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, SmallInteger, String, Table, Uuid, func
from sqlalchemy.dialects.postgresql.base import ischema_names
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import UserDefinedType

from server.database import Base, HasId, Timestamped

VOTE_VALUES = {"agree": 1, "disagree": -1, "pass": 0}
VOTE_CHOICES = {value: choice for choice, value in VOTE_VALUES.items()}  # stored value -> word
STANCES = ("support", "oppose", "question", "amend")
MODERATION_STATES = ("visible", "pending", "hidden")


class TransactionId(UserDefinedType[int]):
    """PostgreSQL's xid8: the id of the transaction that wrote a row, which a snapshot can be asked about."""

    cache_ok = True

    def get_col_spec(self, **kw: object) -> str:
        return "xid8"


class Vote(HasId, Timestamped, Base):
    """One per participant and target (a clause, or an amendment of it); a re-vote replaces."""

    __tablename__ = "votes"
    __table_args__ = (
        CheckConstraint("value IN (-1, 0, 1)", name="value"),
        Index(
            "uq_votes_participant_target",
            "participant_id",
            "clause_id",
            "amendment_id",
            unique=True,
            postgresql_nulls_not_distinct=True,
        ),
        Index("ix_votes_round", "round_id"),
        Index("ix_votes_round_changed", "round_id", "changed_xid"),
    )

    round_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rounds.id"))
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"))
    clause_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clauses.id", ondelete="CASCADE"))
    amendment_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("amendments.id", ondelete="CASCADE")
    )
    value: Mapped[int] = mapped_column(SmallInteger)
    entered_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"))
    proxy_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("proxy_records.id"))
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())
    # The transaction that last wrote the vote, set by a trigger (migration 0026) whatever writes it: what a
    # worker's incremental read asks a snapshot about (server/consolidation/vote_cache.py). Never loaded.
    changed_xid: Mapped[int | None] = mapped_column(TransactionId(), server_default=func.pg_current_xact_id(),
                                                    deferred=True)


# A statement that deleted votes of a round (its clause or amendment deleted) leaves a row here, written by a
# trigger (migration 0026): an incremental read since before it must read the round's votes all again.
vote_deletions = Table(
    "vote_deletions", Base.metadata,
    Column("round_id", Uuid, nullable=False),
    Column("xid", TransactionId(), nullable=False, server_default=func.pg_current_xact_id()),
    Index("ix_vote_deletions_round", "round_id", "xid"),
)


class Comment(HasId, Timestamped, Base):
    __tablename__ = "comments"
    __table_args__ = (
        CheckConstraint(
            "num_nonnulls(need_id, draft_id, clause_id) = 1", name="one_target"
        ),
        CheckConstraint(f"stance IN {STANCES}", name="stance"),
        CheckConstraint(f"moderation IN {MODERATION_STATES}", name="moderation"),
    )

    round_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rounds.id"), index=True)
    need_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("needs.id"), index=True)
    draft_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("drafts.id"), index=True)
    clause_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clauses.id"), index=True)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("comments.id"), index=True)
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("participants.id"))
    entered_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"))
    proxy_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("proxy_records.id"))
    stance: Mapped[str] = mapped_column(String(12))
    body: Mapped[str]
    language: Mapped[str] = mapped_column(String(12), default="th")
    moderation: Mapped[str] = mapped_column(String(12), default="visible")
    moderation_reason: Mapped[str | None]
    moderated_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("participants.id"))
    moderated_at: Mapped[datetime | None]


# SQLAlchemy's PostgreSQL dialect does not know xid8: without this, reflecting the votes table (the migration
# check, Alembic's autogenerate) warns and compares the column as of no type.
ischema_names["xid8"] = TransactionId
