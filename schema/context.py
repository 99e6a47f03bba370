"""What every resolver is given: the request's session, who is asking, in which language, and loaders.

One session and one transaction per HTTP request (schema/http.py opens it and commits once the
answer is ready); services add to it and never commit. On a websocket there is no request-wide
transaction: `session` is None and subscriptions open short sessions from `runtime.sessions`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection

from server.auth.identity import Identity
from server.people.models import Participant
from server.runtime import Runtime

if TYPE_CHECKING:
    from schema.loaders import Loaders

T = TypeVar("T")


@dataclass
class Context:
    request: HTTPConnection
    response: Any
    runtime: Runtime
    session: AsyncSession | None
    identity: Identity
    locale: str
    connection_params: dict[str, Any] | None = None  # set by strawberry on graphql-transport-ws connect
    # graphql-core resolves sibling fields concurrently, and an AsyncSession must never run two
    # statements at once: every use of the session goes through run(), one at a time
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    loaders: Loaders = field(init=False)
    facilitated: Any = field(init=False, default=False)  # cache for permissions.facilitated_rounds
    wrote: bool = field(init=False, default=False)  # a mutation succeeded: the commit must too
    unavailable: bool = field(init=False, default=False)  # PostgreSQL was away: the answer is a 503
    pending: set[asyncio.Future[Any]] = field(init=False, default_factory=set)  # work under way in run()

    def __post_init__(self) -> None:
        from schema.loaders import Loaders

        self.loaders = Loaders(self)

    @property
    def viewer(self) -> Participant | None:
        return self.identity.participant

    async def run(self, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        """Runs `work(session)`, one at a time. Shielded: when a field fails, graphql-core cancels its
        siblings, and a statement abandoned half-way would leave the transaction unusable; the work
        finishes (its result unused) and the lock passes on only then."""
        if self.session is None:
            raise RuntimeError("no request session on a websocket; open one from runtime.sessions")
        session = self.session

        async def locked() -> T:
            async with self.lock:
                return await work(session)

        task = asyncio.ensure_future(locked())
        self.pending.add(task)
        task.add_done_callback(self._finished)
        return await asyncio.shield(task)

    def _finished(self, task: asyncio.Future[Any]) -> None:
        self.pending.discard(task)
        if not task.cancelled():
            task.exception()  # read, so that asyncio does not report the outcome of orphaned work as lost

    async def settle(self) -> None:
        """Waits for work whose caller was cancelled: the request must not commit or close its session
        while a statement still runs on it."""
        while self.pending:
            await asyncio.gather(*self.pending, return_exceptions=True)

    def reset_loaders(self) -> None:
        """After a mutation, cached reads may be stale (a new clause, a moved phase): start afresh."""
        from schema.loaders import Loaders

        self.loaders = Loaders(self)


Info = strawberry.Info[Context, None]
