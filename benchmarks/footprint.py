"""Memory and CPU of one `ruam serve` and one `ruam worker` under load: the figures behind the Kubernetes
requests and limits (deploy/k8s/base, docs/operations.md).

Run from the project root:

    .venv/bin/python benchmarks/footprint.py [--seconds 30] [--rate 50] [--clients 16]
                                             [--database-url URL] [--redis-url URL]

It works in a database named ruam_bench_footprint on the given (or embedded) PostgreSQL, wiped and migrated
first. Set-up (not measured): a round in deliberation with 200 clauses and 64 voters with tokens
(cast_vote.py's set_up). Then `ruam serve` (cast_vote.py's `_ruam` entry: the GraphQL rate limits raised,
still checked in Redis) and `ruam worker` start as subprocesses, idle for 5 s, and take two loads in turn,
each for --seconds:

  paced      --rate requests per second, spread over the clients: a busy village meeting
  saturated  --clients closed-loop clients, each sending its next request when the last is answered

The mix: 70 % castVote (each vote is an event the worker relays and an input consolidation takes up), 20 %
the round's page, 5 % /readyz, 5 % /metrics. Both processes are sampled every 0.5 s with psutil: RSS
(resident memory, children included) and CPU (cores, over each 0.5 s).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shlex
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from cast_vote import CAST_VOTE, free_port, set_up
from scratch_database import fresh_database

MB = 1024 * 1024


@dataclass
class Samples:
    rss: list[float] = field(default_factory=list)  # MiB
    cpu: list[float] = field(default_factory=list)  # cores


def _tree_rss(process: psutil.Process) -> float:
    total = 0
    for p in [process, *process.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total / MB


def _tree_cpu(process: psutil.Process) -> float:
    total = 0.0
    for p in [process, *process.children(recursive=True)]:
        try:
            times = p.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


async def sample(processes: dict[str, psutil.Process], into: dict[str, Samples], stop: asyncio.Event) -> None:
    last = {name: (_tree_cpu(p), time.monotonic()) for name, p in processes.items()}
    while not stop.is_set():
        await asyncio.sleep(0.5)
        for name, p in processes.items():
            cpu, at = _tree_cpu(p), time.monotonic()
            into[name].cpu.append((cpu - last[name][0]) / (at - last[name][1]))
            into[name].rss.append(_tree_rss(p))
            last[name] = (cpu, at)


async def one_request(client: httpx.AsyncClient, rng: random.Random, tokens: list[str], clauses: list[str]) -> int:
    pick = rng.random()
    if pick < 0.70:
        body = {"query": CAST_VOTE, "variables": {"clause": rng.choice(clauses),
                                                  "choice": rng.choice(["AGREE", "DISAGREE", "PASS"])}}
        answer = await client.post("/graphql", json=body, headers={"Authorization": f"Bearer {rng.choice(tokens)}"})
    elif pick < 0.90:
        answer = await client.get("/rounds/bench-vote")
    elif pick < 0.95:
        answer = await client.get("/readyz")
    else:
        answer = await client.get("/metrics")
    return answer.status_code


async def load(port: int, seconds: float, tokens: list[str], clauses: list[str], *, clients: int,
               rate: float | None) -> tuple[int, int]:
    """(requests answered, answers that were not 2xx)."""
    done, failed = 0, 0
    deadline = time.monotonic() + seconds

    async def client_loop(i: int) -> None:
        nonlocal done, failed
        rng = random.Random(i)
        gap = clients / rate if rate else 0.0
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            next_at = time.monotonic() + rng.random() * gap
            while time.monotonic() < deadline:
                if gap:
                    await asyncio.sleep(max(0.0, next_at - time.monotonic()))
                    next_at += gap
                status = await one_request(client, rng, tokens, clauses)
                done += 1
                failed += not 200 <= status < 300

    await asyncio.gather(*(client_loop(i) for i in range(clients)))
    return done, failed


async def wait_ready(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=2) as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get("/readyz")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)
    raise SystemExit(f"ruam serve did not become ready within {timeout:.0f} s")


def summary(name: str, phase: str, samples: Samples) -> str:
    rss, cpu = samples.rss, samples.cpu
    steady = rss[len(rss) // 2:] or rss
    return (f"  {name:<6} {phase:<9} RSS median {statistics.median(steady):6.0f} MiB, max {max(rss):6.0f} MiB; "
            f"CPU mean {statistics.fmean(cpu):4.2f} cores, p95 {sorted(cpu)[int(0.95 * (len(cpu) - 1))]:4.2f}")


def start(argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, *argv], env=env, cwd=ROOT)


async def main(args: argparse.Namespace) -> int:
    from server.embedded import start_services

    data_dir = ROOT / "var" / "bench-footprint"
    services = start_services(args.database_url, args.redis_url, data_dir)
    children: list[subprocess.Popen[bytes]] = []
    try:
        database_url = await fresh_database(services.database_url, "ruam_bench_footprint")
        setup = await set_up(database_url, 200, 64)
        env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": services.redis_url,
               "DATA_DIR": str(data_dir / "app"), "LOG_LEVEL": "WARNING", "DEBUG": "false"}
        port = free_port()
        serve = start([str(ROOT / "benchmarks" / "cast_vote.py"), "_ruam", "--port", str(port), "--loop", "asyncio"],
                      env)
        worker = start(["-m", "server.cli", "worker"], env)
        children += [serve, worker]
        await wait_ready(port)
        processes = {"serve": psutil.Process(serve.pid), "worker": psutil.Process(worker.pid)}
        tokens, clauses = setup.tokens, [str(c) for c in setup.clauses]
        print(f"{os.cpu_count()} CPUs; serve pid {serve.pid}, worker pid {worker.pid}")
        phases: list[tuple[str, float, int, float | None]] = [
            ("idle", 5.0, 0, None), ("paced", args.seconds, args.clients, args.rate),
            ("saturated", args.seconds, args.clients, None)]
        for phase, seconds, clients, rate in phases:
            into = {name: Samples() for name in processes}
            stop = asyncio.Event()
            sampler = asyncio.create_task(sample(processes, into, stop))
            started = time.monotonic()
            if clients:
                done, failed = await load(port, seconds, tokens, clauses, clients=clients, rate=rate)
            else:
                await asyncio.sleep(seconds)
                done, failed = 0, 0
            elapsed = time.monotonic() - started
            stop.set()
            await sampler
            print(f"{phase}: {done} requests in {elapsed:.0f} s ({done / elapsed:.0f}/s), {failed} not 2xx")
            for name in processes:
                print(summary(name, phase, into[name]))
        print(f"command: {shlex.join(['.venv/bin/python', *sys.argv])}")
        return 0
    finally:
        for child in children:
            child.terminate()
        for child in children:
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
        services.stop()


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--rate", type=float, default=50.0, help="requests per second in the paced phase")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL"))
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse())))
