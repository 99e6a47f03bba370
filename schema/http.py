"""HTTP routes of the GraphQL API (mounted by server/app.py): /graphql over HTTP and websockets.

Each HTTP request is one unit of work: the body is read (at most MAX_BODY bytes), the caller
is rate limited by address and by token, identified, and given one session whose transaction
commits once the whole answer is ready. Mutations run in savepoints inside it (errors.perform).
Only JSON bodies are accepted, so a page on another site cannot post a mutation with a
signed-in person's cookie (a JSON POST needs a CORS preflight we never grant); GET runs queries only.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from typing import Any

from cross_web import HTTPException
from sqlalchemy.exc import IntegrityError
from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from schema import schema as graphql_schema
from schema.context import Context
from schema.errors import RACE, unexpected
from schema.subscriptions import check_connection
from server import ratelimit
from server.auth.identity import ANONYMOUS, identify
from server.config import LOCALES
from server.errors import NotPermitted
from server.i18n import N_, negotiate, translate
from web.session import KEY as SESSION_KEY  # the participant id in the signed session cookie

log = logging.getLogger("schema")

MAX_BODY = 256 * 1024
TOO_LARGE = N_("This request is too large: send at most {limit} KB.")
TOO_MANY = N_("Too many requests. Please wait {seconds} seconds and try again.")


def request_locale(connection: HTTPConnection) -> str:
    """?lang=, then what the locale middleware chose, then Accept-Language."""
    chosen = connection.query_params.get("lang") or connection.scope.get("state", {}).get("locale")
    if chosen in LOCALES:
        return chosen
    settings = connection.app.state.runtime.settings
    return negotiate(connection.headers.get("accept-language"), settings.default_locale)


def bearer_of(connection: HTTPConnection) -> str | None:
    scheme, _, token = connection.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def error_response(status: int, message: str, code: str, **headers: str) -> Response:
    """Refusals before GraphQL runs, shaped like GraphQL errors so clients handle one format."""
    return JSONResponse({"errors": [{"message": message, "extensions": {"code": code}}]}, status_code=status,
                        headers=headers)


class GraphQLApp(GraphQL[Context, None]):
    max_body = MAX_BODY
    # (requests, per seconds); class attributes so that a deployment or a test can change them
    per_address = (1200, 60)
    per_token = (600, 60)

    def __init__(self) -> None:
        super().__init__(graphql_schema, graphql_ide="graphiql", allow_queries_via_get=True,
                         subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await super().__call__(scope, receive, send)
        response = await self.answer(scope, receive)
        await response(scope, receive, send)

    async def answer(self, scope: Scope, receive: Receive) -> Response:
        request = Request(scope, receive)
        runtime = request.app.state.runtime
        locale = request_locale(request)
        body = await self._read_body(request)
        if body is None:
            return error_response(413, translate(TOO_LARGE, locale, limit=self.max_body // 1024), "too_large")
        request = Request(scope, _replay(body, receive))
        bearer = bearer_of(request)
        if (wait := await self._rate_limited(runtime.redis, request, bearer)) is not None:
            return error_response(429, translate(TOO_MANY, locale, seconds=wait), "rate_limited",
                                  **{"Retry-After": str(wait)})
        try:
            async with runtime.sessions() as session:
                try:
                    identity = await identify(session, bearer=bearer,
                                              session_participant=scope.get("session", {}).get(SESSION_KEY))
                except NotPermitted as refused:
                    return error_response(401, refused.message(locale), refused.code,
                                          **{"WWW-Authenticate": "Bearer"})
                request.state.graphql = (session, identity, locale)
                try:
                    try:
                        response = await self.run(request)
                    except HTTPException as refused:
                        response = PlainTextResponse(refused.reason, status_code=refused.status_code)
                    return await self._commit(session, request, response, locale)
                finally:  # never close the session under a statement still running (Context.run)
                    if (context := getattr(request.state, "graphql_context", None)) is not None:
                        await context.settle()
        except Exception:
            reference = secrets.token_hex(6)
            log.exception("unexpected error %s in a GraphQL request", reference)
            return error_response(500, unexpected(locale, reference), "internal")

    async def _commit(self, session: Any, request: Request, response: Response, locale: str) -> Response:
        """Commits the request's work once its answer is ready; the answer stands only if that succeeds."""
        context: Context | None = getattr(request.state, "graphql_context", None)
        if context is not None:
            await context.settle()
        try:
            await session.commit()
        except IntegrityError:
            # a deferred constraint (a clause position) failed at commit: another request won the race
            log.info("commit failed on a constraint; answered 409", exc_info=True)
            await session.rollback()
            return error_response(409, translate(RACE, locale), "conflict")
        except Exception:
            await session.rollback()
            if context is not None and context.wrote:
                raise
            # only reads ran, and one failed statement spoilt the transaction: nothing is lost, and the
            # answer already carries that field's error
            log.info("read-only request's transaction failed; answer kept", exc_info=True)
        return response

    async def _read_body(self, request: Request) -> bytes | None:
        """The body, or None when it is larger than max_body (read no further than that)."""
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            return None
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > self.max_body:
                return None
            chunks.append(chunk)
        return b"".join(chunks)

    async def _rate_limited(self, redis: Any, request: Request, bearer: str | None) -> int | None:
        """Seconds to wait, or None. Per address always; per token too, so that one integrator's
        loop cannot starve the people sharing its office's address, nor one address many tokens."""
        address = request.client.host if request.client else "unknown"
        checks = [(f"graphql:address:{address}", *self.per_address)]
        if bearer:
            checks.append((f"graphql:token:{hashlib.sha256(bearer.encode()).hexdigest()[:32]}", *self.per_token))
        for key, limit, per_seconds in checks:
            if not await ratelimit.allow(redis, key, limit=limit, per_seconds=per_seconds):
                return ratelimit.retry_after(per_seconds)
        return None

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        runtime = request.app.state.runtime
        if isinstance(request, WebSocket):
            # no request-wide transaction on a socket: subscriptions identify and open sessions themselves
            return Context(request=request, response=response, runtime=runtime, session=None, identity=ANONYMOUS,
                           locale=request_locale(request))
        session, identity, locale = request.state.graphql
        context = Context(request=request, response=response, runtime=runtime, session=session, identity=identity,
                          locale=locale)
        request.state.graphql_context = context
        return context

    async def on_ws_connect(self, context: Context) -> Any:
        # a socket whose credentials identify nobody is refused at once (schema/subscriptions.py)
        return await check_connection(context)

    async def render_graphql_ide(self, request: Request) -> Response:
        if not request.app.state.runtime.settings.debug:
            return PlainTextResponse("Not Found", status_code=404)
        return await super().render_graphql_ide(request)

    def encode_json(self, data: object) -> str:
        # Thai as UTF-8 (3 bytes a character) rather than \u escapes (6): pages are read on slow networks
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body already read, then the connection's own messages (a disconnect, for streams)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def routes() -> list[BaseRoute]:
    app = GraphQLApp()
    return [Route("/graphql", app), WebSocketRoute("/graphql", app)]
