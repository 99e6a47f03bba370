"""The event log, which is also the transactional outbox the relay reads."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from server.database import Base, HasId, Timestamped


class Event(HasId, Timestamped, Base):
    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_round", "round_id", "id"),
        Index("ix_events_unpublished", "id", postgresql_where=text("published_at IS NULL")),
    )

    type: Mapped[str] = mapped_column(String(60))
    round_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("rounds.id"))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("participants.id"))
    subject_id: Mapped[uuid.UUID | None]
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    published_at: Mapped[datetime | None]
