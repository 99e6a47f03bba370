"""Staff accounts made in the browser: an administrator's one-time links, and the passphrase a person sets.

Ministry and civil-society staff get in without the command line: an administrator invites them by a
one-time link, and they choose a passphrase (kept only as an argon2 hash) or a personal sign-in link (kept
only as a SHA-256 hash, like every link and token: server/auth/service.py hash_secret).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from server.database import Base, HasId, Timestamped

PURPOSES = ("invitation", "sign_in")
INVITED_ROLES = ("facilitator", "drafter", "admin")


class StaffAccount(Timestamped, Base):
    """How one member of staff signs in on the web. Revoked accounts stay, so their history keeps a name."""

    __tablename__ = "staff_accounts"

    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"), primary_key=True)
    # the name they sign in with, folded (server/staff/passphrases.py fold): unique among accounts
    sign_in_name: Mapped[str] = mapped_column(String(120), unique=True)
    passphrase_hash: Mapped[str | None]  # None: they sign in by personal links only
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("participants.id"))
    revoked_at: Mapped[datetime | None]


class StaffLink(HasId, Timestamped, Base):
    """A one-time link: an invitation to become staff (role, organisation and rounds), or a person's sign-in
    link. Usable once, until it expires; only its hash is kept."""

    __tablename__ = "staff_links"
    __table_args__ = (
        CheckConstraint(f"purpose IN {PURPOSES}", name="purpose"),
        CheckConstraint(f"role IS NULL OR role IN {INVITED_ROLES}", name="role"),
        CheckConstraint("purpose = 'invitation' OR participant_id IS NOT NULL", name="whose"),
    )

    purpose: Mapped[str] = mapped_column(String(12))
    link_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str | None] = mapped_column(String(20))
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"))
    round_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID(as_uuid=True)), default=list)
    # a sign-in link's person; an invitation's once it was taken up
    participant_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("participants.id"), index=True)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("participants.id"))  # None: the CLI
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
