"""The soak: a round under steady load from its members while PostgreSQL, Redis, the worker and a web
process fail one after another, and what the members and the proposal saw.

Its own PostgreSQL and Redis (tests/faults/servers.py), a round seeded through the services
(tests/faults/seed.py), two `ruam serve` and one `ruam worker` (by default; `webs`, `workers`); members'
votes, comments and needs (tests/faults/traffic.py) for `duration` seconds while the faults strike
(tests/faults/faults.py) and the proposal's staleness is sampled every second (tests/faults/staleness.py);
then a wait for quiescence and the ledger check (tests/faults/ledger.py). benchmarks/soak.py is its command line;
tests/faults/test_soak_short.py runs a short one in the suite.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import asyncpg

from server.migrate import upgrade
from tests.faults.faults import Cluster, Fault, parse_faults, strike
from tests.faults.ledger import Ledger, check_ledger
from tests.faults.seed import SeededRound, seed_round
from tests.faults.servers import ROOT, PostgresServer, RedisServer, RuamProcess
from tests.faults.staleness import ProposalWatch, Sample
from tests.faults.supervisor import Exit, Supervisor
from tests.faults.traffic import Attempt, Mix, Traffic


@dataclass
class SoakConfig:
    duration: float = 240.0  # seconds of load
    rate: float = 35.0  # requests a second, all members together
    participants: int = 200
    clauses: int = 40
    faults: str = "redis,postgres,worker,web"
    seed: int = 1
    comments: float = 0.07  # shares of the requests; the rest are votes
    needs: float = 0.03
    timeout: float = 10.0  # a member's patience for one answer
    grace: float = 5.0  # seconds after a repair still counted in the fault's window
    quiesce: float = 30.0  # at most, after the load, for the relay and the proposal to catch up
    worker_wait: float = 15.0  # at most, for a consolidation in flight before killing the worker
    # a process that fails on its own is started again after this many seconds, as systemd does with
    # deploy/'s units (RestartSec=3); 0 leaves it down
    supervise: float = 3.0
    webs: int = 2
    workers: int = 1  # `ruam worker` processes; the worker fault kills the first


@dataclass
class Window:
    name: str
    start: float  # seconds after the load started
    end: float
    attempts: list[Attempt] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)

    def figures(self) -> dict:
        outcomes = Counter(a.outcome for a in self.attempts)
        latencies = sorted(a.latency for a in self.attempts)
        observed = [s.staleness for s in self.samples if s.staleness is not None]
        return {
            "window": self.name, "from_s": round(self.start, 1), "to_s": round(self.end, 1),
            "requests": len(self.attempts), "acknowledged": outcomes["ack"], "refused": outcomes["refused"],
            "errors": outcomes["error"], "unanswered": outcomes["unknown"],
            "codes": dict(Counter(a.code for a in self.attempts if a.outcome != "ack").most_common()),
            "p50_ms": _percentile(latencies, 0.50), "p99_ms": _percentile(latencies, 0.99),
            "staleness_max_s": round(max(observed), 1) if observed else None,
            "samples_unanswered": sum(s.staleness is None for s in self.samples),
        }


@dataclass
class SoakResult:
    config: SoakConfig
    started: float  # time.time() when the load started
    faults: list[Fault]
    windows: list[Window]
    attempts: list[Attempt]
    dropped: int
    samples: list[Sample]
    settled: Sample
    recovery: dict[str, float | None]
    ledger: Ledger
    proposal_current: dict
    exits: list[Exit]
    logs: str

    @property
    def ok(self) -> bool:
        return self.ledger.ok and self.proposal_current.get("current") is not False

    @property
    def failures(self) -> list[str]:
        extra = [] if self.proposal_current.get("current") is not False else [
            f"`ruam consolidate` stored a new version ({self.proposal_current})"]
        return self.ledger.failures + extra

    def totals(self) -> dict:
        whole = Window("whole run", 0.0, self.config.duration, self.attempts,
                       [s for s in self.samples if s.at <= self.started + self.config.duration])
        figures = whole.figures()
        by_kind = Counter((a.kind, a.outcome) for a in self.attempts)
        figures["by_kind"] = {kind: {outcome: n for (k, outcome), n in by_kind.items() if k == kind}
                              for kind in ("vote", "comment", "need")}
        figures["dropped_all_members_busy"] = self.dropped
        figures["staleness_at_end_s"] = None if self.settled.staleness is None else round(self.settled.staleness, 1)
        figures["quiescent_after_s"] = round(self.settled.at - self.started - self.config.duration, 1)
        return figures

    def to_json(self) -> dict:
        return {
            "config": asdict(self.config), "ok": self.ok, "failures": self.failures, "totals": self.totals(),
            "windows": [w.figures() for w in self.windows],
            "faults": [{**f.to_json(), "at_s": round(f.started - self.started, 1) if f.started else None,
                        "repaired_s": round(f.repaired - self.started, 1) if f.repaired else None,
                        "recovery_s": self.recovery.get(_label(f))} for f in self.faults],
            "ledger": self.ledger.to_json(), "proposal_current": self.proposal_current,
            "exits": [e.to_json(self.started) for e in self.exits],
            "samples": [{"t_s": round(s.at - self.started, 2), "staleness_s": s.staleness, "version": s.version,
                         "unpublished": s.unpublished} for s in self.samples],
            "not_acknowledged": [{"t_s": round(a.sent - self.started, 3), "kind": a.kind, "web": a.web + 1,
                                  "outcome": a.outcome, "code": a.code, "latency_ms": round(a.latency * 1000, 1)}
                                 for a in self.attempts if a.outcome != "ack"],
            "per_second": self.per_second(),
            "logs": self.logs,
        }

    def per_second(self) -> list[dict]:
        seconds: dict[int, list[Attempt]] = {}
        for attempt in self.attempts:
            seconds.setdefault(int(attempt.sent - self.started), []).append(attempt)
        return [{"t_s": t, "requests": len(group), "acknowledged": sum(a.outcome == "ack" for a in group),
                 "p99_ms": _percentile(sorted(a.latency for a in group), 0.99),
                 "p99_ms_by_web": {web + 1: _percentile(sorted(a.latency for a in group if a.web == web), 0.99)
                                   for web in sorted({a.web for a in group})}}
                for t, group in sorted(seconds.items())]

    def staleness_every(self, step: float = 10.0) -> str:
        """The first sample of every `step` seconds: the shape of the run in one line."""
        shown, next_at = [], 0.0
        for s in self.samples:
            t = s.at - self.started
            if t >= next_at:
                shown.append(f"{t:.0f}s:" + ("?" if s.staleness is None else f"{s.staleness:.0f}"))
                next_at = (t // step + 1) * step
        return " ".join(shown)

    def report(self) -> str:
        lines = []
        head = (f"{'window':<22} {'from-to s':>12} {'requests':>8} {'acked':>6} {'refused':>7} {'errors':>6} "
                f"{'no answer':>9} {'p50 ms':>7} {'p99 ms':>8} {'stale max s':>11}")
        lines += [head, "-" * len(head)]
        for figures in [w.figures() for w in self.windows] + [self.totals()]:
            stale = figures["staleness_max_s"]
            stale = "-" if stale is None else f"{stale:.1f}"
            if figures["samples_unanswered"]:
                stale += f" ({figures['samples_unanswered']}?)"
            lines.append(f"{figures['window']:<22} {figures['from_s']:>5.0f}-{figures['to_s']:<6.0f} "
                         f"{figures['requests']:>8} {figures['acknowledged']:>6} {figures['refused']:>7} "
                         f"{figures['errors']:>6} {figures['unanswered']:>9} {figures['p50_ms']:>7.0f} "
                         f"{figures['p99_ms']:>8.0f} {stale:>11}")
        lines.append("(p50/p99 over every request, failures at the moment they failed; '(n?)': samples "
                     "PostgreSQL did not answer)")
        for w in self.windows:
            codes = w.figures()["codes"]
            if codes:
                lines.append(f"  {w.name}: " + ", ".join(f"{c} ×{n}" for c, n in codes.items()))
        totals = self.totals()
        lines.append("")
        lines.append("by kind: " + "; ".join(f"{k}: " + ", ".join(f"{o} {n}" for o, n in sorted(v.items()))
                                            for k, v in totals["by_kind"].items() if v)
                     + f"; arrivals dropped with every member waiting: {self.dropped}")
        for f in self.faults:
            label = _label(f)
            rec = self.recovery.get(label)
            rec = "never, within the run and the wait after it" if rec is None else f"{rec:.1f} s"
            lines.append(f"{label}: struck at {f.started - self.started:.1f} s, back at "
                         f"{f.repaired - self.started:.1f} s; first proposal counting every vote made by then: {rec}"
                         + (f"\n    {f.note}" if f.note else ""))
        for e in self.exits:
            back = "not started again" if e.restarted is None else \
                f"started again, up at {e.restarted - self.started:.1f} s"
            lines.append(f"{e.name} exited on its own at {e.at - self.started:.1f} s (status {e.code}); {back}"
                         + (f" ({e.error})" if e.error else ""))
        lines.append(f"staleness (s) every 10 s: {self.staleness_every()}")
        end = totals["staleness_at_end_s"]
        lines.append(f"after the load: quiescent after {totals['quiescent_after_s']:.1f} s, staleness "
                     f"{'unknown' if end is None else f'{end:.1f} s'}, {self.settled.unpublished} events unpublished")
        lines.append("")
        ledger = self.ledger
        lines.append(f"ledger: {ledger.acknowledged_votes} acknowledged castVotes on {ledger.voted_pairs} (member, "
                     f"clause), {ledger.vote_rows} vote rows, {ledger.vote_events} vote.cast events; lost "
                     f"{ledger.lost}, duplicates {ledger.duplicate_rows}, acknowledged without event "
                     f"{ledger.acknowledged_without_event}, events no request explains "
                     f"{ledger.events_beyond_requests}, written though unanswered {ledger.events_of_unanswered} "
                     f"(rows overwritten by them {ledger.overwritten_by_unanswered}, reordered {ledger.reordered}), "
                     f"unpublished {ledger.unpublished_events}")
        lines.append(f"        comments {ledger.acknowledged_comments} acknowledged, {ledger.missing_comments} "
                     f"missing; needs {ledger.acknowledged_needs} acknowledged, {ledger.missing_needs} missing; newest "
                     f"proposal v{ledger.proposal_version} counts {ledger.proposal_counts_votes} votes, "
                     f"{ledger.votes_after_proposal} vote events after it; `ruam consolidate` afterwards: "
                     f"{self.proposal_current}")
        lines.extend(f"        e.g. {e}" for e in ledger.examples)
        lines.append("ledger: " + ("OK" if self.ok else "FAILED: " + "; ".join(self.failures)))
        lines.append(f"logs of every process: {self.logs}")
        return "\n".join(lines)


def _label(fault: Fault) -> str:
    return f"{fault.name} ({fault.down:g} s down)"


def _percentile(ordered: list[float], q: float) -> float:
    if not ordered:
        return float("nan")
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)


async def run_soak(config: SoakConfig, directory: Path, say=print) -> SoakResult:
    """Runs the whole soak under `directory` (wiped first; the processes' logs stay there)."""
    faults = parse_faults(config.faults, config.duration)
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    postgres, redis = PostgresServer(directory / "postgres"), RedisServer(directory / "redis")
    processes: list[RuamProcess] = []
    watch: ProposalWatch | None = None
    result: SoakResult | None = None
    try:
        clock = time.monotonic()
        await asyncio.gather(asyncio.to_thread(postgres.start), asyncio.to_thread(redis.start))
        database_url = postgres.create_database("ruam")
        await upgrade(database_url)
        seeded = await seed_round(database_url, participants=config.participants, clauses=config.clauses)
        env = {"DATABASE_URL": database_url, "REDIS_URL": redis.url, "SECRET_KEY": secrets.token_urlsafe(48),
               "DATA_DIR": str(directory / "data"), "DEBUG": "false"}
        webs = [RuamProcess("serve", directory / f"web-{i + 1}", {**env, "LOG_LEVEL": "WARNING"}, name=f"web-{i + 1}")
                for i in range(config.webs)]
        workers = [RuamProcess("worker", directory / ("worker" if i == 0 else f"worker-{i + 1}"),
                               {**env, "LOG_LEVEL": "INFO"}, name="worker" if i == 0 else f"worker-{i + 1}")
                   for i in range(max(1, config.workers))]
        worker = workers[0]
        processes = [*webs, *workers]
        await asyncio.gather(*(asyncio.to_thread(p.start) for p in processes))
        cluster = Cluster(postgres, redis, webs, worker, database_url)
        say(f"PostgreSQL on {postgres.port} ({postgres.bin}), Redis on {redis.port}, "
            f"{len(webs)} web processes on {', '.join(str(w.port) for w in webs)} and {len(workers)} worker(s), "
            f"a round of {config.clauses} clauses and {config.participants} members: "
            f"ready in {time.monotonic() - clock:.1f} s")

        watch = ProposalWatch(database_url, seeded.id)
        traffic = Traffic(seeded, [w.url for w in webs], config.rate, Mix(config.comments, config.needs),
                          timeout=config.timeout, seed=config.seed)
        supervisor = Supervisor(processes, config.supervise, cluster.held)
        stop_watch = asyncio.Event()
        started = time.time()
        watching = asyncio.create_task(watch.run(stop_watch))
        supervising = asyncio.create_task(supervisor.run(stop_watch))
        load = asyncio.create_task(traffic.run(config.duration))
        strikes = [asyncio.create_task(_at(started + f.at, strike(f, cluster, wait=config.worker_wait), say, f))
                   for f in faults]
        await load
        await asyncio.gather(*strikes)
        stop_watch.set()
        await asyncio.gather(watching, supervising)
        settled = await watch.settle(config.quiesce)
        say(f"load done: {len(traffic.attempts)} requests; quiescent {settled.at - started - config.duration:.1f} s "
            f"later (staleness {settled.staleness}, {settled.unpublished} events unpublished)")

        vote_events = await _vote_event_ids(database_url, seeded.id)
        recovery = {_label(f): _rounded(watch.recovery(vote_events, f.repaired)) for f in faults}
        ledger = await check_ledger(database_url, seeded, traffic.attempts)
        current = await _consolidate_again(env, seeded, ledger.proposal_version)
        windows = _windows(faults, traffic.attempts, watch.samples, started, config)
        result = SoakResult(config, started, faults, windows, traffic.attempts, traffic.dropped, watch.samples,
                            settled, recovery, ledger, current, supervisor.exits, str(directory))
        return result
    finally:
        if watch is not None:
            await watch.close()
        for process in processes:
            await asyncio.to_thread(process.stop)
        # the database of a run that failed stays, to be looked into
        kept = result is None or not result.ok
        await asyncio.gather(asyncio.to_thread(redis.stop),
                             asyncio.to_thread(postgres.stop if kept else postgres.remove))
        if kept:
            say(f"PostgreSQL's data is kept in {postgres.data}")


async def _at(when: float, action, say, fault: Fault) -> None:
    await asyncio.sleep(max(0.0, when - time.time()))
    say(f"fault: {_label(fault)} at {fault.at:.0f} s")
    await action


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _windows(faults: list[Fault], attempts: list[Attempt], samples: list[Sample], started: float,
             config: SoakConfig) -> list[Window]:
    """One window per fault, from the strike to `grace` seconds after the repair; the rest is `steady`."""
    windows = [Window(_label(f), f.started - started, f.repaired - started + config.grace) for f in faults]
    steady = Window("steady", 0.0, config.duration)
    for attempt in attempts:
        t = attempt.sent - started
        home = next((w for w in windows if w.start <= t < w.end), steady)
        home.attempts.append(attempt)
    for sample in samples:
        t = sample.at - started
        if t > config.duration:
            continue
        home = next((w for w in windows if w.start <= t < w.end), steady)
        home.samples.append(sample)
    return [steady, *windows]


async def _vote_event_ids(database_url: str, round_id) -> list:
    conn = await asyncpg.connect(database_url, timeout=10)
    try:
        return [r["id"] for r in await conn.fetch(
            "SELECT id FROM events WHERE round_id = $1 AND type = 'vote.cast' ORDER BY id", round_id)]
    finally:
        await conn.close()


async def _consolidate_again(env: dict[str, str], seeded: SeededRound, version: int | None) -> dict:
    """`ruam consolidate` once everything is quiet: the version it answers is the newest one when the
    newest proposal already reflects every input (same inputs, nothing new stored)."""
    done = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "server.cli", "consolidate", seeded.slug, "--json"],
        cwd=ROOT, env={**os.environ, **env, "LOG_LEVEL": "WARNING"}, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        return {"current": None, "error": done.stderr.strip()[-500:]}
    after = json.loads(done.stdout)["version"]
    return {"current": after == version, "version_before": version, "version_after": after}

