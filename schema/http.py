"""HTTP routes of the GraphQL API (mounted by server/app.py): /graphql over HTTP and websockets.

Each HTTP request is one unit of work: the body is read (at most MAX_BODY bytes), the caller
is rate limited by address and by token, identified, and given one session whose transaction
commits once the whole answer is ready. Mutations run in savepoints inside it (errors.perform).
Only JSON bodies are accepted, so a page on another site cannot post a mutation with a
signed-in person's cookie (a JSON POST needs a CORS preflight we never grant); GET runs queries only.

castVote, the one mutation integrators send by the thousand, has a fast lane: a document that
schema/fastlane.py has compiled is answered with one statement (server/deliberation/fast.py), shared
with the votes that arrive with it, on a pool of its own, without strawberry, a session or a transaction; whatever the lane declines (another
document, a refusal to explain, an unknown token) continues down the general path, unchanged.
benchmarks/cast_vote.py measures both, beside a bare endpoint.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from collections.abc import Sequence
from typing import Any

import asyncpg
import orjson
from cross_web import HTTPException
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from starlette.requests import ClientDisconnect, HTTPConnection, Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from schema import envelope, fastlane, ids
from schema import schema as graphql_schema
from schema.context import Context
from schema.errors import RACE, unexpected
from schema.subscriptions import check_connection
from server import ratelimit
from server.auth.bearer import bearer as bearer_in
from server.auth.identity import ANONYMOUS, identify
from server.auth.service import hash_secret
from server.database import asyncpg_address, unavailable
from server.deliberation.batching import Batcher
from server.deliberation.fast import Unidentified, batch_key, cast_vote_with_token, write_votes
from server.errors import RETRY_AFTER_SECONDS, UNAVAILABLE, DomainError, NotPermitted
from server.i18n import N_, choose, translate
from server.outage import Outage

log = logging.getLogger("schema")

MAX_BODY = 256 * 1024
TOO_LARGE = N_("This request is too large: send at most {limit} KB.")
TOO_MANY = N_("Too many requests. Please wait {seconds} seconds and try again.")
# each key's hits counted (ARGV: hits, expiry), and its expiry set as ratelimit.allow sets it; the counts
# in the keys' order
COUNT_HITS = """
local counts = {}
for i, key in ipairs(KEYS) do
    counts[i] = redis.call('INCRBY', key, ARGV[2 * i - 1])
    redis.call('EXPIRE', key, ARGV[2 * i])
