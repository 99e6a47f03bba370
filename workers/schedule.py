"""The schedule loop: every worker looks, every few seconds, for rounds whose phase dates say they move on
(server/rounds/schedule.py), and moves each in a transaction of its own. Nothing is queued: the dates are
in PostgreSQL, and a round moves under its row lock, so two workers looking at once move it once.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from server.database import unavailable, unit_of_work
from server.rounds import schedule
from server.runtime import Runtime
from workers.periodic import every

log = logging.getLogger(__name__)

POLL = 15.0  # seconds between looks: a phase moves on at most this long after its date


async def advance_once(runtime: Runtime, now: datetime | None = None) -> list[schedule.Moved]:
    """Moves every round its dates say should move, now; what moved."""
    async with unit_of_work(runtime.sessions) as session:
        found = await schedule.dated_rounds(session)
    moved: list[schedule.Moved] = []
    for round_id in found:
        try:
            async with unit_of_work(runtime.sessions) as session:
                steps = await schedule.advance(session, round_id, now or datetime.now(UTC))
        except Exception as error:
            if unavailable(error):
                raise
            log.exception("moving round %s on by its dates failed; trying again at the next look", round_id)
            continue
        for step in steps:
            log.info("round %s moved from %s to %s by its dates", step.round_id, step.previous, step.current)
        moved += steps
    return moved


async def advance_forever(runtime: Runtime, *, poll: float = POLL) -> None:
    """Moves rounds on by their dates until cancelled; waits out PostgreSQL outages (logged once a minute)."""
    await every(poll, lambda: advance_once(runtime), log=log, outage="schedule: PostgreSQL",
                failed="looking for rounds to move on failed")
