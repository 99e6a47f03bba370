"""castVote over HTTP against `ruam serve`, beside a bare Starlette + asyncpg endpoint doing the same upsert.

Run from the project root:

    .venv/bin/python benchmarks/cast_vote.py [--clients 64,256] [--seconds 10] [--loops asyncio,uvloop]
                                              [--targets bare,ruam,general] [--database-url URL]
                                              [--redis-url URL] [--py-spy DIR] [--web-processes 1,2]

It needs the bench extra (py-spy): .venv/bin/pip install -e '.[test,bench]'.

Without --database-url / --redis-url (or DATABASE_URL / REDIS_URL) an embedded PostgreSQL and Redis run
under var/bench-vote (kept between runs). The script works in a database named ruam_bench_vote on that
server, which it wipes and migrates first, so it never touches the app's own database.

Set-up, through the services (not timed): a round in the deliberation phase with --clauses clauses
(default 200) and --voters members (default: the largest client count), each with an API token with the
participate scope. Then, for each event loop (uvicorn --loop asyncio, then uvloop), two servers run as
subprocesses on free 127.0.0.1 ports:

  ruam  `ruam serve` (server.cli serve, one uvicorn worker) with LOG_LEVEL=WARNING (no access log) and the
        GraphQL rate limits raised out of the way (they are still checked in Redis on every request); with
        --web-processes 1,2 it runs once per count, as `ruam serve --workers N` (N processes on one socket,
        sharing only PostgreSQL and Redis) for N > 1, and the server CPU is that of all its processes;
  bare  a Starlette app whose one endpoint reads a JSON body and runs the same upsert
        (INSERT ... ON CONFLICT (participant_id, clause_id, amendment_id) DO UPDATE on votes) through
        an asyncpg pool of 15 connections (the app's SQLAlchemy pool: 5 + 10 overflow).

and three targets are measured: `bare`; `ruam`, the castVote mutation asking for the Vote's own fields
(answered by the fast lane, schema/fastlane.py); `general`, the same mutation also asking for the vote's
clause, which only the general GraphQL path answers (strawberry, the ORM services): what every castVote
cost before the fast lane.

Each level (64, then 256 concurrent clients, one keep-alive connection each, from a lean load
generator on uvloop in this process: benchmarks/loadgen.py, requests built before the clock starts) warms up for --warmup seconds, then is measured for --seconds or
--max-requests, whichever comes first. Client i votes as voter i, sequentially, on a slice of the
clauses that no other level uses; so the last vote each client had acknowledged (HTTP 200 and a Vote /
an id in the answer) for a (voter, clause) is what must be in the votes table afterwards, which is
checked at the end for every acknowledged vote, warm-up included; and the number of vote.cast events
must equal the number of castVote requests acknowledged.

Columns: requests per second, p50/p99 latency, server CPU per request (the uvicorn process), PostgreSQL +
Redis CPU per request (all their processes), load-generator CPU share of one core, and the ratio of
castVote's throughput to the bare endpoint's at the same loop and concurrency.

The clients are a closed loop (each sends its next request when the last is answered), so by Little's
law the mean latency is clients / throughput: at 256 clients, p50 < 100 ms needs more than 2,560 req/s,
whatever the server does per request.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import random
import shlex
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import loadgen
import uvicorn
from scratch_database import fresh_database

POOL_SIZE = 15  # the app's engine: SQLAlchemy's default pool of 5 + 10 overflow
UPSERT = """
INSERT INTO votes (id, round_id, participant_id, clause_id, amendment_id, value, entered_by_id, proxy_id)
VALUES ($1, $2, $3, $4, NULL, $5, $3, NULL)
ON CONFLICT (participant_id, clause_id, amendment_id)
DO UPDATE SET value = excluded.value, entered_by_id = excluded.entered_by_id, proxy_id = excluded.proxy_id,
              updated_at = now()
