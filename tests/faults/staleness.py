"""How far a round's proposal lags behind its votes, read from PostgreSQL while the round is under load.

A proposal counts the events up to its `last_event_id` (the newest event of the round when it read its
inputs). A vote it does not count yet is a vote.cast event after that id; its UUIDv7 id carries the
millisecond it was made, on this machine's clock. So the staleness at a moment is that moment minus the
oldest vote not yet counted by the newest proposal, and 0 when there is none. Votes are read as written
(committed), which is when they were acknowledged give or take one request's latency.
"""

from __future__ import annotations

import asyncio
import bisect
import time
import uuid
from dataclasses import dataclass, field

import asyncpg

NEWEST = """
SELECT p.version, p.last_event_id,
       (SELECT e.id FROM events e
        WHERE e.round_id = $1 AND e.type = 'vote.cast'
          AND e.id > coalesce(p.last_event_id, '00000000-0000-0000-0000-000000000000'::uuid)
        ORDER BY e.id LIMIT 1) AS oldest_uncounted,
       (SELECT count(*) FROM events e WHERE e.published_at IS NULL) AS unpublished
FROM (SELECT 1) AS one
LEFT JOIN LATERAL (SELECT version, last_event_id FROM consolidated_proposals WHERE round_id = $1
                   ORDER BY version DESC LIMIT 1) AS p ON true
"""


def made_at(event_id: uuid.UUID) -> float:
    """The time a UUIDv7 was made, in seconds since the epoch."""
    return (event_id.int >> 80) / 1000


@dataclass
class Sample:
    at: float  # time.time()
    staleness: float | None  # None: PostgreSQL did not answer
    version: int | None = None
    last_event_id: uuid.UUID | None = None
    unpublished: int | None = None


@dataclass
class ProposalWatch:
    database_url: str
    round_id: uuid.UUID
    samples: list[Sample] = field(default_factory=list)
    _conn: asyncpg.Connection | None = None

    async def sample(self) -> Sample:
        at = time.time()
        try:
            if self._conn is None or self._conn.is_closed():
                self._conn = await asyncpg.connect(self.database_url, timeout=2, command_timeout=5)
            row = await self._conn.fetchrow(NEWEST, self.round_id)
        except (TimeoutError, OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
            await self.close()
            return Sample(at, None)
        oldest = row["oldest_uncounted"]
        staleness = max(0.0, at - made_at(oldest)) if oldest is not None else 0.0
        return Sample(at, staleness, row["version"], row["last_event_id"], row["unpublished"])

    async def run(self, stop: asyncio.Event, every: float = 1.0) -> None:
        """A sample a second until `stop` is set."""
        while not stop.is_set():
            self.samples.append(await self.sample())
            try:
                await asyncio.wait_for(stop.wait(), timeout=max(0.0, every - (time.time() - self.samples[-1].at)))
            except TimeoutError:
                pass

    async def settle(self, timeout: float) -> Sample:
        """Samples (kept) until every event is published and the proposal counts every vote, or timeout."""
        deadline = time.monotonic() + timeout
        while True:
            sample = await self.sample()
            self.samples.append(sample)
            if (sample.staleness == 0 and sample.unpublished == 0) or time.monotonic() > deadline:
                return sample
            await asyncio.sleep(0.5)

    async def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                await asyncio.wait_for(conn.close(), timeout=2)
            except (TimeoutError, OSError, asyncpg.InterfaceError):
                conn.terminate()

    def recovery(self, vote_event_ids: list[uuid.UUID], after: float) -> float | None:
        """Seconds from `after` to the first sample whose proposal counts every vote made by then; None if
        none did while samples were taken. `vote_event_ids` sorted."""
        cut = bisect.bisect_right([e.int >> 80 for e in vote_event_ids], int(after * 1000))
        if cut == 0:
            return 0.0
        needed = vote_event_ids[cut - 1]
        for sample in self.samples:
            if sample.at >= after and sample.last_event_id is not None and sample.last_event_id >= needed:
                return sample.at - after
        return None
