"""Organisations, communities, participants and what they consented to."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from server.database import Base, HasId, Timestamped

ROLES = ("participant", "facilitator", "admin", "integrator", "drafter")
ORGANISATION_KINDS = ("government", "cso", "community", "academic")
CONSENT_PURPOSES = ("data_processing", "sensitive_data")
CONSENT_METHODS = ("online", "verbal", "written", "thumbprint")


class Organisation(HasId, Timestamped, Base):
    __tablename__ = "organisations"
    __table_args__ = (CheckConstraint(f"kind IN {ORGANISATION_KINDS}", name="kind"),)

    name_th: Mapped[str]
    name_en: Mapped[str]
    kind: Mapped[str] = mapped_column(String(20))


class Community(HasId, Timestamped, Base):
    __tablename__ = "communities"

    name_th: Mapped[str]
    name_en: Mapped[str]
    area_code: Mapped[str | None] = mapped_column(ForeignKey("admin_areas.code"))
    languages: Mapped[list[str]] = mapped_column(ARRAY(String(12)), default=list)


class Participant(HasId, Timestamped, Base):
    __tablename__ = "participants"
    __table_args__ = (
        CheckConstraint(f"role IN {ROLES}", name="role"),
        UniqueConstraint("external_source", "external_id"),
    )

    display_name: Mapped[str]
    role: Mapped[str] = mapped_column(String(20), default="participant")
    locale: Mapped[str] = mapped_column(String(5), default="th")
    languages: Mapped[list[str]] = mapped_column(ARRAY(String(12)), default=list)
    contact: Mapped[str | None]
    community_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("communities.id"))
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"))
    external_source: Mapped[str | None]
    external_id: Mapped[str | None]
    withdrawn_at: Mapped[datetime | None]
    # raised to end every web session of this person at once (server/auth/sessions.py): signing out, withdrawing
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")


class SensitiveData(Base):
    """PDPA sensitive data, kept apart from the participant row and only with its own consent."""

    __tablename__ = "sensitive_data"

    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    ethnicity: Mapped[str | None]
    disability: Mapped[str | None]
    health: Mapped[str | None]
    updated_at: Mapped[datetime]


class ConsentRecord(HasId, Timestamped, Base):
    """Append-only: a withdrawal is a new record with granted = false."""

    __tablename__ = "consent_records"
    __table_args__ = (
        CheckConstraint(f"purpose IN {CONSENT_PURPOSES}", name="purpose"),
        CheckConstraint(f"method IN {CONSENT_METHODS}", name="method"),
    )

    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    granted: Mapped[bool]
    method: Mapped[str] = mapped_column(String(12))
    notice_version: Mapped[str] = mapped_column(String(20))
    recorded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"))
    proxy_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("proxy_records.id"))
