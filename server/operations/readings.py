"""What PostgreSQL and Redis say about the whole installation, read for /readyz and /metrics: the same
whichever web process answers.

Each dependency is read on its own, within TIMEOUT, and a failure is a reading, never an exception: a probe
or a scrape must answer while either is away. PostgreSQL is read on a connection opened for the reading,
not one from the request pool: a pool busy with requests must not make a healthy process look unreachable,
and a reading must not wait behind votes (nor votes behind it). A probe every few seconds costs PostgreSQL
one short-lived connection each time.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import asyncpg
import redis.asyncio as aioredis
from arq.constants import default_queue_name

from server.database import asyncpg_address

if TYPE_CHECKING:
    from server.runtime import Runtime

log = logging.getLogger(__name__)

TIMEOUT = 2.0  # seconds for each dependency: a probe answers within about this, whatever is away
LIVE = 30  # seconds: a worker that beat within this is alive (workers beat every five)

_WORK = """
SELECT
    coalesce((SELECT greatest(extract(epoch FROM now() - created_at), 0) FROM events
              WHERE published_at IS NULL ORDER BY id LIMIT 1), 0)::float8 AS outbox_age,
    (SELECT count(*) FROM events WHERE published_at IS NULL) AS outbox_size,
    extract(epoch FROM now() - beats.newest)::float8 AS heartbeat_age,  -- NULL when no worker has beaten
    beats.live, beats.live_without_redis
FROM (SELECT max(beat_at) AS newest,
             count(*) FILTER (WHERE beat_at > now() - make_interval(secs => $1)) AS live,
             count(*) FILTER (WHERE beat_at > now() - make_interval(secs => $1) AND NOT redis_ok)
                 AS live_without_redis
      FROM worker_heartbeats) AS beats
"""
# a round is behind while asked > done; its staleness runs from the oldest input its proposal may lack
_MARKS = """
SELECT r.slug, m.asked > m.done AS behind,
       CASE WHEN m.asked > m.done
            THEN greatest(extract(epoch FROM now() - coalesce(m.dirty_since, now())), 0) ELSE 0 END::float8
           AS staleness,
       m.duration_ms
FROM consolidation_marks m JOIN rounds r ON r.id = m.round_id
ORDER BY r.slug
"""


@dataclass(frozen=True, slots=True)
class RoundMark:
    slug: str
    behind: bool
    staleness: float  # seconds; 0 when the proposal includes every input
    last_duration: float | None  # seconds the latest recompute took; None before the first


@dataclass(frozen=True)
class Work:
    """What the workers owe, and whether any worker is there to do it."""

    outbox_age: float  # seconds since the oldest unpublished event was written; 0 when none waits
    outbox_size: int
    heartbeat_age: float | None  # of the newest beat; None when no worker has beaten
    workers: int  # that beat within LIVE seconds
    workers_without_redis: int  # of those, the ones that cannot reach Redis
    rounds: tuple[RoundMark, ...]

    @property
    def rounds_behind(self) -> int:
        return sum(mark.behind for mark in self.rounds)

    @property
    def staleness(self) -> float:
        return max((mark.staleness for mark in self.rounds), default=0.0)


@dataclass(frozen=True)
class Postgres:
    error: str | None = None  # why it could not be reached; None when it answered
    revision: str | None = None  # alembic_version; None when the table is missing or empty
    work: Work | None = None
    work_error: str | None = None  # why `work` could not be read (a missing table, the timeout)

    @property
    def up(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class Redis:
    error: str | None = None
    queued: int | None = None  # jobs in arq's queue

    @property
    def up(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class Readings:
    postgres: Postgres
    redis: Redis


async def read(runtime: Runtime) -> Readings:
    postgres, redis = await asyncio.gather(read_postgres(asyncpg_address(runtime.engine)), read_redis(runtime.redis))
    return Readings(postgres, redis)


def _failure(error: BaseException) -> str:
    # the kind of failure only: these answers may be seen by more people than the logs, and an address or a
    # role name in a message is not for them (the message is logged at DEBUG: a probe every few seconds
    # must not fill the log while a dependency is away; the requests that fail say so)
    return "timeout" if isinstance(error, TimeoutError) else type(error).__name__


async def read_postgres(address: str) -> Postgres:
    deadline = asyncio.get_running_loop().time() + TIMEOUT
    connection: asyncpg.Connection | None = None
    try:
        async with asyncio.timeout_at(deadline):
            # no statement_timeout among the settings (a pooler may refuse them): a query cut short by the
            # deadline is cancelled by asyncpg on the server
            connection = await asyncpg.connect(address, timeout=TIMEOUT, statement_cache_size=0,
                                               server_settings={"application_name": "ruam readings"})
            await connection.execute("SELECT 1")
            try:
                revision = await connection.fetchval("SELECT version_num FROM alembic_version")
            except asyncpg.UndefinedTableError:
                revision = None
    except Exception as error:
        log.debug("PostgreSQL not reached", exc_info=True)
        if connection is not None:
            connection.terminate()
        return Postgres(error=_failure(error))
    try:
        async with asyncio.timeout_at(deadline):
            work = await _work(connection)
    except Exception as error:
        log.debug("the workers' state not read", exc_info=True)
        return Postgres(revision=revision, work_error=_failure(error))
    else:
        return Postgres(revision=revision, work=work)
    finally:
        await _close(connection)


async def _work(connection: asyncpg.Connection) -> Work:
    row = await connection.fetchrow(_WORK, LIVE)
    marks = tuple(RoundMark(mark["slug"], mark["behind"], mark["staleness"],
                            None if mark["duration_ms"] is None else mark["duration_ms"] / 1000)
                  for mark in await connection.fetch(_MARKS))
    beaten = row["heartbeat_age"]
    return Work(row["outbox_age"], row["outbox_size"], None if beaten is None else max(beaten, 0.0), row["live"],
                row["live_without_redis"], marks)


async def _close(connection: asyncpg.Connection) -> None:
    try:
        await connection.close(timeout=TIMEOUT)
    except Exception:  # a connection that broke under the reading: let it go without the goodbye
        connection.terminate()


async def read_redis(client: aioredis.Redis) -> Redis:
    try:
        async with asyncio.timeout(TIMEOUT):
            async with client.pipeline(transaction=False) as pipe:
                pipe.ping()
                pipe.zcard(default_queue_name)
                _, queued = await pipe.execute()
    except Exception as error:
        log.debug("Redis not reached", exc_info=True)
        return Redis(error=_failure(error))
    return Redis(queued=queued)