end
return counts
"""
LEASE = 1000  # rate-limit hits a process takes from Redis at once, at most (a limit of 100,000 or more)
SPENT = -1  # a window's budget, once Redis has no more to give: refused here until the next window


def _lease(limit: int) -> int:
    """A hundredth of the limit, up to LEASE: small limits are counted in Redis hit by hit."""
    return max(1, min(LEASE, limit // 100))


def request_locale(connection: HTTPConnection) -> str:
    """As the pages choose (server/app.py LocaleMiddleware, which /graphql skips): ?lang=, then the lang
    cookie, then Accept-Language."""
    return choose(connection.query_params.get("lang"), connection.cookies.get("lang"),
                  connection.headers.get("accept-language"), connection.app.state.runtime.settings.default_locale)


def error_response(status: int, message: str, code: str, **headers: str) -> Response:
    """Refusals before GraphQL runs, shaped like GraphQL errors so clients handle one format."""
    return JSONResponse({"errors": [{"message": message, "extensions": {"code": code}}]}, status_code=status,
                        headers=headers)


def database_unavailable(locale: str) -> Response:
    """PostgreSQL is away (restarting, unreachable): 503 and when to try again, never a 500."""
    return error_response(503, translate(UNAVAILABLE, locale), "unavailable",
                          **{"Retry-After": str(RETRY_AFTER_SECONDS)})


def bad_request(refused: envelope.Refusal, locale: str, status: int = 400) -> Response:
    message, params = refused
    return error_response(status, translate(message, locale, **params), "bad_request")


class GraphQLApp(GraphQL[Context, None]):
    max_body = MAX_BODY
    # (requests, per seconds); class attributes so that a deployment or a test can change them
    per_address = (1200, 60)
    per_token = (600, 60)
    hot_pool_size = 10  # connections of the castVote fast lane's own pool (beside the engine's 5 + 10)

    def __init__(self) -> None:
        super().__init__(graphql_schema, graphql_ide="graphiql", allow_queries_via_get=True,
                         subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,))
        self._hot_pool: asyncpg.Pool | None = None
        self._counting: tuple[Any, Any] | None = None
        self._budget: dict[tuple[str, int], int] = {}  # (Redis key, limit) -> hits leased and not yet spent
        self._leasing: dict[tuple[str, int], asyncio.Future[None]] = {}  # leases on their way from Redis
        self._hot_pool_lock = asyncio.Lock()
        self._writer: tuple[Any, Batcher] | None = None
        self._database = Outage(log, "castVote fast lane: PostgreSQL")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await super().__call__(scope, receive, send)
        response = await self.answer(scope, receive)
        await response(scope, receive, send)

    async def answer(self, scope: Scope, receive: Receive) -> Response:
        request = Request(scope, receive)
        runtime = request.app.state.runtime
        body = await self._read_body(request)
        if body is None:
            locale = request_locale(request)
            return error_response(413, translate(TOO_LARGE, locale, limit=self.max_body // 1024), "too_large")
        request = Request(scope, _replay(body, receive))
        bearer = bearer_in(request.headers.get("authorization"))
        if (wait := await self._rate_limited(runtime.redis, request, bearer)) is not None:
            locale = request_locale(request)
            return error_response(429, translate(TOO_MANY, locale, seconds=wait), "rate_limited",
                                  **{"Retry-After": str(wait)})
        if bearer and (fast := self._fast_lane(request, body)) is not None:
            answered = await self._fast(runtime, bearer, *fast)
            if answered is not None:
                return answered
        locale = request_locale(request)
        if (refused := envelope.refusal(request.method, request.headers.get("content-type", ""), body,
                                        request.query_params)) is not None:
            return bad_request(refused, locale)
        try:
            async with runtime.sessions() as session:
                try:
                    identity = await identify(session, bearer=bearer, web_session=scope.get("session"))
                except NotPermitted as denied:
                    return error_response(401, denied.message(locale), denied.code,
                                          **{"WWW-Authenticate": "Bearer"})
                request.state.graphql = (session, identity, locale)
                try:
                    try:
                        response = await self.run(request)
                    except HTTPException as malformed:
                        response = bad_request(envelope.explained(malformed), locale, malformed.status_code)
                    if getattr(request.state, "graphql_context", None) and request.state.graphql_context.unavailable:
                        return database_unavailable(locale)
                    return await self._commit(session, request, response, locale)
                finally:  # never close the session under a statement still running (Context.run)
                    if (context := getattr(request.state, "graphql_context", None)) is not None:
                        await context.settle()
        except Exception as error:
            if unavailable(error):  # identifying the caller, or the commit, found PostgreSQL away
                return database_unavailable(locale)
            reference = secrets.token_hex(6)
            log.exception("unexpected error %s in a GraphQL request", reference)
            return error_response(500, unexpected(locale, reference), "internal")

    @staticmethod
    def _fast_lane(request: Request, body: bytes) -> tuple[fastlane.Plan, fastlane.Arguments] | None:
        """A castVote that schema/fastlane.py can answer: a JSON POST, not asking for a streamed answer."""
        if request.method != "POST" or "application/json" not in request.headers.get("content-type", ""):
            return None
        accept = request.headers.get("accept", "")
        if "multipart/" in accept or "text/event-stream" in accept:
            return None
        return fastlane.covered(body)

    async def _fast(self, runtime: Any, bearer: str, plan: fastlane.Plan,
                    arguments: fastlane.Arguments) -> Response | None:
        """castVote in one read and one write (server/deliberation/fast.py); None sends the request down the
        general path, which explains any refusal as a typed result exactly as it always has."""
        if arguments.proxy_id is not None:
            return None  # a facilitator's proxy vote: the general path, through service.cast_vote
        try:
            clause_id = ids.decode(arguments.clause_id, "Clause")
            amendment_id = ids.decode_optional(arguments.amendment_id, "Amendment")
            on_behalf_of = ids.decode_optional(arguments.on_behalf_of, "Participant")
        except DomainError:  # an id that names nothing: the general path explains it
            return None
        try:
            vote = await cast_vote_with_token(self._vote_writer(runtime).write, bearer, clause_id, arguments.choice,
                                              amendment_id=amendment_id, on_behalf_of=on_behalf_of)
        except (DomainError, Unidentified):
            # a refusal or an unknown token: nothing was written, and the general path gives the answer (a
            # typed error, a 401) exactly as for any other document
            return None
        except Exception as error:
            # a race with a deletion, a lost connection: nothing was written (one statement), and the general
            # path, with its own pool, answers or reports it (503 while PostgreSQL is away, said once here)
            if unavailable(error):
                self._database.failed(error)
            else:
                log.warning("castVote fast lane failed; answering through the general path", exc_info=True)
            return None
        if self._database.down:
            self._database.recovered()
        return Response(plan.answer(vote), media_type="application/json")

    def _vote_writer(self, runtime: Any) -> Batcher:
        """The fast lane's votes, written in batches (server/deliberation/batching.py) on a pool of their own:
        each batch is one statement, atomic on its own, so it runs without BEGIN and COMMIT, and the engine's
        pool would ping every connection it hands out (pool_pre_ping: BEGIN, a query and ROLLBACK, three
        round trips) and close its overflow under load. When the session factory is not bound to the engine
        (tests bind it to their own transaction), a batch runs on the connection a session from it holds,
        one batch at a time, and commits with that session."""
        if self._writer is None or self._writer[0] is not runtime:
            bound = getattr(runtime.sessions, "kw", {}).get("bind") is runtime.engine

            async def on_pool(items: Sequence[tuple[Any, ...]]) -> list[Any]:
                pool = self._hot_pool or await self._open_hot_pool(runtime)
                async with pool.acquire() as connection:
                    return await write_votes(connection, list(items))

            async def in_session(items: Sequence[tuple[Any, ...]]) -> list[Any]:
                async with runtime.sessions() as session:
                    connection = await (await session.connection()).get_raw_connection()
                    rows = await write_votes(connection.driver_connection, list(items))
                    await session.commit()
                    return rows

            writer = Batcher(on_pool if bound else in_session, batch_key, in_flight=self.hot_pool_size if bound else 1)
            self._writer = (runtime, writer)
        return self._writer[1]

    async def _open_hot_pool(self, runtime: Any) -> asyncpg.Pool:
        async with self._hot_pool_lock:
            if self._hot_pool is None:
                url = asyncpg_address(runtime.engine)

                async def keep(connection: asyncpg.Connection) -> None:
                    """No reset query on release (a round trip): the fast lane leaves no session state behind
                    (asyncpg still rolls back a transaction left open)."""

                async def generic_plans(connection: asyncpg.Connection) -> None:
                    """The statement's plan is the same whatever the ids: planned once per connection, not
                    re-planned per call (a custom plan costs more than running it)."""
                    await connection.execute("SET plan_cache_mode = force_generic_plan")

                # no floor of connections to keep: asyncpg would restore it in the background, with a traceback
                # a second while PostgreSQL is away
                pool = await asyncpg.create_pool(url, min_size=0, max_size=self.hot_pool_size, reset=keep,
                                                 init=generic_plans)
                # closed with the engine, when the runtime closes (before an embedded PostgreSQL stops)
                event.listen(runtime.engine.sync_engine, "engine_disposed", lambda engine: self._close_hot_pool())
                self._hot_pool = pool
        return self._hot_pool

    def _close_hot_pool(self) -> None:
        if self._hot_pool is not None:
            self._hot_pool.terminate()
            self._hot_pool = None

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
        while True:  # request.stream(), without an async generator per request
            message = await request.receive()
            if message["type"] == "http.disconnect":
                raise ClientDisconnect()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _rate_limited(self, redis: Any, request: Request, bearer: str | None) -> int | None:
        """Seconds to wait, or None. Per address always; per token too, so that one integrator's
        loop cannot starve the people sharing its office's address, nor one address many tokens."""
        address = request.client.host if request.client else "unknown"
        checks = [(f"graphql:address:{address}", *self.per_address)]
        if bearer:
            checks.append((f"graphql:token:{hash_secret(bearer)[:32]}", *self.per_token))
        # ratelimit.allow's counters (the same keys, windows and expiry, shared with every process), counted
        # by lease: a process takes up to LEASE hits of a key's window from Redis at once, in one round trip
        # for both keys, and spends them locally. Never more than the limit pass in a window, all processes
        # together; a process may refuse early while others hold unspent hits (at most a hundredth of the
        # limit each). One lease per key is on its way at a time, and requests that find the key empty wait
        # for it: at hundreds of requests in flight, each going to Redis on its own made a stampede of
        # connections that held some requests for hundreds of milliseconds. A request takes its hit on each
        # key before it is let through, and gives it back if the other key refuses.
        now = int(time.time())
        budget = self._budget
        held = [(ratelimit.window(key, per_seconds, now), limit) for key, limit, per_seconds in checks]
        if ratelimit.WITHOUT_REDIS.skip():
            return self._without_redis(held, checks)
        mine: list[tuple[str, int]] = []  # counters whose hit this request has taken

        def refuse(per_seconds: int) -> int:
            for counter in mine:
                budget[counter] += 1  # the hit taken on the other key goes back
            return ratelimit.retry_after(per_seconds)

        while True:
            wanted, coming = [], None
            for counter, (_, _, per_seconds) in zip(held, checks, strict=True):
                if counter in mine:
                    continue
                left = budget.get(counter, 0)
                if left > 0:
                    budget[counter] = left - 1
                    mine.append(counter)
                elif left == SPENT:
                    return refuse(per_seconds)
                elif counter in self._leasing:
                    coming = self._leasing[counter]  # one lease at a time per key: wait for it, then spend
                else:
                    wanted.append((counter, _lease(counter[1]), per_seconds + 1))
            if not wanted:
                if coming is None:
                    return None
                await asyncio.shield(coming)
                continue
            if len(budget) > 10_000:  # past windows' leases: nothing to spend any more
                budget.clear()
                mine.clear()
            flight = asyncio.get_running_loop().create_future()
            for counter, _, _ in wanted:
                self._leasing[counter] = flight
            try:
                async with asyncio.timeout(ratelimit.REDIS_TIMEOUT):
                    totals = await self._counter(redis)(keys=[key for (key, _), _, _ in wanted],
                                                        args=[n for _, lease, ttl in wanted for n in (lease, ttl)])
            except ratelimit.FAILURES as error:
                ratelimit.WITHOUT_REDIS.failed(error)
                for counter in mine:
                    budget[counter] += 1  # counted afresh, without Redis
                return self._without_redis(held, checks)
            finally:
                for counter, _, _ in wanted:
                    if self._leasing.get(counter) is flight:
                        del self._leasing[counter]
                flight.set_result(None)
            ratelimit.WITHOUT_REDIS.recovered()
            for (counter, lease, _), total in zip(wanted, totals, strict=True):
                granted = min(lease, counter[1] - (total - lease))  # what is left of the limit, up to the lease
                left = max(budget.get(counter, 0), 0)
                if granted > 0:
                    # the lease's first hit is this request's own: those waiting for it spend the rest
                    budget[counter] = left + granted - 1
                    mine.append(counter)
                else:
                    budget[counter] = left or SPENT

    @staticmethod
    def _without_redis(held: list[tuple[str, int]], checks: list[tuple[str, int, int]]) -> int | None:
        """As ratelimit.allow while Redis is away: lifted for a while, then counted in this process."""
        for (counter, limit), (_, _, per_seconds) in zip(held, checks, strict=True):
            if not ratelimit.WITHOUT_REDIS.allow(counter, limit):
                return ratelimit.retry_after(per_seconds)
        return None

    def _counter(self, redis: Any) -> Any:
        """The counting script, registered with this Redis client (redis-py loads it on first use)."""
        if self._counting is None or self._counting[0] is not redis:
            self._counting = (redis, redis.register_script(COUNT_HITS))
        return self._counting[1]

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

    def encode_json(self, data: object) -> str | bytes:
        # Thai as UTF-8 (3 bytes a character) rather than \u escapes (6): pages are read on slow networks;
        # orjson writes the same compact UTF-8, several times faster (json, all in ASCII escapes, for what it
        # refuses: huge ints, and a lone surrogate a message repeats from the input, which UTF-8 cannot hold)
        try:
            return orjson.dumps(data)
        except TypeError:
            return json.dumps(data, separators=(",", ":"))


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


def view(app_routes: list[BaseRoute]) -> GraphQLApp:
    """The GraphQL app among an app's routes."""
    return next(r.app for r in app_routes
                if isinstance(r, Route) and r.path == "/graphql" and isinstance(r.app, GraphQLApp))
