"""What counting and timing a request costs (server/operations/middleware.py RequestMetrics), per request.

    .venv/bin/python benchmarks/request_metrics.py [--requests 200000]

An ASGI app that answers at once is called in a loop, bare and inside RequestMetrics, for a route the
router chose (a page) and for /graphql (a fixed path), with prometheus_client's values in memory and then,
in a child process, in files (PROMETHEUS_MULTIPROC_DIR, as with several web processes on one machine). The
difference is the middleware's CPU per request, to be read against castVote's 150-176 µs of server CPU
(benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from starlette.routing import Route

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

START = {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]}
BODY = {"type": "http.response.body", "body": b'{"data":{}}'}
PAGE = Route("/drafts/{draft_id}", lambda request: None)


async def answer(scope, receive, send) -> None:
    if scope["path"] != "/graphql":
        scope["route"] = PAGE  # as Starlette's router sets it
    await send(START)
    await send(BODY)


async def receive() -> dict:
    return {"type": "http.request", "body": b"", "more_body": False}


async def send(message) -> None:
    pass


async def per_request(app, path: str, requests: int) -> float:
    """The best of five runs, in µs per request."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(requests):
            await app({"type": "http", "method": "POST", "path": path}, receive, send)
        best = min(best, (time.perf_counter() - started) / requests * 1e6)
    return best


async def measure(requests: int) -> None:
    from server.operations.middleware import RequestMetrics

    measured = RequestMetrics(answer, fixed=("/graphql",))
    mode = "files" if os.environ.get("PROMETHEUS_MULTIPROC_DIR") else "memory"
    for path in ("/graphql", "/drafts/0190c7a2-0000-7000-8000-000000000000"):
        bare = await per_request(answer, path, requests)
        wrapped = await per_request(measured, path, requests)
        print(f"{mode:6} {path[:20]:20} bare {bare:6.2f} µs   measured {wrapped:6.2f} µs   "
              f"overhead {wrapped - bare:5.2f} µs/request")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    asyncio.run(measure(args.requests))
    if not args.child:
        with tempfile.TemporaryDirectory() as folder:
            subprocess.run([sys.executable, __file__, "--child", "--requests", str(args.requests)], check=True,
                           env={**os.environ, "PROMETHEUS_MULTIPROC_DIR": folder})


if __name__ == "__main__":
    main()
