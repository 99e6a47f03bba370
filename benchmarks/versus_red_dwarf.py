"""Ruam's `ruam consolidate` against red-dwarf (Pol.is's maths in Python), whole process to whole process.

Run from the project root (red-dwarf comes with the bench extra: `.venv/bin/pip install -e '.[bench]'`):
    .venv/bin/python benchmarks/versus_red_dwarf.py [--database-url URL] [--database-name NAME]
                                                    [--repeat 3] [--only NAME,NAME]

For each conversation in tests/data/polis, and a synthetic 2,000 × 900 one written out as a Pol.is export
(5% of the cells voted, two planted camps, as benchmarks/consolidate.py plants them), in one run:

- red-dwarf: a fresh Python process that reads the export's votes.csv and comments.csv as its Loader reads
  a CSV export (each row through its Vote model, duplicate votes dropped keeping the most recent),
  moderated-out statements passed as mod_out_statement_ids, and runs its documented pipeline,
  reddwarf.implementations.polis.run_pipeline (PCA, k-means with silhouette, repness, consensus).
- Ruam: `ruam import-polis` once, untimed; then `ruam consolidate ROUND` in a fresh process (as
  `python -m server.cli`, which is what the `ruam` script runs), its earlier versions deleted first so
  that it computes. The process wraps the service's steps with timers (as benchmarks/consolidate.py does)
  and reports them: start (interpreter, imports, settings, engine, until consolidate() is called),
  read (load_inputs: every query, the votes' binary COPY), compute, store (the rest of consolidate():
  lock, hash, previous version, INSERT, COMMIT). consolidate() alone is what a worker's recompute costs,
  its process being started already. A last `ruam consolidate` with the inputs unchanged stores nothing.

Ruam's modules are compiled first (__pycache__, as pip compiles an installed package's, red-dwarf's among them).
Each process is timed from spawn to exit, best of --repeat. PostgreSQL runs on the same two cores.
The machine is shared: compare the ratios within one run.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import csv
import json
import os
import resource
import shlex
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POLIS = ROOT / "tests" / "data" / "polis"
SYNTHETIC = ("synthetic-2000x900", 2000, 900, 0.05)
MARK = "PHASES "


# ---------------------------------------------------------------- the two measured processes

def red_dwarf_process(folder: Path) -> None:
    """red-dwarf's whole process: import, read the export, run the pipeline. Prints its phases."""
    started = time.perf_counter()
    from reddwarf.implementations.polis import run_pipeline
    from reddwarf.models import Vote
    imported = time.perf_counter()
    with (folder / "votes.csv").open(newline="", encoding="utf-8") as handle:
        rows = [Vote(**row).model_dump(mode="json") for row in csv.DictReader(handle)]
    latest: dict[tuple[int, int], dict] = {}  # as Loader.filter_duplicate_votes(keep="recent")
    for vote in sorted(rows, key=lambda v: v["modified"], reverse=True):
        latest.setdefault((vote["participant_id"], vote["statement_id"]), vote)
    with (folder / "comments.csv").open(newline="", encoding="utf-8") as handle:
        mod_out = [int(c["comment-id"]) for c in csv.DictReader(handle) if int(c["moderated"]) == -1]
    read = time.perf_counter()
    result = run_pipeline(votes=list(latest.values()), mod_out_statement_ids=mod_out, random_state=0)
    done = time.perf_counter()
    groups = len(set(result.clusterer.labels_)) if result.clusterer is not None else 0
    print(MARK + json.dumps({"import": imported - started, "read": read - imported, "compute": done - read,
                             "votes": len(latest), "groups": groups}))


