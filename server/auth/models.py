"""Credentials: API tokens for integrators, invite codes for joining a round, and re-entry cards.

Only hashes are stored; the plain token or code is shown once, when it is made.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from server.database import Base, HasId, Timestamped

READ, PARTICIPATE, FACILITATE, ADMIN = "read", "participate", "facilitate", "admin"
SCOPES = (READ, PARTICIPATE, FACILITATE, ADMIN)


class ApiToken(HasId, Timestamped, Base):
    __tablename__ = "api_tokens"
    __table_args__ = (CheckConstraint("scopes <@ ARRAY['read','participate','facilitate','admin']::varchar[]",
                                      name="scopes"),)

    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"), index=True)
    name: Mapped[str]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(ARRAY(String(20)))
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("participants.id"))
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


class InviteCode(HasId, Timestamped, Base):
    """Joins a person to a round and one of its groups: no e-mail, no password."""

    __tablename__ = "invite_codes"
    __table_args__ = (CheckConstraint("uses <= max_uses", name="uses"),)

    round_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stakeholder_groups.id"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"))
    max_uses: Mapped[int] = mapped_column(default=1)
    uses: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class ReEntryCard(HasId, Timestamped, Base):
    """A person's own way back in, on another phone or after the cookies are gone: no e-mail, no password.

    At most one stands per person (the partial unique index): a new card revokes the old one.
    """

    __tablename__ = "re_entry_cards"
    __table_args__ = (Index("uq_re_entry_cards_standing", "participant_id", unique=True,
                            postgresql_where=text("revoked_at IS NULL")),)

    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"))
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
