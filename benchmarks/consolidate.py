"""Time consolidate() end to end: votes read from PostgreSQL, proposal computed, stored, committed.

Run from the project root:
    .venv/bin/python benchmarks/consolidate.py [--only NAME] [--database-url URL]

NAME is vtaiwan (the Pol.is export in tests/data), 10k (10,000 participants × 1,000 clauses,
5% voted) or 100k (100,000 × 5,000, 1% voted: 5M votes). Without --database-url or DATABASE_URL
an embedded PostgreSQL runs under var/bench (kept between runs). Either way the script works in
a database named ruam_bench (or --database-name) on that server, wiped and migrated first, never
the app's own.

Each scenario is loaded (timed apart, not part of the figures), then consolidated twice, each
in its own unit_of_work: first with no previous version; then after flipping one vote, so the
inputs hash changes and it really recomputes, with a previous version to read and diff against;
then after 1% new votes (a worker's recompute once voting goes on; 100k's target for it is 2 s). The
recomputes run as the worker runs them: with its VoteCache, and its garbage collector's settings.
The service's own steps are wrapped with timers, so the breakdown comes from the same
end-to-end call. After each run, what a reader of the summary pays: latest() and the facilitators'
report() of it, each in a fresh session (best of 5), and the size of what was stored. Memory is this process's resident set (PostgreSQL's processes not counted).
Generated votes are stored in (participant, clause) order, a kind case for anything that sorts
them after reading; real votes arrive in time order.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import resource
import shlex
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Self

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scratch_database import fresh_database  # beside this script
from sqlalchemy import text

from server.consolidation import memberships, service
from server.consolidation.details import result_of
from server.consolidation.inputs import RoundInputs
from server.consolidation.report import report
from server.consolidation.vote_cache import VoteCache
from server.database import make_engine, make_sessionmaker, unit_of_work
from server.disclosure import FACILITATOR
from server.drafts.models import Draft
from server.embedded import start_services
from server.ids import uuid7
from server.imports.polis import import_polis
from server.people.service import system_actor
from server.rounds.models import Round
from server.rounds.service import GroupSpec, create_round, groups_of
from workers.settings import quieter_collector

MiB = 1024 * 1024
# name: (label, participants, clauses, fill, target seconds, target peak bytes)
SCENARIOS = {
    "vtaiwan": ("vtaiwan", 0, 0, 0.0, 1.0, None),
    "10k": ("10k × 1k", 10_000, 1_000, 0.05, 3.0, None),
    "100k": ("100k × 5k", 100_000, 5_000, 0.01, 8.0, 1e9),
}
# run 3, after 1% new votes: what a worker's recompute costs once voting goes on (seconds)
INCREMENTAL_TARGET = {"100k": 2.0}
STEPS = ("load_inputs", "digest", "latest", "prior", "compute", "differences", "store")
SEED = 20260101


def _status(field: str) -> int:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) * 1024 for line in f if line.startswith(field + ":"))


class PeakRSS:
    """Peak resident memory while the block runs. Linux lets a process reset its high-water mark
    (VmHWM) through /proc/self/clear_refs, which gives the exact peak; a 5 ms sampler of VmRSS
    backs it up where that reset is refused. ru_maxrss is read too: Linux derives it from the
    same mark, so after a reset it reports the block's peak, otherwise the whole process's."""

    def __enter__(self) -> Self:
        gc.collect()  # what the loading left behind should not count against consolidation
        self.base = self.sampled = _status("VmRSS")
        self.maxrss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        try:
            Path("/proc/self/clear_refs").write_text("5")
            self.exact = True
        except OSError:
            self.exact = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.sampled = max(self.sampled, _status("VmRSS"))

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.sampled, _status("VmHWM") if self.exact else 0)
        self.maxrss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


@contextmanager
def instrumented(spent: dict[str, float]):
    """Wrap what consolidate() calls so each call adds its wall time to spent[name]. The service
    looks these names up in its own module at call time, so patching them there is enough."""
    def timer(name, original):
        async def timed_async(*args, **kwargs):
            start = time.perf_counter()
            try:
                return await original(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start
        return timed_async if asyncio.iscoroutinefunction(original) else timed

    targets = ([(service, name) for name in STEPS if name in vars(service)] + [(RoundInputs, "digest")]
               + [(memberships, name) for name in ("prior", "store")])
    originals = [getattr(owner, name) for owner, name in targets]
    for (owner, name), original in zip(targets, originals, strict=True):
        setattr(owner, name, timer(name, original))
    try:
        yield
    finally:
        for (owner, name), original in zip(targets, originals, strict=True):
            setattr(owner, name, original)


# ---------------------------------------------------------------- loading the scenarios

def uuid_bytes(ids: list[uuid.UUID]) -> np.ndarray:
    return np.frombuffer(b"".join(i.bytes for i in ids), dtype=np.uint8).reshape(len(ids), 16)


def uuid7_block(n: int) -> np.ndarray:
    """n increasing version-7 ids as (n, 16) bytes: one uuid7's timestamp half, then a counter,
    much as uuid7() itself counts within one millisecond, without 5M Python calls."""
    halves = np.empty((n, 2), dtype=">u8")
    halves[:, 0] = uuid7().int >> 64
    halves[:, 1] = (0b10 << 62) + np.arange(n, dtype=np.uint64)
    return halves.view(np.uint8).reshape(n, 16)


def planted_votes(rng, n_p: int, n_s: int, fill: float):
    """fill × n_p × n_s distinct cells, in (participant, clause) order. Two camps agree on
    opposite halves of the clauses, 20% of votes flipped, 15% passes: something to find."""
    target = int(n_p * n_s * fill)
    draws = rng.integers(0, n_p * n_s, size=int(target * (1 + fill)) + 1000, dtype=np.int64)
    cells = np.unique(draws)  # a few more than target after duplicates go; keep target of them
    cells = cells[np.sort(rng.permutation(len(cells))[:target])]
    participant, clause = cells // n_s, cells % n_s
    camp = rng.integers(0, 2, n_p)
    polarity = np.where(np.arange(n_s) < n_s // 2, 1, -1)
    value = np.where(camp[participant] == 0, 1, -1) * polarity[clause]
    noise = rng.random(target)
    value = np.where(noise < 0.2, -value, np.where(noise > 0.85, 0, value))
    return participant, clause, value.astype(np.int16)


# Binary COPY of votes(id, round_id, participant_id, clause_id, value, entered_by_id): per row a
# field count, then (length, bytes) per field. numpy lays out half a million rows at a time.
VOTE_COLUMNS = ["id", "round_id", "participant_id", "clause_id", "value", "entered_by_id"]
VOTE_ROW = np.dtype([("n", ">i2"), ("l0", ">i4"), ("id", "u1", 16), ("l1", ">i4"),
                     ("round", "u1", 16), ("l2", ">i4"), ("participant", "u1", 16),
                     ("l3", ">i4"), ("clause", "u1", 16), ("l4", ">i4"), ("value", ">i2"),
                     ("l5", ">i4"), ("by", "u1", 16)])


async def copy_votes(raw, round_id, actor_id, pids, cids, participant, clause, value) -> None:
    ids, chunk = uuid7_block(len(value)), 500_000

    async def rows():
        yield b"PGCOPY\n\xff\r\n\0" + bytes(8)  # signature, flags, header extension length
        for start in range(0, len(value), chunk):
            part = slice(start, start + chunk)
            block = np.zeros(len(value[part]), dtype=VOTE_ROW)
            block["n"] = len(VOTE_COLUMNS)
            for field in ("l0", "l1", "l2", "l3", "l5"):
                block[field] = 16
            block["l4"] = 2
            block["id"], block["round"], block["by"] = ids[part], round_id, actor_id
            block["participant"], block["clause"] = pids[participant[part]], cids[clause[part]]
            block["value"] = value[part]
            yield block.tobytes()
        yield b"\xff\xff"

    await raw.copy_to_table("votes", source=rows(), format="binary", columns=VOTE_COLUMNS)


async def load_generated(sessions, n_p: int, n_s: int, fill: float) -> uuid.UUID:
    rng = np.random.default_rng(SEED)
    async with unit_of_work(sessions) as session:
        # Skip the per-row foreign-key triggers (superuser only; the embedded server's user is
        # one): 20M look-ups would take minutes, and generated rows are consistent anyway. Sent
        # through the session: SQLAlchemy's BEGIN goes out with its first statement, and a
        # SET LOCAL outside a transaction does nothing.
        if await session.scalar(text("SELECT current_setting('is_superuser') = 'on'")):
            await session.execute(text("SET LOCAL session_replication_role = replica"))
        raw = (await (await session.connection()).get_raw_connection()).driver_connection
        actor = await system_actor(session)
        keys = ("residents", "fishers", "officials", "business")
        groups = [GroupSpec(k, {"en": k}) for k in keys]
        round_ = await create_round(session, actor, slug=f"bench-{n_p}x{n_s}",
                                    title={"en": f"Benchmark {n_p} x {n_s}"}, groups=groups)
        draft = Draft(round_id=round_.id, created_by_id=actor.id, title="Benchmark draft")
        session.add(draft)
        await session.flush()
        group_ids = [g.id for g in await groups_of(session, round_.id)]
        pids, cids = [uuid7() for _ in range(n_p)], [uuid7() for _ in range(n_s)]
        await raw.copy_records_to_table(
            "participants", columns=["id", "display_name", "role", "locale", "languages"],
            records=[(p, f"Participant {i}", "participant", "th", []) for i, p in enumerate(pids)])
        group_of = rng.choice(len(group_ids), size=n_p, p=[0.4, 0.3, 0.2, 0.1]).tolist()
        await raw.copy_records_to_table(
            "memberships", columns=["round_id", "participant_id", "group_id", "facilitates"],
            records=[(round_.id, p, group_ids[g], False)
                     for p, g in zip(pids, group_of, strict=True)])
        words = "ให้ชุมชนมีส่วนร่วมในการจัดการทรัพยากรชายฝั่ง and publish the budget yearly. " * 2
        await raw.copy_records_to_table(
            "clauses", columns=["id", "draft_id", "round_id", "position", "text", "language",
                                "translations"],
            records=[(c, draft.id, round_.id, i + 1, f"Clause {i + 1}: {words}", "th", "{}")
                     for i, c in enumerate(cids)])
        participant, clause, value = planted_votes(rng, n_p, n_s, fill)
        await copy_votes(raw, uuid_bytes([round_.id])[0], uuid_bytes([actor.id])[0],
                         uuid_bytes(pids), uuid_bytes(cids), participant, clause, value)
        return round_.id


async def load_vtaiwan(sessions) -> uuid.UUID:
    async with unit_of_work(sessions) as session:
        actor = await system_actor(session)
        return (await import_polis(session, actor, ROOT / "tests/data/polis/vtaiwan.uberx")).id


# ---------------------------------------------------------------- measuring

async def consolidate_once(engine, sessions, round_id, cache: VoteCache) -> dict:
    """One recompute as a worker runs it: with the worker's copy of the round's votes (`cache`)."""
    spent = dict.fromkeys(STEPS, 0.0)
    reads = dict(cache.reads)
    with instrumented(spent), PeakRSS() as memory:
        start = time.perf_counter()
        async with unit_of_work(sessions) as session:
            proposal = await service.consolidate(session, round_id, cache=cache)
            flushed = time.perf_counter()
        done = time.perf_counter()
    # the size of what was stored, and what encoding it costs, looked at after the measurement
    before = time.perf_counter()
    encoded = json.dumps(proposal.result)
    dump_s = time.perf_counter() - before
    async with engine.connect() as conn:
        stored = await conn.scalar(text(
            "SELECT pg_column_size(result) FROM consolidated_proposals WHERE id = :i"),
            {"i": proposal.id})
        # kept apart from the summary since 0022: how many people this version lists there, in how many bytes
        members = (await conn.execute(text(
            "SELECT cardinality(participant_ids), pg_column_size(participant_ids) + pg_column_size(opinion_groups) "
            "FROM proposal_memberships WHERE proposal_id = :i"), {"i": proposal.id})).one() \
            if await conn.scalar(text("SELECT to_regclass('proposal_memberships') IS NOT NULL")) else (0, 0)
    read = "only what changed" if cache.reads["since"] > reads.get("since", 0) else "every vote"
    return {**spent, "rest": flushed - start - sum(spent.values()), "commit": done - flushed, "read": read,
            "total": done - start, "version": proposal.version, "memory": memory,
            "votes": proposal.input_counts["votes"],
            "groups": proposal.result["opinion_group_count"],
            "json_mb": len(encoded) / 1e6, "jsonb_mb": stored / 1e6, "dump_s": dump_s,
            "member_rows": members[0], "members_mb": members[1] / 1e6, **await read_summary(sessions, round_id)}


async def read_summary(sessions, round_id) -> dict:
    """latest() and the facilitators' report() of it, as the proposal page reads them (its first page of
    clauses); beside them, in the same run, the whole report (every clause: what the CSV and the PDF read)
    and the version's whole result (summary and every detail, server/consolidation/details.py: what
    latest() parsed before the details were stored apart). Each time in a fresh unit_of_work, so nothing
    comes from the session's identity map. Best of 5. Then the size of the summary and of the details."""
    spent: dict[str, list[float]] = {"latest_ms": [], "report_ms": [], "whole_report_ms": [], "whole_result_ms": []}
    for _ in range(5):
        async with unit_of_work(sessions) as session:
            round_ = await session.get(Round, round_id)
            assert round_ is not None
            start = time.perf_counter()
            proposal = await service.latest(session, round_id)
            read = time.perf_counter()
            assert proposal is not None
            await report(session, round_, proposal, FACILITATOR, page=1)
            spent["latest_ms"].append(read - start)
            spent["report_ms"].append(time.perf_counter() - read)
        async with unit_of_work(sessions) as session:
            round_ = await session.get(Round, round_id)
            proposal = await service.latest(session, round_id)
            assert round_ is not None and proposal is not None
            start = time.perf_counter()
            await report(session, round_, proposal, FACILITATOR)
            spent["whole_report_ms"].append(time.perf_counter() - start)
        async with unit_of_work(sessions) as session:
            start = time.perf_counter()
            proposal = await service.latest(session, round_id)
            assert proposal is not None
            whole = await result_of(session, proposal)
            spent["whole_result_ms"].append(time.perf_counter() - start)
    async with unit_of_work(sessions) as session:
        stored = (await session.execute(text(
            "SELECT count(*), sum(pg_column_size(clause_ids) + pg_column_size(clauses) + pg_column_size(statements) "
            "+ pg_column_size(statement_ranks)) FROM proposal_details WHERE proposal_id = :i"),
            {"i": proposal.id})).one()
    parts = json.dumps({"statements": whole["statements"], "clauses": whole["clauses"]})
    return {**{k: min(v) * 1e3 for k, v in spent.items()}, "details_rows": stored[0],
            "details_mb": (stored[1] or 0) / 1e6, "details_json_mb": len(parts) / 1e6}


