"""Stored consolidation results: one row per version of a round's proposal."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from server.database import Base, HasId, Timestamped


class ConsolidatedProposal(HasId, Timestamped, Base):
    __tablename__ = "consolidated_proposals"
    __table_args__ = (UniqueConstraint("round_id", "version"),)

    round_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    version: Mapped[int]
    algorithm_version: Mapped[str] = mapped_column(String(20))
    parameters: Mapped[dict[str, Any]] = mapped_column(JSONB)
    # sha256 of the inputs: the same inputs give the same result, so an unchanged hash stores nothing new
    inputs_hash: Mapped[str] = mapped_column(String(64))
    last_event_id: Mapped[uuid.UUID | None]
    input_counts: Mapped[dict[str, int]] = mapped_column(JSONB)
    result: Mapped[dict[str, Any]] = mapped_column(JSONB)
    changes: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    published_at: Mapped[datetime | None]