RETURNING id, value, updated_at
"""
CAST_VOTE = """mutation CastVote($clause: ID!, $choice: VoteChoice!) {
  castVote(clauseId: $clause, choice: $choice) {
    __typename
    ... on Vote { choice enteredByProxy updatedAt }
    ... on Error { message code }
  }
}"""
# the same mutation asking for the clause too: answered by the general GraphQL path (schema/fastlane.py
# answers only documents whose Vote fields come from the write itself), for comparison
CAST_VOTE_GENERAL = CAST_VOTE.replace("updatedAt }", "updatedAt clause { position } }")
CHOICES = {"AGREE": 1, "DISAGREE": -1, "PASS": 0}


# ---------------------------------------------------------------------------------------------------------
# the two servers, each run as `python benchmarks/cast_vote.py _ruam|_bare ...` in its own process

def serve_ruam(port: int, loop: str, processes: int = 1) -> int:
    """`ruam serve` itself, with uvicorn's --loop chosen and the rate limits out of the benchmark's way."""
    from server.cli import main

    argv = ["serve", "--host", "127.0.0.1", "--port", str(port)]
    if processes > 1:
        # `ruam serve --workers N` spawns each web process afresh: the loop and the raised limits travel in
        # the config it pickles for them (BenchConfig, found again in this script by the spawned process)
        BenchConfig.bench_loop = loop
        uvicorn.Config = BenchConfig  # type: ignore[misc]
        return main([*argv, "--workers", str(processes)])
    raise_rate_limits()
    uvicorn.run = functools.partial(uvicorn.run, loop=loop)
    return main(argv)


def raise_rate_limits() -> None:
    from schema.http import GraphQLApp

    # class attributes meant for exactly this (schema/http.py): the checks still run, in Redis
    GraphQLApp.per_address = (10**9, 60)
    GraphQLApp.per_token = (10**9, 60)


class BenchConfig(uvicorn.Config):
    bench_loop = "auto"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **{**kwargs, "loop": self.bench_loop})

    def load(self) -> None:
        raise_rate_limits()  # in the web process, before it imports the app
        super().load()


def serve_bare(port: int, loop: str, database_url: str) -> int:
    import asyncpg
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from server.ids import uuid7

    pool: asyncpg.Pool | None = None
    state: dict[str, uuid.UUID] = {}

    async def vote(request: Request) -> JSONResponse:
        body = await request.json()
        async with pool.acquire() as conn:
            row = await conn.fetchrow(UPSERT, uuid7(), state["round"], uuid.UUID(body["participant"]),
                                      uuid.UUID(body["clause"]), int(body["value"]))
        return JSONResponse({"id": str(row["id"]), "value": row["value"], "updatedAt": row["updated_at"].isoformat()})

    async def ready(request: Request) -> JSONResponse:
        return JSONResponse({"ok": True})

    async def lifespan(app):
        nonlocal pool
        pool = await asyncpg.create_pool(plain_url(database_url), min_size=POOL_SIZE, max_size=POOL_SIZE)
        state["round"] = await pool.fetchval("SELECT id FROM rounds WHERE slug = 'bench-vote'")
        yield
        await pool.close()

    app = Starlette(routes=[Route("/vote", vote, methods=["POST"]), Route("/ready", ready)], lifespan=lifespan)
    uvicorn.run(app, host="127.0.0.1", port=port, loop=loop, log_level="warning")
    return 0


def plain_url(url: str) -> str:
    """asyncpg takes postgresql:// URLs; pgserver's carry a unix socket in ?host=."""
    for prefix in ("postgresql+asyncpg://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix):]
    return url


# ---------------------------------------------------------------------------------------------------------
# set-up

@dataclass
class Setup:
    round_id: uuid.UUID
    clauses: list[uuid.UUID]
    voters: list[uuid.UUID]
    tokens: list[str]


async def set_up(database_url: str, n_clauses: int, n_voters: int) -> Setup:
    """A round in deliberation, its clauses and its voters with tokens, made through the services."""
    from server.auth.service import create_token
    from server.database import make_engine, make_sessionmaker, unit_of_work
    from server.drafts import service as drafts
    from server.people.service import create_participant
    from server.rounds import service as rounds
    from server.rounds.service import GroupSpec

    engine = make_engine(database_url)
    try:
        async with unit_of_work(make_sessionmaker(engine)) as session:
            facilitator = await create_participant(session, None, display_name="Bench facilitator",
                                                   role="facilitator")
            round_ = await rounds.create_round(
                session, facilitator, slug="bench-vote", title={"th": "รอบทดสอบความเร็ว", "en": "Vote benchmark"},
                groups=[GroupSpec("villagers", {"en": "Villagers"}), GroupSpec("government", {"en": "Government"})])
            await rounds.move_phase(session, facilitator, round_.id, "drafting")
            draft = await drafts.create_draft(session, facilitator, round_.id, title="ร่างนโยบายทดสอบ")
            clauses = [(await drafts.add_clause(session, facilitator, draft.id, text=f"ข้อที่ {i + 1}")).id
                       for i in range(n_clauses)]
            await rounds.move_phase(session, facilitator, round_.id, "deliberation")
            voters, tokens = [], []
            for i in range(n_voters):
                voter = await create_participant(session, None, display_name=f"Voter {i + 1}")
                await rounds.add_member(session, facilitator, round_.id, voter.id,
                                        group_key="villagers" if i % 4 else "government")
                _, plain = await create_token(session, None, voter.id, name=f"bench voter {i + 1}",
                                              scopes=["read", "participate"])
                voters.append(voter.id)
                tokens.append(plain)
            return Setup(round_.id, clauses, voters, tokens)
    finally:
        await engine.dispose()


# ---------------------------------------------------------------------------------------------------------
# servers as subprocesses

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    name: str
    loop: str
    port: int
    process: subprocess.Popen
    processes: int = 1

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(kind: str, loop: str, env: dict[str, str], database_url: str, processes: int = 1) -> Server:
    port = free_port()
    argv = [sys.executable, str(Path(__file__).resolve()), f"_{kind}", "--port", str(port), "--loop", loop]
    if kind == "bare":
        argv += ["--database-url", database_url]
    else:
        argv += ["--processes", str(processes)]
    process = subprocess.Popen(argv, env=env, cwd=ROOT)
    return Server(kind, loop, port, process, processes if kind == "ruam" else 1)


async def wait_ready(server: Server, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    probe = loadgen.get("/ready") if server.name == "bare" else \
        loadgen.post("/graphql", b'{"query": "{ __typename }"}', {})
    while True:
        if server.process.poll() is not None:
            raise SystemExit(f"the {server.name} server ({server.loop}) exited with {server.process.returncode}")
        try:
            connection = await loadgen.connect(server.port)
            try:
                status, _ = await connection.request(probe)
            finally:
                connection.close()
            if status == 200:
                return
        except (OSError, loadgen.Closed):
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"the {server.name} server ({server.loop}) did not answer within {timeout:.0f} s")
        await asyncio.sleep(0.2)


# ---------------------------------------------------------------------------------------------------------
# CPU accounting from /proc

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def tree_cpu_seconds(pid: int) -> float:
    """A process and all its descendants: `ruam serve --workers N`'s web processes are its children."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    tree, grew = {pid}, True
    while grew:
        more = {child for child, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(cpu_seconds(p) for p in tree)


def service_cpu_seconds() -> float:
    """PostgreSQL's and Redis's processes, all of them (backends come and go with connections)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            comm = (entry / "comm").read_text().strip()
        except OSError:
            continue
        if comm.startswith(("postgres", "redis-server")):
            total += cpu_seconds(int(entry.name))
    return total


# ---------------------------------------------------------------------------------------------------------
# the load generator

@dataclass
class Level:
    target: str
    loop: str
    clients: int
    processes: int = 1
    requests: int = 0
    failures: int = 0
    failure_examples: list[str] = field(default_factory=list)
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    server_cpu: float = 0.0
    service_cpu: float = 0.0
    generator_cpu: float = 0.0
    acknowledged: int = 0  # all acknowledged requests, warm-up included

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def run_level(server: Server, target: str, setup: Setup, clauses: list[uuid.UUID], clients: int, *,
                    warmup: float, seconds: float, max_requests: int, acknowledged: dict, seed: int,
                    py_spy: Path | None) -> Level:
    from schema import ids

    level = Level(target, server.loop, clients, server.processes)
    document = CAST_VOTE_GENERAL if target == "general" else CAST_VOTE
    gids = {c: ids.encode("Clause", c) for c in clauses}
    measuring = False
    stop_at = time.monotonic() + warmup + seconds + 60  # reset once measuring starts
    ok_measured = 0

    def request(i: int, clause: uuid.UUID, choice: str) -> bytes:
        if target == "bare":
            body = {"participant": str(setup.voters[i]), "clause": str(clause), "value": CHOICES[choice]}
            return loadgen.post("/vote", json.dumps(body).encode(), {})
        body = {"query": document, "variables": {"clause": gids[clause], "choice": choice}}
        return loadgen.post("/graphql", json.dumps(body).encode(),
                            {"Authorization": f"Bearer {setup.tokens[i]}", "Accept-Language": "en"})

    async def client(i: int) -> None:
        nonlocal ok_measured
        rng = random.Random(seed * 1000 + i)
        voter = setup.voters[i]
        # every request this client can send, built before the clock starts
        prepared = {(c, choice): request(i, c, choice) for c in clauses for choice in CHOICES}
        connection = None
        while time.monotonic() < stop_at and not (measuring and ok_measured >= max_requests):
            clause = rng.choice(clauses)
            choice = rng.choice(("AGREE", "DISAGREE", "PASS"))
            counted = measuring
            started = time.perf_counter()
            try:
                if connection is None or connection.closed:
                    connection = await loadgen.connect(server.port)
                status, payload = await connection.request(prepared[(clause, choice)])
            except Exception as error:
                status, payload, connection = 0, repr(error).encode(), None
            elapsed = time.perf_counter() - started
            ok = status == 200 and _acknowledged(target, payload)
            if ok:
                acknowledged[(voter, clause)] = CHOICES[choice]
                level.acknowledged += 1
            if counted and measuring:
                if ok:
                    level.requests += 1
                    ok_measured += 1
                    level.latencies.append(elapsed)
                else:
                    level.failures += 1
                    if len(level.failure_examples) < 3:
                        level.failure_examples.append(f"{status}: {payload[:300]!r}")
        if connection is not None:
            connection.close()

    tasks = [asyncio.create_task(client(i)) for i in range(clients)]
    await asyncio.sleep(warmup)
    spy = None
    if py_spy is not None:
        out = py_spy / f"{target}-{server.loop}-{server.processes}p-{clients}.txt"
        command = [str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(server.pid),
                   "--duration", str(int(seconds)), "--rate", "250", "--format", "raw", "--output", str(out),
                   "--nonblocking", *(["--subprocesses"] if server.processes > 1 else [])]
        with open(py_spy / "py-spy.log", "a") as errors:  # noqa: ASYNC230 -- once per level, before measuring
            spy = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)  # noqa: ASYNC220
    cpu0 = (tree_cpu_seconds(server.pid), service_cpu_seconds(), time.process_time())
    started = time.monotonic()
    measuring = True
    stop_at = started + seconds
    while time.monotonic() < stop_at and ok_measured < max_requests:
        await asyncio.sleep(0.05)
    level.seconds = time.monotonic() - started
    cpu1 = (tree_cpu_seconds(server.pid), service_cpu_seconds(), time.process_time())
    stop_at = 0
    await asyncio.gather(*tasks)
    level.server_cpu, level.service_cpu, level.generator_cpu = (b - a for a, b in zip(cpu0, cpu1, strict=False))
    if spy is not None:
        spy.wait()
    return level


