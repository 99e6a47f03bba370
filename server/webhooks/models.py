"""Webhooks: integrators who cannot hold a socket open get a round's events by signed POST."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from server.database import Base, HasId, Timestamped

DELIVERY_STATES = ("pending", "delivered", "failed")


class Webhook(HasId, Timestamped, Base):
    __tablename__ = "webhooks"

    round_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    url: Mapped[str]
    event_types: Mapped[list[str]] = mapped_column(ARRAY(String(60)))  # empty: every type
    # shared with the receiver to sign deliveries (HMAC-SHA256), so it is kept, not hashed
    secret: Mapped[str] = mapped_column(String(100))
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"))
    active: Mapped[bool] = mapped_column(default=True)


class WebhookDelivery(HasId, Timestamped, Base):
    """One event for one webhook: its attempts and what the receiver answered."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("webhook_id", "event_id"),
        CheckConstraint(f"status IN {DELIVERY_STATES}", name="status"),
        # what the sweep (workers/sweep.py) looks for: pending deliveries whose attempt is overdue
        Index("ix_webhook_deliveries_pending", text("coalesce(next_attempt_at, created_at)"),
              postgresql_where=text("status = 'pending'")),
    )

    webhook_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id"))
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None]
    next_attempt_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
