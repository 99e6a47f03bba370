"""Phones that asked to be told of news, what each person was last told, and the rounds with news to tell."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column

from server.database import Base, HasId, Timestamped


class PushSubscription(HasId, Timestamped, Base):
    """One browser on one phone, as its push service named it. The endpoint is a secret address: whoever
    holds it (and the keys) can reach that phone, so it is never shown or exported."""

    __tablename__ = "push_subscriptions"

    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"),
                                                      index=True)
    endpoint: Mapped[str] = mapped_column(String(1000), unique=True)
    p256dh: Mapped[str] = mapped_column(String(100))  # the browser's public key, base64url
    auth: Mapped[str] = mapped_column(String(40))  # the browser's auth secret, base64url


class PushMark(Base):
    """Up to when a person was told of a round's news, and when they were last pushed about it."""

    __tablename__ = "push_marks"

    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"),
                                                      primary_key=True)
    round_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    told_until: Mapped[datetime]
    pushed_at: Mapped[datetime]


class PushDue(Base):
    """A round whose news its members' phones have not been told yet: the outbox relay asks, the worker's
    push loop takes it when `due_at` comes."""

    __tablename__ = "push_due"

    round_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    due_at: Mapped[datetime] = mapped_column(server_default=func.now())


class VapidKey(Base):
    """The installation's one key for signing pushes, made by whichever process needs it first."""

    __tablename__ = "vapid_keys"
    __table_args__ = (CheckConstraint("id = 1", name="one"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    private_key: Mapped[str] = mapped_column(String(100))  # the P-256 scalar, base64url
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