async def flip_one_vote(engine, round_id) -> None:
    """A changed input, as after a vote.cast: the inputs hash differs, so the run recomputes."""
    async with engine.begin() as conn:
        await conn.execute(text(
            "UPDATE votes SET value = CASE WHEN value = 1 THEN -1 ELSE 1 END, updated_at = now() "
            "WHERE id = (SELECT id FROM votes WHERE round_id = :r ORDER BY id LIMIT 1)"),
            {"r": round_id})


async def add_new_votes(engine, round_id, fraction: float) -> int:
    """About `fraction` of the votes again as new ones, from random members on random clauses (a pair
    already voted is skipped), as after a burst of vote.casts. How many went in."""
    rng = np.random.default_rng(SEED + 3)
    async with engine.begin() as conn:
        params = {"r": round_id}
        members = (await conn.execute(text(
            "SELECT participant_id FROM memberships WHERE round_id = :r ORDER BY participant_id"), params)).scalars().all()
        clauses = (await conn.execute(text(
            "SELECT id FROM clauses WHERE round_id = :r ORDER BY position"), params)).scalars().all()
        n = int(await conn.scalar(text("SELECT count(*) FROM votes WHERE round_id = :r"), params) * fraction)
        who = rng.integers(0, len(members), n).tolist()
        voted = await conn.execute(text(
            "INSERT INTO votes (id, round_id, participant_id, clause_id, value, entered_by_id) "
            "SELECT gen_random_uuid(), :r, p, c, v, p FROM unnest(CAST(:p AS uuid[]), CAST(:c AS uuid[]), "
            "CAST(:v AS smallint[])) AS n(p, c, v) ON CONFLICT (participant_id, clause_id, amendment_id) DO NOTHING"),
            {**params, "p": [members[i] for i in who],
             "c": [clauses[i] for i in rng.integers(0, len(clauses), n).tolist()],
             "v": rng.integers(-1, 2, n).tolist()})
    return voted.rowcount