def _acknowledged(target: str, payload: bytes) -> bool:
    # byte tests, not a JSON parse: the answers are compact JSON (orjson), and the load generator's CPU
    # is the servers' loss
    if target == "bare":
        return payload.startswith(b'{"id":')
    return payload.startswith(b'{"data":{"castVote":{"__typename":"Vote"') and b'"errors":' not in payload


# ---------------------------------------------------------------------------------------------------------

async def check_votes(database_url: str, round_id: uuid.UUID, acknowledged: dict, ruam_acks: int) -> dict:
    import asyncpg

    conn = await asyncpg.connect(plain_url(database_url))
    try:
        rows = await conn.fetch("SELECT participant_id, clause_id, value FROM votes "
                                "WHERE round_id = $1 AND amendment_id IS NULL", round_id)
        events = await conn.fetchval("SELECT count(*) FROM events WHERE round_id = $1 AND type = 'vote.cast'",
                                     round_id)
    finally:
        await conn.close()
    stored = {(r["participant_id"], r["clause_id"]): r["value"] for r in rows}
    missing = [key for key in acknowledged if key not in stored]
    wrong = [key for key, value in acknowledged.items() if key in stored and stored[key] != value]
    return {"acknowledged": len(acknowledged), "stored": len(stored), "missing": len(missing), "wrong": len(wrong),
            "unacknowledged_rows": len(set(stored) - set(acknowledged)), "events": events, "ruam_acks": ruam_acks}


