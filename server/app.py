"""The ASGI application: the web pages and the GraphQL API over one runtime."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from schema import http as api
from server.config import LOCALES, Settings
from server.i18n import negotiate
from server.runtime import open_runtime
from web import routes as web
from web.errors import HANDLERS
from web.templating import locale


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
        chosen = asked or request.cookies.get("lang")
        lang = chosen if chosen in LOCALES else negotiate(request.headers.get("accept-language"), self.default)
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


def create_app(settings: Settings) -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with open_runtime(settings) as runtime:
            app.state.runtime = runtime
            yield

    return Starlette(
        debug=settings.debug,
        routes=[*api.routes(), *web.routes()],
        middleware=[
            # phones on slow networks: every page, stylesheet and script goes out compressed
            Middleware(GZipMiddleware, minimum_size=500),
            # signed, HttpOnly, SameSite=Lax; Secure whenever the public address is https
            Middleware(SessionMiddleware, secret_key=settings.secret_key, session_cookie="ruam_session",
                       max_age=180 * 24 * 3600, same_site="lax", https_only=settings.secure_cookies),
            Middleware(LocaleMiddleware, default=settings.default_locale),
        ],
        exception_handlers=HANDLERS,
        lifespan=lifespan,
    )
