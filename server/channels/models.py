"""An organisation's answer to a need raised in its standing channel."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, func
from sqlalchemy.orm import Mapped, mapped_column

from server.database import Base


class NeedAnswer(Base):
    """One answer per need; answering again replaces it. Private (the author and the channel's facilitators)
    unless the facilitator makes it public to everyone who reads the need."""

    __tablename__ = "need_answers"

    need_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True)
    body: Mapped[str]
    public: Mapped[bool] = mapped_column(default=False)
    answered_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"))
    answered_at: Mapped[datetime] = mapped_column(server_default=func.now())
