"""What it costs a vote to keep the id of the transaction that wrote it (migration 0026): a trigger on every
insert and update, and one more index, which also makes a re-vote no longer a HOT update.

Run from the project root:
    .venv/bin/python benchmarks/vote_writes.py [--database-url URL] [--database-name NAME] [--writes 3000]
                                               [--rounds 3]

On a round of 10,000 members × 200 clauses (5% voted, loaded as benchmarks/consolidate.py loads it), it
writes --writes votes one transaction each, as the fast lane does (INSERT ... ON CONFLICT DO UPDATE), half
of them new pairs and half re-votes, with votes.changed_xid kept (as migrated) and without it (trigger and
index dropped, then put back), alternately --rounds times in one run, and prints per-write times. The
machine is shared: compare the two within the run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from consolidate import load_generated  # beside this script
from scratch_database import fresh_database

from server.database import asyncpg_address, make_engine, make_sessionmaker
from server.embedded import start_services

UPSERT = """
    INSERT INTO votes AS v (id, round_id, participant_id, clause_id, value, entered_by_id)
    VALUES (gen_random_uuid(), $1, $2, $3, $4, $2)
    ON CONFLICT (participant_id, clause_id, amendment_id) DO UPDATE SET value = excluded.value, updated_at = now()
"""
WITHOUT = ["DROP TRIGGER votes_changed ON votes", "DROP INDEX ix_votes_round_changed"]
WITH = ["CREATE TRIGGER votes_changed BEFORE INSERT OR UPDATE ON votes FOR EACH ROW EXECUTE FUNCTION votes_changed()",
        "CREATE INDEX ix_votes_round_changed ON votes (round_id, changed_xid)"]


async def writes(connection, round_id, pairs, rng) -> list[float]:
    took = []
    for participant, clause in pairs:
        start = time.perf_counter()
        await connection.execute(UPSERT, round_id, participant, clause, int(rng.integers(-1, 2)))
        took.append(time.perf_counter() - start)
    return took


async def run(args: argparse.Namespace) -> None:
    services = start_services(args.database_url, "unix:///not-used-by-benchmark", ROOT / "var" / "bench")
    try:
        url = await fresh_database(services.database_url, args.database_name)
        engine = make_engine(url)
        round_id = await load_generated(make_sessionmaker(engine), 10_000, 200, 0.05)
        import asyncpg

        connection = await asyncpg.connect(asyncpg_address(engine))
        await connection.execute("VACUUM ANALYZE votes")
        members = [r[0] for r in await connection.fetch(
            "SELECT participant_id FROM memberships WHERE round_id = $1 ORDER BY 1", round_id)]
        clauses = [r[0] for r in await connection.fetch("SELECT id FROM clauses WHERE round_id = $1", round_id)]
        voted = await connection.fetch("SELECT participant_id, clause_id FROM votes WHERE round_id = $1", round_id)
        rng = np.random.default_rng(1)
        results: dict[str, list[float]] = {"with changed_xid (as migrated)": [], "without": []}
        for _ in range(args.rounds):
            for label, setup in (("without", WITHOUT), ("with changed_xid (as migrated)", WITH)):
                for statement in setup:
                    await connection.execute(statement)
                half = args.writes // 2
                again = [tuple(voted[i]) for i in rng.integers(0, len(voted), half)]
                new = [(members[i], clauses[j]) for i, j in zip(rng.integers(0, len(members), half),
                                                                 rng.integers(0, len(clauses), half), strict=True)]
                results[label] += await writes(connection, round_id, again + new, rng)
        await connection.close()
        await engine.dispose()
        load = os.getloadavg()[0]
        print(f"{args.writes} writes × {args.rounds} rounds each way, alternating; load average {load:.1f}")
        for label, took in results.items():
            ms = sorted(t * 1000 for t in took)
            print(f"  {label:<32} mean {statistics.fmean(ms):.3f} ms, p50 {ms[len(ms) // 2]:.3f} ms, "
                  f"p99 {ms[int(len(ms) * 0.99)]:.3f} ms")
        print("command: " + shlex.join([os.path.relpath(sys.executable), *sys.argv]))
    finally:
        services.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or None)
    parser.add_argument("--database-name", default="ruam_bench_writes")
    parser.add_argument("--writes", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
