"""The follow-through loop: every worker looks, every few minutes, for commitments that became overdue or
stale or were cleared (server/commitments/follow_up.py), and tells each change once. Nothing is queued:
due dates and updates are in PostgreSQL, and each commitment is told under its row lock, taken without
waiting, so two workers looking at once tell it once.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from server.commitments import follow_up
from server.database import unit_of_work
from server.runtime import Runtime
from workers.periodic import every

log = logging.getLogger(__name__)

POLL = 300.0  # seconds between looks: days are what matter here, so minutes late is soon enough


async def look_once(runtime: Runtime, now: datetime | None = None) -> list[follow_up.Told]:
    """One look, in one transaction: what it told."""
    async with unit_of_work(runtime.sessions) as session:
        told = await follow_up.look(session, now or datetime.now(UTC))
    for t in told:
        if t.flagged:
            log.info("commitment %s flagged: %s", t.commitment_id, ", ".join(t.flagged))
    return told


async def follow_up_forever(runtime: Runtime, *, poll: float = POLL) -> None:
    """Looks until cancelled; waits out PostgreSQL outages (logged once a minute)."""
    await every(poll, lambda: look_once(runtime), log=log, outage="follow-through: PostgreSQL",
                failed="looking for commitments to flag failed")
