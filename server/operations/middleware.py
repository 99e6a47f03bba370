"""Every HTTP request counted, timed and logged, by route template: /drafts/{draft_id}, never an id (nor an
invite code: server/logs.py).

It wraps the whole app, /graphql included, at thousands of castVote requests a second, so it does little
per request: a clock read at each end, a wrapped send to see the status, and one dictionary lookup for the
metric children of (route, method, status), looked up in prometheus_client only the first time each is seen
(benchmarks/request_metrics.py measures it).
"""

from __future__ import annotations

from collections.abc import Iterable
from time import perf_counter
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.logs import request_line
from server.operations.metrics import LATENCY, REQUESTS

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"  # no route: a mistyped address, a scanner; one series for them all


class RequestMetrics:
    """`fixed` are the paths answered without a Starlette router (/graphql): each is its own template. Other
    requests take the template of the route a router chose (scope["route"])."""

    def __init__(self, app: ASGIApp, fixed: Iterable[str] = ()):
        self.app = app
        self.fixed = {path: path for path in fixed}
        self.children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = perf_counter()
        status = 500  # unless an answer starts: the app failed before it could give one

        async def seen(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, seen)
        finally:
            route = scope.get("route")
            template = route.path if route is not None else self.fixed.get(scope["path"], UNMATCHED)
            method = scope["method"]
            if method not in METHODS:  # any method a client invents would be a series of its own
                method = "other"
            key = (template, method, status)
            children = self.children.get(key)
            if children is None:
                children = self.children[key] = self._children(template, method, status)
            seconds = perf_counter() - started
            children[0].inc()
            children[1].observe(seconds)
            request_line(method, template, status, seconds)

    @staticmethod
    def _children(template: str, method: str, status: int) -> tuple[Any, Any]:
        return REQUESTS.labels(template, method, str(status)), LATENCY.labels(template)
