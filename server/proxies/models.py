"""Who entered input on whose behalf, how, and with what consent."""

from __future__ import annotations

import uuid

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from server.database import Base, HasId, Timestamped

PROXY_METHODS = ("meeting", "phone", "paper")
PROXY_CONSENTS = ("verbal", "written", "thumbprint")


class ProxyRecord(HasId, Timestamped, Base):
    __tablename__ = "proxy_records"
    __table_args__ = (
        CheckConstraint(
            "participant_id IS NOT NULL OR (people_count > 0 AND meeting IS NOT NULL)",
            name="on_behalf_of",
        ),
        CheckConstraint(f"method IN {PROXY_METHODS}", name="method"),
        CheckConstraint(f"consent IN {PROXY_CONSENTS}", name="consent"),
    )

    round_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rounds.id"), index=True)
    entered_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"))
    participant_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("participants.id"))
    people_count: Mapped[int | None]
    meeting: Mapped[str | None]
    method: Mapped[str] = mapped_column(String(12))
    consent: Mapped[str] = mapped_column(String(12))
    consent_note: Mapped[str] = mapped_column(default="")
