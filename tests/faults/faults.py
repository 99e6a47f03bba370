"""The faults a soak puts a running Ruam through, each at its own time, and what was seen when it struck.

    redis     Redis stopped (cleanly), started again after `down` seconds
    postgres  PostgreSQL stopped (fast shutdown: every connection cut), started after `down` seconds
    worker    the worker SIGKILLed, preferably while a consolidation runs (an advisory lock held in the
              database: up to `wait` seconds to see one), started again after `down` seconds
    web       the first web process SIGKILLed, started again after `down` seconds

A schedule is written `name[@at[:down]]`, comma-separated: `redis@30:20,postgres@80:5,worker,web`. A
fault without a time is placed evenly over the run among the others; `none` means none.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, dataclass, field

import asyncpg

from tests.faults.servers import PostgresServer, RedisServer, RuamProcess

DOWN = {"redis": 20.0, "postgres": 5.0, "worker": 2.0, "web": 2.0}
IN_FLIGHT = """
SELECT a.pid, extract(epoch FROM now() - a.xact_start) AS for_seconds, left(a.query, 120) AS query
FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.pid <> pg_backend_pid()
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
LIMIT 1
"""


@dataclass
class Fault:
    name: str
    at: float  # seconds after the load starts
    down: float
    started: float | None = None  # time.time()
    repaired: float | None = None  # back up and answering
    note: str = ""

    def to_json(self) -> dict:
        return asdict(self)


def parse_faults(text: str, duration: float) -> list[Fault]:
    if text.strip() in ("", "none"):
        return []
    faults, unplaced = [], []
    for item in text.split(","):
        name, _, when = item.strip().partition("@")
        if name not in DOWN:
            raise ValueError(f"unknown fault {name!r}: choose from {', '.join(DOWN)}")
        at, _, down = when.partition(":")
        fault = Fault(name, float(at) if at else -1.0, float(down) if down else DOWN[name])
        faults.append(fault)
        if not at:
            unplaced.append(fault)
    for i, fault in enumerate(unplaced):
        fault.at = duration * (i + 1) / (len(unplaced) + 1)
    return sorted(faults, key=lambda f: f.at)


@dataclass
class Cluster:
    postgres: PostgresServer
    redis: RedisServer
    webs: list[RuamProcess]
    worker: RuamProcess
    database_url: str
    held: set[str] = field(default_factory=set)  # processes a fault is handling: not the supervisor's


async def strike(fault: Fault, cluster: Cluster, *, wait: float = 15.0) -> None:
    """Breaks what `fault` names, waits `down` seconds, brings it back and waits until it answers."""
    held = {"worker": cluster.worker.name, "web": cluster.webs[0].name}.get(fault.name)
    if held:
        cluster.held.add(held)
    try:
        await _strike(fault, cluster, wait)
    finally:
        cluster.held.discard(held)


async def _strike(fault: Fault, cluster: Cluster, wait: float) -> None:
    if fault.name == "worker":
        fault.note = await _kill_worker_mid_run(cluster, wait)
        fault.started = time.time()
    else:
        fault.started = time.time()
        target = {"redis": cluster.redis, "postgres": cluster.postgres, "web": cluster.webs[0]}[fault.name]
        await asyncio.to_thread(target.kill if fault.name == "web" else target.stop)
    await asyncio.sleep(fault.down)
    target = {"redis": cluster.redis, "postgres": cluster.postgres, "worker": cluster.worker,
              "web": cluster.webs[0]}[fault.name]
    await asyncio.to_thread(target.start)
    fault.repaired = time.time()


async def _kill_worker_mid_run(cluster: Cluster, wait: float) -> str:
    deadline = time.monotonic() + wait
    holder = None
    try:
        conn = await asyncpg.connect(cluster.database_url, timeout=2)
    except (TimeoutError, OSError, asyncpg.PostgresError) as error:
        conn, note = None, f"could not look for a consolidation in flight ({error!r}); "
    else:
        note = ""
    try:
        while conn is not None and time.monotonic() < deadline:
            holder = await conn.fetchrow(IN_FLIGHT)
            if holder is not None:
                break
            await asyncio.sleep(0.02)
        await asyncio.to_thread(cluster.worker.kill)
        if holder is None:
            return note + f"no advisory lock seen within {wait:.0f} s: killed with no consolidation in flight"
        note += (f"killed while backend {holder['pid']} held an advisory lock, its transaction "
                 f"{holder['for_seconds']:.2f} s old ({holder['query']!r})")
        released = await _released(conn, holder["pid"])
        return note + (f"; the lock went {released:.2f} s after the kill" if released is not None
                       else "; the lock was still held 10 s after the kill")
    finally:
        if conn is not None:
            await conn.close()


async def _released(conn: asyncpg.Connection, pid: int) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < 10:
        if not await conn.fetchval("SELECT count(*) FROM pg_locks WHERE pid = $1 AND locktype = 'advisory'", pid):
            return time.monotonic() - started
        await asyncio.sleep(0.05)
    return None
