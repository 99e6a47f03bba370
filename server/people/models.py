"""Organisations, communities, participants and what they consented to."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from server.database import Base, HasId, Timestamped

ROLES = ("participant", "facilitator", "admin", "integrator", "drafter")
ORGANISATION_KINDS = ("government", "cso", "community", "academic")
CONSENT_PURPOSES = ("data_processing", "sensitive_data", "exclusion_data")
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


# Exclusion data (server/exclusion/): who cannot reach public services, and why. Answers are codes from
# these fixed lists, each optional; the words shown for them are the pages'.
ID_DOCUMENTS = ("thai_id", "pink_card", "none", "prefer_not")
WELFARE_CARDS = ("has", "not", "dont_know")
DISABILITY_CARDS = ("has", "eligible_not_held", "no")
SERVICES = ("health", "school", "welfare", "water", "electricity", "legal")
REASONS = ("language", "distance", "documents", "cost", "other")


def _within(column: str, codes: tuple[str, ...]) -> str:
    return f"{column} <@ ARRAY[{', '.join(repr(c) for c in codes)}]::varchar[]"


class ExclusionRecord(Base):
    """What keeps a person from public services, kept apart like SensitiveData and only with the
    "exclusion_data" consent: withdrawing it, or leaving Ruam, deletes the row."""

    __tablename__ = "exclusion_records"
    __table_args__ = (
        CheckConstraint(f"id_document IN {ID_DOCUMENTS}", name="id_document"),
        CheckConstraint(f"welfare_card IN {WELFARE_CARDS}", name="welfare_card"),
        CheckConstraint(f"disability_card IN {DISABILITY_CARDS}", name="disability_card"),
        CheckConstraint(_within("services_missed", SERVICES), name="services_missed"),
        CheckConstraint(_within("reasons", REASONS), name="reasons"),
    )

    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    id_document: Mapped[str | None] = mapped_column(String(12))
    welfare_card: Mapped[str | None] = mapped_column(String(12))
    disability_card: Mapped[str | None] = mapped_column(String(20))
    services_missed: Mapped[list[str]] = mapped_column(ARRAY(String(20)), default=list, server_default=text("'{}'"))
    reasons: Mapped[list[str]] = mapped_column(ARRAY(String(20)), default=list, server_default=text("'{}'"))
    # where they live (a district, or any province/district/subdistrict code): the summary's area
    area_code: Mapped[str | None] = mapped_column(String(6), ForeignKey("admin_areas.code"))
    recorded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"))
    # set when a facilitator entered it for them: the proxy record says how and with what consent
    proxy_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("proxy_records.id"))
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
