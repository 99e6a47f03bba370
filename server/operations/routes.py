"""/healthz, /readyz and /metrics: answers for machines, without the pages' middlewares (no session, no
language, no error pages). server/app.py sends PATHS here before anything else."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, Router

from server.errors import RETRY_AFTER_SECONDS
from server.migrate import revisions
from server.operations import health, metrics
from server.operations.readings import read

PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    status, answer = health.readiness(await read(request.app.state.runtime))
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if status == 503 else None
    return JSONResponse(answer, status_code=status, headers=headers)


async def prometheus(request: Request) -> Response:
    readings = await read(request.app.state.runtime)
    # off the event loop: in multiprocess mode it reads every process's files
    body, content_type = await asyncio.to_thread(metrics.exposition, readings, request.headers.get("accept", ""))
    return Response(body, headers={"Content-Type": content_type})


def router() -> Router:
    revisions()  # the code's migration head, read once at start-up rather than by the first probe
    return Router([Route("/healthz", healthz), Route("/readyz", readyz), Route("/metrics", prometheus)])
