"""Which rounds' proposals are behind their inputs, kept in PostgreSQL (ConsolidationMark).

The outbox relay calls `ask` for the input events it publishes, in the same transaction; a worker's loop
takes `due` rounds and calls `catch_up`, which recomputes under the round's advisory lock and records how
far it read in the transaction that stores the proposal. A worker that dies mid-run releases the lock
with its connection and leaves the mark as it was, so the next poll of any worker takes the round again.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from server.consolidation.service import consolidate, lock_key
from server.consolidation.vote_cache import VoteCache

# A burst's first input waits this long, so one recompute takes the whole burst; later inputs do not
# move it (steady voting must not postpone the proposal for ever).
DEBOUNCE_SECONDS = 1.0
RETRY_FAILED_SECONDS = 30.0  # a recompute that raised is tried again after this long, not at every poll

_ASK = text("""
    INSERT INTO consolidation_marks AS m (round_id, asked, done, dirty_since, due_at)
    SELECT round_id, n, 0, now(), now() + make_interval(secs => :debounce)
    FROM unnest(CAST(:rounds AS uuid[]), CAST(:counts AS bigint[])) AS a(round_id, n)
    -- a standing channel is never consolidated into a proposal (server/channels/service.py)
    WHERE NOT EXISTS (SELECT 1 FROM rounds r WHERE r.id = a.round_id AND r.kind = 'channel')
    ORDER BY round_id  -- rows locked in one order by every relay: no deadlock between two of them
    ON CONFLICT (round_id) DO UPDATE SET
        asked = m.asked + excluded.asked,
        dirty_since = CASE WHEN m.asked > m.done THEN m.dirty_since ELSE excluded.dirty_since END,
        due_at = CASE WHEN m.asked > m.done THEN m.due_at ELSE excluded.due_at END
""")
_DUE = text("""
    SELECT round_id FROM consolidation_marks
    WHERE asked > done AND due_at <= now() AND NOT (round_id = ANY(CAST(:busy AS uuid[])))
    ORDER BY due_at LIMIT :limit
""")
_READ = text("SELECT asked, clock_timestamp() FROM consolidation_marks WHERE round_id = :round_id")
_DONE = text("""
    UPDATE consolidation_marks SET
        done = greatest(done, :asked), computed_at = now(), duration_ms = :duration_ms,
        dirty_since = CASE WHEN asked > greatest(done, :asked) THEN CAST(:read_at AS timestamptz) END,
        due_at = CASE WHEN asked > greatest(done, :asked) THEN now() + make_interval(secs => :debounce) END
    WHERE round_id = :round_id
""")
_POSTPONE = text("""
    UPDATE consolidation_marks SET due_at = now() + make_interval(secs => :seconds)
    WHERE round_id = :round_id AND asked > done
""")


async def ask(session: AsyncSession, inputs: Mapping[uuid.UUID, int]) -> None:
    """`inputs[round]` new input events for each round: its proposal is due a recompute."""
    if inputs:
        rounds = sorted(inputs)
        await session.execute(_ASK, {"rounds": rounds, "counts": [inputs[r] for r in rounds],
                                     "debounce": DEBOUNCE_SECONDS})


async def due(session: AsyncSession, *, limit: int, busy: frozenset[uuid.UUID] = frozenset()) -> list[uuid.UUID]:
    """Rounds whose recompute is due now, the longest waiting first (`busy`: those this worker runs)."""
    return list(await session.scalars(_DUE, {"limit": limit, "busy": list(busy)}))


@dataclass(frozen=True)
class CaughtUp:
    version: int
    duration_ms: int


async def catch_up(session: AsyncSession, round_id: uuid.UUID, cache: VoteCache | None = None) -> CaughtUp | None:
    """Recomputes `round_id` and records how far it read; None when another run of it holds its lock
    (that run, or the next poll after it, takes what is left). The caller commits."""
    took = await session.scalar(text("SELECT pg_try_advisory_xact_lock(hashtextextended(:key, 0))"),
                                {"key": lock_key(round_id)})
    if not took:
        return None
    read = (await session.execute(_READ, {"round_id": round_id})).first()
    if read is None:
        return None
    asked, read_at = read
    started = time.perf_counter()
    # every input counted in `asked` was committed before the relay counted it, so this recompute,
    # reading after that, includes it; inputs counted later keep the round due
    proposal = await consolidate(session, round_id, cache=cache)
    duration_ms = round((time.perf_counter() - started) * 1000)
    await session.execute(_DONE, {"round_id": round_id, "asked": asked, "read_at": read_at,
                                  "duration_ms": duration_ms, "debounce": DEBOUNCE_SECONDS})
    return CaughtUp(proposal.version, duration_ms)


async def postpone(session: AsyncSession, round_id: uuid.UUID, *, seconds: float = RETRY_FAILED_SECONDS) -> None:
    """A recompute of `round_id` failed: try again later rather than at every poll."""
    await session.execute(_POSTPONE, {"round_id": round_id, "seconds": seconds})