def verdict(seconds: float, peak_bytes: float | None, r: dict) -> str:
    ok = r["total"] < seconds and (peak_bytes is None or r["memory"].peak < peak_bytes)
    limit = f"< {seconds:g} s" + (f", < {peak_bytes / 1e9:g} GB" if peak_bytes else "")
    return f"{limit} {'ok' if ok else 'MISSED'}"


async def run(names: list[str], database_url: str | None, database_name: str) -> list[tuple]:
    # Consolidation does not use Redis: a placeholder URL keeps start_services from starting one.
    services = start_services(database_url, "unix:///not-used-by-benchmark", ROOT / "var" / "bench")
    rows = []
    try:
        bench_url = await fresh_database(services.database_url, database_name)
        engine = make_engine(bench_url)
        sessions = make_sessionmaker(engine)
        async with engine.connect() as conn:
            pg = await conn.scalar(text("SHOW server_version"))
        print(f"PostgreSQL {pg}, numpy {np.__version__}, {os.cpu_count()} CPUs; {database_name}")
        for name in names:
            label, n_p, n_s, fill, seconds, peak_bytes = SCENARIOS[name]
            start = time.perf_counter()
            round_id = await (load_generated(sessions, n_p, n_s, fill) if n_p
                              else load_vtaiwan(sessions))
            async with engine.connect() as conn:  # settled tables, as in production: statistics
                await conn.execution_options(isolation_level="AUTOCOMMIT")  # and hint bits
                await conn.execute(text("VACUUM ANALYZE votes, participants, memberships, clauses"))
            loaded = time.perf_counter() - start
            print(f"\n{label}: loaded in {loaded:.1f} s (not part of the figures)")
            cache = VoteCache()  # a worker's: the first run reads every vote, the next ones what changed
            for attempt in (1, 2, 3):
                if attempt == 2:
                    await flip_one_vote(engine, round_id)
                if attempt == 3:
                    added = await add_new_votes(engine, round_id, 0.01)
                    print(f"  {added:,} new votes (1%) before run 3")
                    seconds = INCREMENTAL_TARGET.get(name, seconds)
                r = await consolidate_once(engine, sessions, round_id, cache)
                m = r["memory"]
                rows.append((label, loaded, attempt, r, verdict(seconds, peak_bytes, r)))
                print(f"  run {attempt} (version {r['version']}): {r['total']:.2f} s = "
                      + ", ".join(f"{k} {r[k]:.2f}" for k in (*STEPS, "rest", "commit"))
                      + f"\n    read {r['read']}; {r['votes']:,} votes, {r['groups']} opinion groups; result "
                      f"{r['json_mb']:.2f} MB as JSON (json.dumps {r['dump_s']:.2f} s), "
                      f"{r['jsonb_mb']:.2f} MB as stored JSONB; {r['member_rows']:,} people in its memberships, "
                      f"{r['members_mb']:.2f} MB as stored\n    details: {r['details_rows']:,} rows of 100 clauses, "
                      f"{r['details_json_mb']:.2f} MB as JSON, {r['details_mb']:.2f} MB as stored JSONB\n"
                      f"    latest() {r['latest_ms']:.1f} ms, report() first page {r['report_ms']:.1f} ms; whole "
                      f"report() {r['whole_report_ms']:.1f} ms, latest() and every detail "
                      f"{r['whole_result_ms']:.1f} ms\n    RSS {m.base / MiB:,.0f} → peak "
                      f"{m.peak / MiB:,.0f} MiB (+{(m.peak - m.base) / MiB:,.0f}, "
                      f"{'VmHWM' if m.exact else 'sampled'}); ru_maxrss "
                      f"{m.maxrss_before / MiB:,.0f} → {m.maxrss_after / MiB:,.0f} MiB")
        await engine.dispose()
    finally:
        services.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="vtaiwan, 10k (or '10k x 1k') or 100k (or '100k x 5k')")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or None)
    parser.add_argument("--database-name", default="ruam_bench",
                        help="the scratch database on that server (wiped): one per person sharing a server")
    args = parser.parse_args()
    names = list(SCENARIOS)
    if args.only:
        wanted = args.only.lower().replace(" ", "").split("x")[0]
        names = [n for n in names if n == wanted] or parser.error(f"no scenario {args.only!r}")
    quieter_collector()  # the garbage collector as the worker process sets it (workers/settings.py)
    rows = asyncio.run(run(names, args.database_url, args.database_name))

    steps = (*STEPS, "rest", "commit")
    head = (f"{'scenario':<10} {'load s':>6} {'run':>3} {'votes':>9} {'total s':>7} "
            + " ".join(f"{k[:7]:>7}" for k in steps)
            + f" {'peak MiB':>8} {'+MiB':>5} {'JSONB MB':>8} {'latest ms':>9} {'report ms':>9}"
            "  target (wall, peak RSS)")
    print("\n" + head + "\n" + "-" * len(head))
    for label, loaded, attempt, r, judged in rows:
        growth = (r["memory"].peak - r["memory"].base) / MiB
        print(f"{label:<10} {loaded:>6.1f} {attempt:>3} {r['votes']:>9,} {r['total']:>7.2f} "
              + " ".join(f"{r[k]:>7.2f}" for k in steps)
              + f" {r['memory'].peak / MiB:>8,.0f} {growth:>5,.0f} {r['jsonb_mb']:>8.2f} {r['latest_ms']:>9.1f}"
              f" {r['report_ms']:>9.1f}  {judged}")
    print("\nload_in = reading the inputs (run 1 every vote, runs 2 and 3 only what changed: a worker's VoteCache); "
          "prior = the previous version's groups, base clusters and axes; store = the memberships' INSERT; "
          "rest = the rest of consolidate(): round lookup, advisory lock, the summary's row and details, JSON "
          "encoding and INSERTs (flush); commit = COMMIT and closing the session")
    print("command: " + shlex.join([os.path.relpath(sys.executable), *sys.argv]))


if __name__ == "__main__":
    main()
