"""The ASGI application: the web adapter (and later the API) over one runtime."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from server.config import LOCALES, Settings
from server.i18n import negotiate
from server.runtime import open_runtime
from web.templating import locale
from web.views import home

STATIC = Path(__file__).parent.parent / "web" / "static"


class LocaleMiddleware:
    """The reader's language: ?lang=, then the lang cookie, then Accept-Language."""

    def __init__(self, app: ASGIApp, default: str):
        self.app, self.default = app, default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        from starlette.requests import Request

        request = Request(scope)
        chosen = request.query_params.get("lang") or request.cookies.get("lang")
        lang = chosen if chosen in LOCALES else negotiate(request.headers.get("accept-language"), self.default)
        scope.setdefault("state", {})["locale"] = lang
        token = locale.set(lang)
        try:
            await self.app(scope, receive, send)
        finally:
            locale.reset(token)


def create_app(settings: Settings) -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with open_runtime(settings) as runtime:
            app.state.runtime = runtime
            yield

    return Starlette(
        debug=settings.debug,
        routes=[
            Route("/", home.home),
            Route("/healthz", home.health),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        middleware=[Middleware(LocaleMiddleware, default=settings.default_locale)],
        lifespan=lifespan,
    )