def table(levels: list[Level]) -> str:
    bare = {(lv.loop, lv.clients): lv.rate for lv in levels if lv.target == "bare"}
    head = (f"{'target':<7} {'loop':<8} {'procs':>5} {'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
            f"{'fail':>5} "
            f"{'srv µs/req':>10} {'db µs/req':>9} {'gen cpu':>7} {'vs bare':>7}")
    lines = [head, "-" * len(head)]
    for lv in levels:
        n = max(lv.requests, 1)
        ratio = lv.rate / bare[(lv.loop, lv.clients)] if lv.target != "bare" and bare.get((lv.loop, lv.clients)) \
            else None
        lines.append(f"{lv.target:<7} {lv.loop:<8} {lv.processes:>5} {lv.clients:>7} {lv.rate:>8.0f} "
                     f"{lv.percentile(0.5):>8.1f} "
                     f"{lv.percentile(0.99):>8.1f} {lv.failures:>5} {lv.server_cpu / n * 1e6:>10.0f} "
                     f"{lv.service_cpu / n * 1e6:>9.0f} {lv.generator_cpu / max(lv.seconds, 1e-9):>7.0%} "
                     f"{'' if ratio is None else f'{ratio:.0%}':>7}")
    first: dict[tuple[str, str, int], Level] = {}
    for lv in levels:
        first.setdefault((lv.target, lv.loop, lv.clients), lv)
    for lv in levels:
        one = first[(lv.target, lv.loop, lv.clients)]
        if lv is not one and one.rate:
            lines.append(f"{lv.target} {lv.loop} {lv.clients} clients, {lv.processes} web processes against "
                         f"{one.processes}: {lv.rate / one.rate:.2f}× the throughput, p99 "
                         f"{lv.percentile(0.99) / one.percentile(0.99):.2f}×")
    return "\n".join(lines)


