"""Rounds, their declared stakeholder groups and who takes part in them."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from server.database import Base, HasId, Timestamped
from server.opendata.licences import DEFAULT_LICENCE, OPEN_DATA_LICENCES

ROUND_KINDS = ("round", "channel")  # a channel: needs heard between rounds (server/channels/service.py)


class Round(HasId, Timestamped, Base):
    __tablename__ = "rounds"
    __table_args__ = (
        CheckConstraint("threshold > 0 AND threshold < 1", name="threshold"),
        UniqueConstraint("external_source", "external_id"),
        CheckConstraint(f"kind IN {ROUND_KINDS}", name="kind"),
        CheckConstraint("kind <> 'channel' OR organisation_id IS NOT NULL", name="channel_organisation"),
        CheckConstraint(f"open_data_licence IN {OPEN_DATA_LICENCES}", name="open_data_licence"),
    )

    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[dict[str, str]] = mapped_column(JSONB)  # locale -> text
    description: Mapped[dict[str, str]] = mapped_column(JSONB, default=dict)
    area_codes: Mapped[list[str]] = mapped_column(ARRAY(String(6)), default=list)
    # Phases are data: [{"key", "opens": {action: [roles]}, "starts_at", "ends_at"}]; see phases.py
    phases: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    current_phase: Mapped[str] = mapped_column(String(40))
    threshold: Mapped[float] = mapped_column(default=0.6)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("participants.id"))
    external_source: Mapped[str | None]
    external_id: Mapped[str | None]
    kind: Mapped[str] = mapped_column(String(12), default="round", server_default="round")
    # the ministry department or CSO a channel hears needs for
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    # the licence its published open data carries (server/opendata/licences.py), chosen by its facilitators
    open_data_licence: Mapped[str] = mapped_column(String(20), default=DEFAULT_LICENCE,
                                                   server_default=DEFAULT_LICENCE)


class StakeholderGroup(HasId, Base):
    __tablename__ = "stakeholder_groups"
    __table_args__ = (
        UniqueConstraint("round_id", "key"),
        CheckConstraint("quorum >= 0", name="quorum"),
    )

    round_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    name: Mapped[dict[str, str]] = mapped_column(JSONB)
    quorum: Mapped[int] = mapped_column(default=3)
    community_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("communities.id"))


class Membership(Timestamped, Base):
    """A participant's place in one round: their stakeholder group, and whether they facilitate it or draft
    for it (a drafter's round, given by an administrator: server/staff/service.py)."""

    __tablename__ = "memberships"

    round_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.id"), primary_key=True, index=True
    )
    group_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("stakeholder_groups.id"), index=True)
    facilitates: Mapped[bool] = mapped_column(default=False)
    drafts: Mapped[bool] = mapped_column(default=False, server_default="false")


