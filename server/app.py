"""The ASGI application: the web pages and the GraphQL API over one runtime."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Literal, TypedDict

from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from schema import http as api
from server import logs, text
from server.config import LOCALES, Settings
from server.i18n import choose
from server.operations import routes as operations
from server.operations.middleware import RequestMetrics
from server.operations.request_id import RequestIds
from server.operations.routes import PATHS as OPERATIONS
from server.runtime import open_runtime
from web import routes as web
from web.errors import HANDLERS
from web.security_headers import SecurityHeaders
from web.templating import locale


class _SessionOptions(TypedDict):
    secret_key: str
    session_cookie: str
    max_age: int
    same_site: Literal["lax", "strict", "none"]
    https_only: bool


class _CompressionOptions(TypedDict):
    minimum_size: int


class LocaleMiddleware:
    """The reader's language: ?lang=, then the lang cookie, then Accept-Language. A language
    chosen with ?lang= is remembered in the cookie, so the choice holds on the next page."""

    def __init__(self, app: ASGIApp, default: str):
        self.app, self.default = app, default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        from starlette.requests import Request

        request = Request(scope)
        asked = request.query_params.get("lang")
        lang = choose(asked, request.cookies.get("lang"), request.headers.get("accept-language"), self.default)
        scope.setdefault("state", {})["locale"] = lang
        remember = asked in LOCALES and asked != request.cookies.get("lang")

        async def send_with_cookie(message: Message) -> None:
            if remember and message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.append("set-cookie", f"lang={asked}; Max-Age=31536000; Path=/; HttpOnly; SameSite=Lax")
            await send(message)

        token = locale.set(lang)
        try:
            await self.app(scope, receive, send_with_cookie)
        finally:
            locale.reset(token)


_frozen = False


def freeze_startup_heap() -> None:
    """Moves what the process holds once started (modules, templates, the schema, the runtime: some 180,000
    objects) out of the garbage collector's sight. Under load, objects of requests in flight survive into
    the oldest generation fast enough to trigger a full collection about every second, and each one walked
    the whole heap: about 100 ms with every request stalled (benchmarks/cast_vote.py saw it as the p99 and
    a sixth of the CPU). Frozen, a full collection takes a tenth of that. Garbage is collected first, so
    nothing is kept that could have been freed. Once per process (tests start many apps)."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.collect()
        gc.freeze()


class Ruam(Starlette):
    """The app. Every HTTP request is counted, timed and logged (server/operations/middleware.py), its answer
    given the security headers (web/security_headers.py), then routed.
    Requests to /graphql skip the page middlewares (the locale, which GraphQL reads from the request itself,
    and Starlette's error pages and routing: it answers with its own typed errors) and keep the two it needs:
    the session cookie, by which a signed-in person is identified, and compression. At thousands of castVote
    requests a second, each wrapper costs a share of the CPU. /healthz, /readyz and /metrics skip the page
    middlewares too: they answer machines, which have no session or language."""

    def __init__(self, *args: Any, graphql: ASGIApp, operations: ASGIApp, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.graphql, self.operations = graphql, operations
        # the id outside the metrics, so the request's own access line carries it
        self.measured = RequestIds(RequestMetrics(SecurityHeaders(self._route, graphiql=self.debug),
                                                  fixed=("/graphql",)))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope["app"] = self
            return await self.measured(scope, receive, send)
        return await super().__call__(scope, receive, send)

    async def _route(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"]
        if path == "/graphql":
            return await self.graphql(scope, receive, send)
        if path in OPERATIONS and scope["method"] in ("GET", "HEAD"):
            return await self.operations(scope, receive, send)
        return await super().__call__(scope, receive, send)


def create_app(settings: Settings) -> Ruam:
    logs.replace_uvicorn_access_log()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with open_runtime(settings) as runtime:
            app.state.runtime = runtime
            # pythainlp's dictionary is built on the first segmentation (about a second of CPU): built here,
            # in a thread, not inside the first request that submits a need, with every other request waiting
            await asyncio.to_thread(text.segment, "ร่วมกัน")
            freeze_startup_heap()
            yield

    routes = [*api.routes(), *web.routes()]
    # signed, HttpOnly, SameSite=Lax; Secure whenever the public address is https
    session: _SessionOptions = {"secret_key": settings.secret_key, "session_cookie": "ruam_session",
                                "max_age": 180 * 24 * 3600, "same_site": "lax", "https_only": settings.secure_cookies}
    # phones on slow networks: every page, stylesheet and script goes out compressed
    compressed: _CompressionOptions = {"minimum_size": 500}
    return Ruam(
        debug=settings.debug,
        routes=routes,
        middleware=[
            Middleware(GZipMiddleware, **compressed),
            Middleware(SessionMiddleware, **session),
            Middleware(LocaleMiddleware, default=settings.default_locale),
        ],
        exception_handlers=HANDLERS,
        lifespan=lifespan,
        graphql=GZipMiddleware(SessionMiddleware(api.view(routes), **session), **compressed),
        operations=GZipMiddleware(operations.router(), **compressed),
    )
