"""Workers' heartbeats, kept in PostgreSQL so that readiness can tell whether any worker is alive even
while Redis is away."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from server.database import Base


class WorkerHeartbeat(Base):
    __tablename__ = "worker_heartbeats"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int]
    started_at: Mapped[datetime]
    beat_at: Mapped[datetime]
    redis_ok: Mapped[bool] = mapped_column(default=True)  # False while the worker cannot reach Redis