def ruam_process(round_ident: str) -> None:
    """`ruam consolidate ROUND`, with the service's steps timed."""
    started = time.perf_counter()
    import gc

    gc.disable()  # as `ruam consolidate` does before its imports (server/cli.py): the timers' imports come first
    from server import cli
    from server.consolidation import service

    spent = {"read": 0.0, "compute": 0.0, "consolidate": 0.0}
    called: list[float] = []

    def timed(name: str, original):
        if asyncio.iscoroutinefunction(original):
            async def timed_async(*args, **kwargs):
                start = time.perf_counter()
                if name == "consolidate":
                    called.append(start)
                try:
                    return await original(*args, **kwargs)
                finally:
                    spent[name] += time.perf_counter() - start
            return timed_async

        def timed_sync(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start
        return timed_sync

    service.load_inputs = timed("read", service.load_inputs)
    service.compute = timed("compute", service.compute)
    consolidate = timed("consolidate", service.consolidate)
    service.consolidate = consolidate
    code = cli.main(["consolidate", round_ident])
    ended = time.perf_counter()
    print(MARK + json.dumps({"start": (called[0] - started) if called else 0.0, **spent,
                             "store": spent["consolidate"] - spent["read"] - spent["compute"],
                             "after": ended - started - (called[0] - started if called else 0) - spent["consolidate"],
                             "code": code}))


# ---------------------------------------------------------------- the conversations

def write_synthetic(folder: Path, n_p: int, n_s: int, fill: float) -> None:
    """A Pol.is export of planted votes: what both sides read, as they read the real ones."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import numpy as np
    from consolidate import SEED, planted_votes

    if (folder / "summary.csv").exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    participant, statement, value = planted_votes(np.random.default_rng(SEED), n_p, n_s, fill)
    with (folder / "comments.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated",
                      "comment-body"])
        for s in range(n_s):
            out.writerow([1_600_000_000_000 + s, "", s, 0, 0, 0, 1, f"Statement {s}"])
    order = np.random.default_rng(SEED + 1).permutation(len(value))  # votes arrive in time order
    with (folder / "votes.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["timestamp", "datetime", "comment-id", "voter-id", "vote"])
        for rank, i in enumerate(order.tolist()):
            out.writerow([1_600_000_000_000 + rank, "", int(statement[i]), int(participant[i]), int(value[i])])
    cells = np.full((n_p, n_s), "", dtype=object)
    cells[participant, statement] = value.astype(str)
    with (folder / "participants-votes.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree",
                      *range(n_s)])
        for p in range(n_p):
            out.writerow([p, "", 0, 0, 0, 0, *cells[p].tolist()])
    (folder / "summary.csv").write_text(f"topic,Synthetic {n_p} x {n_s}\n", encoding="utf-8")


def run_timed(command: list[str], env: dict[str, str]) -> tuple[float, dict]:
    """The process's wall time, and its phases with its CPU time (user and system, its own: not PostgreSQL's)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise SystemExit(f"{shlex.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    phases = next(json.loads(line[len(MARK):]) for line in done.stdout.splitlines() if line.startswith(MARK))
    phases["cpu"] = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, phases


async def _delete_versions(url: str, round_id: str) -> None:
    from sqlalchemy import text

    from server.database import make_engine

    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DELETE FROM consolidated_proposals WHERE round_id = :r"), {"r": round_id})
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or None,
                        help="a PostgreSQL server (default: the embedded one under var/bench)")
    parser.add_argument("--database-name", default="ruam_bench_versus", help="the scratch database (wiped)")
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL") or None,
                        help="only for the CLI's start-up; consolidation does not use it")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", help="comma-separated folder names")
    parser.add_argument("--red-dwarf", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--ruam", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.red_dwarf:
        return red_dwarf_process(args.red_dwarf)
    if args.ruam:
        return ruam_process(args.ruam)

    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from scratch_database import fresh_database

    from server.embedded import start_services

    # an installed Ruam runs from compiled modules, as red-dwarf does (pip compiles a package's modules when it
    # installs it); a checkout run with PYTHONDONTWRITEBYTECODE=1 would compile Ruam's own again in every process
    compileall.compile_dir(ROOT / "server", quiet=1)
    services = start_services(args.database_url, args.redis_url, ROOT / "var" / "bench")
    try:
        url = asyncio.run(fresh_database(services.database_url, args.database_name))
        env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": services.redis_url, "LOG_LEVEL": "WARNING",
               "PYTHONPATH": str(ROOT)}
        synthetic = ROOT / "var" / "bench" / SYNTHETIC[0]
        write_synthetic(synthetic, *SYNTHETIC[1:])
        folders = [*sorted(p for p in POLIS.iterdir() if (p / "votes.csv").exists()), synthetic]
        if args.only:
            folders = [f for f in folders if f.name in args.only.split(",")]
        rows = []
        for folder in folders:
            imported = subprocess.run([sys.executable, "-m", "server.cli", "import-polis", str(folder)], env=env,
                                      cwd=ROOT, capture_output=True, text=True, check=True)
            summary, round_id = imported.stdout.strip().splitlines()[-2:]
            red, ruam = [], []
            for _ in range(args.repeat):
                red.append(run_timed([sys.executable, __file__, "--red-dwarf", str(folder)], env))
                asyncio.run(_delete_versions(url, round_id))
                ruam.append(run_timed([sys.executable, __file__, "--ruam", round_id], env))
            unchanged = run_timed([sys.executable, __file__, "--ruam", round_id], env)
            best_red, best_ruam = min(red, key=lambda r: r[0]), min(ruam, key=lambda r: r[0])
            # on a shared machine the CPU a process used varies less than its wall time
            cpu = (min(r[1]["cpu"] for r in red), min(r[1]["cpu"] for r in ruam))
            rows.append((folder.name, summary, best_red, best_ruam, unchanged, cpu))
            r, (wall, p) = best_red[1], best_ruam
            print(f"{folder.name}: {summary.split(' as round')[0]}\n"
                  f"  red-dwarf {best_red[0]:.2f} s (import {r['import']:.2f}, read {r['read']:.2f}, "
                  f"pipeline {r['compute']:.2f}; {r['groups']} groups)\n"
                  f"  ruam      {wall:.2f} s (start {p['start']:.2f}, read {p['read']:.2f}, compute "
                  f"{p['compute']:.2f}, store {p['store']:.2f}, exit {p['after']:.2f}); consolidate() "
                  f"{p['consolidate']:.2f} s; ratio {wall / best_red[0]:.2f}; unchanged {unchanged[0]:.2f} s "
                  f"(read {unchanged[1]['read']:.2f}); CPU {cpu[0]:.2f} s against {cpu[1]:.2f} s", flush=True)
    finally:
        services.stop()

    head = (f"{'conversation':<28} {'red-dwarf s':>11} {'ruam s':>7} {'ratio':>6} {'start':>6} {'read':>6} "
            f"{'compute':>7} {'store':>6} {'consol.':>7} {'unchanged':>9} {'CPU s':>11} {'CPU ratio':>9}")
    print("\n" + head + "\n" + "-" * len(head))
    for name, _, (red_wall, _), (wall, p), (same, _), (red_cpu, cpu) in rows:
        print(f"{name:<28} {red_wall:>11.2f} {wall:>7.2f} {wall / red_wall:>6.2f} {p['start']:>6.2f} "
              f"{p['read']:>6.2f} {p['compute']:>7.2f} {p['store']:>6.2f} {p['consolidate']:>7.2f} {same:>9.2f} "
              f"{red_cpu:>5.2f}/{cpu:<5.2f} {cpu / red_cpu:>9.2f}")
    print(f"\nbest of {args.repeat}, each process timed from spawn to exit; ratio = ruam / red-dwarf; consol. = "
          "consolidate() alone, a worker's recompute; CPU s = red-dwarf's / Ruam's process, least of the runs "
          "(PostgreSQL's not counted)")
    print("command: " + shlex.join([os.path.relpath(sys.executable), *sys.argv]))


if __name__ == "__main__":
    main()
