"""Needs raised by communities, and endorsements ("me too")."""

from __future__ import annotations

import uuid

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, SmallInteger, String, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from server.database import Base, HasId, Timestamped

NEED_STATUSES = ("open", "hidden", "withdrawn", "merged")  # merged: a duplicate kept in another need


class Need(HasId, Timestamped, Base):
    __tablename__ = "needs"
    __table_args__ = (
        CheckConstraint("severity BETWEEN 1 AND 5", name="severity"),
        CheckConstraint("people_affected >= 1", name="people_affected"),
        CheckConstraint(f"status IN {NEED_STATUSES}", name="status"),
        Index("ix_needs_hazards", "hazards", postgresql_using="gin"),
        Index("ix_needs_search", text("to_tsvector('simple', search_text)"), postgresql_using="gin"),
        CheckConstraint("(status = 'merged') = (duplicate_of_id IS NOT NULL)", name="merged"),
        # a need is brought into a round once: its copy there is where clauses answer it
        Index("ix_needs_origin_round", "origin_id", "round_id", unique=True,
              postgresql_where=text("origin_id IS NOT NULL")),
    )

    round_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rounds.id"), index=True)
    # whose need it is; None when raised by "N people at meeting M" through a proxy record
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("participants.id"), index=True)
    entered_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"))
    proxy_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("proxy_records.id"))
    group_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("stakeholder_groups.id"), index=True)
    community_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("communities.id"))
    area_code: Mapped[str] = mapped_column(ForeignKey("admin_areas.code"), index=True)
    sector_code: Mapped[str] = mapped_column(ForeignKey("sectors.code"), index=True)
    hazards: Mapped[list[str]] = mapped_column(ARRAY(String(40)), default=list)
    severity: Mapped[int] = mapped_column(SmallInteger)
    people_affected: Mapped[int | None]  # None: whoever raised it did not say (a count is at least 1)
    title: Mapped[str]
    body: Mapped[str] = mapped_column(default="")
    language: Mapped[str] = mapped_column(String(12), default="th")
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(JSONB, default=dict)
    status: Mapped[str] = mapped_column(String(12), default="open")
    # Thai has no spaces between words: the title, body and translations, segmented by
    # server.text.segment and joined by spaces, are what full-text search indexes
    search_text: Mapped[str] = mapped_column(default="")
    # the SHA-256 of an optional photo, stored in need_photos (needs/photo_store.py)
    photo: Mapped[str | None] = mapped_column(String(64), index=True)
    # a standing channel's triage (server/channels/): the need this one was merged into, the channel need
    # this one is a copy of (brought into a round), and a facilitator's few free tags
    duplicate_of_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("needs.id"), index=True)
    origin_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("needs.id"))
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(30)), default=list, server_default="{}")


class Endorsement(Timestamped, Base):
    __tablename__ = "endorsements"

    need_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("needs.id"), primary_key=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"), primary_key=True)
    proxy_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("proxy_records.id"))


class NeedPhoto(Timestamped, Base):
    """A need's photo as served, re-encoded and resized (server/needs/photos.py), named by the SHA-256 of the
    full-size bytes. In PostgreSQL rather than on a disk so that any number of web processes share it."""

    __tablename__ = "need_photos"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    thumbnail: Mapped[bytes] = mapped_column(LargeBinary)
    full: Mapped[bytes] = mapped_column(LargeBinary)
    content_type: Mapped[str] = mapped_column(String(40), default="image/jpeg")