async def main(args: argparse.Namespace) -> int:
    from server.embedded import start_services

    client_levels = [int(c) for c in args.clients.split(",")]
    loops = [lp.strip() for lp in args.loops.split(",")]
    targets = [t.strip() for t in args.targets.split(",")]
    web_processes = [int(n) for n in args.web_processes.split(",")]
    n_voters = args.voters or max(client_levels)
    if n_voters < max(client_levels):
        raise SystemExit("--voters must be at least the largest client count (each client votes as its own voter)")
    # the bare endpoint is one process whatever --web-processes says: measured once per loop
    phases = [(loop, procs, clients, target) for loop in loops for procs in web_processes
              for clients in client_levels for target in targets if target != "bare" or procs == web_processes[0]]
    if args.clauses < len(phases):
        raise SystemExit(f"--clauses must be at least {len(phases)} (each level votes on its own clauses)")

    data_dir = ROOT / "var" / "bench-vote"
    services = start_services(args.database_url, args.redis_url, data_dir)
    servers: list[Server] = []
    try:
        database_url = await fresh_database(services.database_url, "ruam_bench_vote")
        started = time.perf_counter()
        setup = await set_up(database_url, args.clauses, n_voters)
        print(f"set up a round with {len(setup.clauses)} clauses and {len(setup.voters)} voters with tokens "
              f"in {time.perf_counter() - started:.1f} s (not part of the figures); {os.cpu_count()} CPUs")
        if args.py_spy:
            args.py_spy.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": services.redis_url,
               "DATA_DIR": str(data_dir / "app"), "LOG_LEVEL": "WARNING", "DEBUG": "false"}
        per_phase = len(setup.clauses) // len(phases)
        slices = {phase: setup.clauses[i * per_phase:(i + 1) * per_phase] for i, phase in enumerate(phases)}
        acknowledged: dict[tuple[uuid.UUID, uuid.UUID], int] = {}
        levels: list[Level] = []
        for loop, procs in [(loop, procs) for loop in loops for procs in web_processes]:
            here = [t for t in targets if (loop, procs, client_levels[0], t) in slices]
            running = {kind: start_server(kind, loop, env, database_url, procs)
                       for kind in {"bare" if t == "bare" else "ruam" for t in here}}
            servers.extend(running.values())
            for server in running.values():
                await wait_ready(server)
            for clients in client_levels:
                for target in here:
                    level = await run_level(
                        running["bare" if target == "bare" else "ruam"], target, setup,
                        slices[(loop, procs, clients, target)], clients,
                        warmup=args.warmup, seconds=args.seconds, max_requests=args.max_requests,
                        acknowledged=acknowledged, seed=len(levels) + 1, py_spy=args.py_spy)
                    levels.append(level)
                    print(f"  {target:<7} {loop:<8} {level.processes}p {clients:>4} clients: "
                          f"{level.rate:8.0f} req/s, "
                          f"p50 {level.percentile(0.5):6.1f} ms, p99 {level.percentile(0.99):6.1f} ms, "
                          f"{level.failures} failed" + (f" e.g. {level.failure_examples[0]}"
                                                        if level.failure_examples else ""), flush=True)
                    await asyncio.sleep(1)  # let the server's backlog drain before the next level
            for server in running.values():
                server.stop()
        ruam_acks = sum(lv.acknowledged for lv in levels if lv.target != "bare")
        check = await check_votes(database_url, setup.round_id, acknowledged, ruam_acks)
        print()
        print(table(levels))
        print()
        ok = check["missing"] == 0 and check["wrong"] == 0 and check["events"] == ruam_acks
        print(f"acknowledged votes check: {check['acknowledged']} (voter, clause) acknowledged, {check['stored']} "
              f"rows; {check['missing']} missing, {check['wrong']} with another value; {check['events']} vote.cast "
              f"events for {ruam_acks} acknowledged castVote requests: {'OK' if ok else 'FAILED'}")
        if args.py_spy:
            print(f"py-spy profiles (collapsed stacks) in {args.py_spy}")
        print(f"command: {shlex.join(['.venv/bin/python', *sys.argv])}")
        return 0 if ok else 1
    finally:
        for server in servers:
            server.stop()
        services.stop()


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or None)
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL") or None)
    parser.add_argument("--clients", default="64,256", help="comma-separated concurrency levels")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per level")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before each level")
    parser.add_argument("--max-requests", type=int, default=200_000, help="measured requests per level at most")
    parser.add_argument("--loops", default="asyncio,uvloop", help="uvicorn --loop values, comma-separated")
    parser.add_argument("--targets", default="bare,ruam,general",
                        help="comma-separated: bare, ruam (castVote), general (castVote asking for its clause too, "
                             "which takes the general GraphQL path)")
    parser.add_argument("--clauses", type=int, default=200)
    parser.add_argument("--voters", type=int, default=0, help="default: the largest client count")
    parser.add_argument("--py-spy", type=Path, help="record the servers with py-spy into this folder")
    parser.add_argument("--web-processes", default="1",
                        help="comma-separated web process counts for the ruam and general targets: 1 is "
                             "`ruam serve`, N > 1 `ruam serve --workers N`")
    return parser.parse_args()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in {"_ruam", "_bare"}:
        kind = sys.argv.pop(1)
        inner = argparse.ArgumentParser()
        inner.add_argument("--port", type=int, required=True)
        inner.add_argument("--loop", required=True)
        inner.add_argument("--database-url")
        inner.add_argument("--processes", type=int, default=1)
        opts = inner.parse_args()
        sys.exit(serve_ruam(opts.port, opts.loop, opts.processes) if kind == "_ruam"
                 else serve_bare(opts.port, opts.loop, opts.database_url))
    options = parse()
    try:
        import uvloop  # the load generator's own loop: the cheaper one, so that the servers get the CPU
    except ImportError:
        sys.exit(asyncio.run(main(options)))
    sys.exit(uvloop.run(main(options)))
