"""GraphQL subscriptions: a round's events and its new consolidated proposal versions, live.

Both are fed from the Redis channel the outbox relay publishes on (`ruam:round:<id>`): one Redis
subscription per websocket operation, unsubscribed and closed when the operation ends. A client
therefore sees what was relayed while it was subscribed; to catch up after a disconnect it
replays the event log (`events(roundId, after: cursor)`) from the last event's `cursor`.

Authentication: the graphql-transport-ws `connection_init` payload, `{"authorization": "Bearer
ruam_..."}` (a signed-in web session's cookie also works). It is checked again for every
operation, so a token revoked while the socket is open stops new subscriptions, and again before
events go out (at most every RECHECK seconds), which ends the open ones too. Reading a round
needs an identified person with the `read` scope; every round is public (rounds have no
visibility setting yet), so any such person may follow any round. What an event shows follows
the event log's rules (server/events/audiences.py): who acted and the details only for the round's
facilitators, never who cast a vote, and no one else's vote at all. Whether the subscriber
facilitates the round is asked once, when the operation starts: a facilitator removed from the
round keeps what their open operation shows until it ends (a new operation asks again).
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import suppress
from datetime import datetime
from typing import Any, Generic, TypeVar

import strawberry
from graphql import GraphQLError
from redis.asyncio.client import PubSub
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.exceptions import ConnectionRejectionError
from strawberry.relay import GlobalID
from strawberry.scalars import JSON
from strawberry.types import Info

from schema import ids
from schema.pagination import encode_cursor
from schema.permissions import facilitating
from server.auth.bearer import bearer
from server.auth.identity import Identity, identify
from server.config import LOCALES
from server.database import unit_of_work
from server.disclosure import Audience
from server.errors import DomainError, NotFound
from server.events.audiences import disclose
from server.events.relay import read_message, round_channel
from server.i18n import negotiate
from server.rounds.access import standing
from server.runtime import Runtime

log = logging.getLogger(__name__)

PROPOSAL_EVENT, PUBLISHED_EVENT = "proposal.consolidated", "proposal.published"
RECHECK = 10.0  # seconds: how long an open operation may go on trusting the credentials it was opened with
T = TypeVar("T")


@strawberry.type(description="One event of a round, as relayed; the same rules as the event log decide what "
                               "it shows.")
class RoundEvent:
    id: GlobalID
    type: str
    round_id: GlobalID
    actor_id: GlobalID | None = strawberry.field(description="Shown only to the round's facilitators, never on a vote.")
    subject_id: str | None
    payload: JSON
    created_at: datetime
    cursor: str = strawberry.field(description="Pass as `after` to the event log to continue after this event.")


@strawberry.type(description="A new version of a round's consolidated proposal has been stored (or, for readers "
                               "who do not facilitate the round, published).")
class ProposalVersionPublished:
    event_id: GlobalID
    round_id: GlobalID
    proposal_id: GlobalID = strawberry.field(description="The ConsolidatedProposal: fetch it with node(id:).")
    version: int
    inputs_hash: str = strawberry.field(description="Empty when a publication is announced: read it from the "
                                                    "proposal.")
    created_at: datetime


# --- who is asking -------------------------------------------------------------------------------

def _get(context: Any, name: str) -> Any:
    """A context entry, whether the context is strawberry's default dict or a class of our own."""
    if isinstance(context, Mapping):
        return context.get(name)
    return getattr(context, name, None)


def _bearer(params: Mapping[str, Any] | None) -> str | None:
    for key, value in (params or {}).items():
        if key.lower() == "authorization" and isinstance(value, str):
            return bearer(value, bare=True)
    return None


def connection_locale(context: Any) -> str:
    params = _get(context, "connection_params") or {}
    if params.get("locale") in LOCALES:
        return params["locale"]
    if _get(context, "locale") in LOCALES:  # what the view negotiated, when it does
        return _get(context, "locale")
    request = _get(context, "request")
    headers = getattr(request, "headers", None)
    return negotiate(headers.get("accept-language") if headers is not None else None)


def runtime_of(context: Any) -> Runtime:
    runtime = _get(context, "runtime")
    if runtime is None:
        runtime = _get(context, "request").app.state.runtime  # set by server.app's lifespan
    return runtime


async def connection_identity(session: AsyncSession, context: Any) -> Identity:
    """Who opened the socket: the bearer token of the connection params, else the web session.
    Raises NotPermitted for an unknown or revoked token. Also usable from on_ws_connect."""
    request = _get(context, "request")
    # the signed session cookie (SessionMiddleware reads it on websockets too); SameSite=Lax keeps
    # other sites' pages from opening a socket with it
    web_session = request.scope.get("session") if request is not None else None
    return await identify(session, bearer=_bearer(_get(context, "connection_params")), web_session=web_session)


async def check_connection(context: Any) -> None:
    """For the view's on_ws_connect: refuse the socket (4403) when its credentials identify nobody,
    so a client with a mistyped or revoked token learns it at once, not at its first operation."""
    try:
        async with unit_of_work(runtime_of(context).sessions) as session:
            identity = await connection_identity(session, context)
    except DomainError as error:
        raise ConnectionRejectionError({"message": error.message(connection_locale(context)),
                                        "code": error.code}) from error
    if identity.participant is None:
        raise ConnectionRejectionError({"code": "not_permitted"})


def _round_id(value: str) -> uuid.UUID:
    """A round's global id (base64 of "Round:<uuid>"), as every query shows it, or its plain uuid."""
    with suppress(ValueError):
        type_name, ident = ids.parse(value)
        if type_name == "Round":
            return ident
    with suppress(ValueError):
        return uuid.UUID(value)
    raise NotFound("round", value)


async def _open_round(info: Info, round_id: str) -> tuple[uuid.UUID, Audience]:
    """The round, if the caller may read it, and the audience they are for its events.
    Refusals become GraphQL errors in the caller's language."""
    try:
        ident = _round_id(round_id)
        async with unit_of_work(runtime_of(info.context).sessions) as session:
            identity = await connection_identity(session, info.context)
            reader = identity.require("read")
            place = await standing(session, ident, reader)  # NotFound for no such round
    except DomainError as error:
        raise GraphQLError(error.message(connection_locale(info.context)), original_error=error,
                           extensions={"code": error.code}) from error
    return ident, Audience(facilitator=facilitating(identity, place.role), member=place.membership is not None,
                           person_id=reader.id)


async def _still_reading(info: Info) -> bool:
    """Whether the credentials an operation was opened with still let it read."""
    try:
        async with unit_of_work(runtime_of(info.context).sessions) as session:
            (await connection_identity(session, info.context)).require("read")
    except DomainError:
        return False
    return True


# --- the feed ------------------------------------------------------------------------------------

class Feed(Generic[T]):
    """The relay's messages on one round's channel, picked and shaped by `pick` (None: skip).

    An iterator class rather than a generator, so that closing it unsubscribes and returns the
    Redis connection even if it never started (the operation ended right after subscribing).
    An operation outlives the moment it was checked: before an item goes out, `still` asks again
    (at most every RECHECK seconds) whether the credentials stand, and the operation completes once
    they do not (a token revoked, a web session ended, a person withdrawn).
    """

    def __init__(self, pubsub: PubSub, pick: Callable[[dict[str, Any]], T | None],
                 still: Callable[[], Awaitable[bool]] | None = None):
        self.pubsub, self.pick, self.closed = pubsub, pick, False
        self.still, self.asked_at = still, time.monotonic()

    @classmethod
    async def open(cls, runtime: Runtime, round_id: uuid.UUID, pick: Callable[[dict[str, Any]], T | None],
                   still: Callable[[], Awaitable[bool]] | None = None) -> Feed[T]:
        pubsub = runtime.redis.pubsub(ignore_subscribe_messages=True)
        feed = cls(pubsub, pick, still)
        try:
            await pubsub.subscribe(round_channel(round_id))
        except BaseException:
            await feed.aclose()
            raise
        return feed

    def __aiter__(self) -> Feed[T]:
        return self

    async def __anext__(self) -> T:
        while not self.closed:
            message = await self.pubsub.get_message(ignore_subscribe_messages=True, timeout=None)
            if not message or message.get("type") != "message":
                continue
            try:
                item = self.pick(json.loads(message["data"]))
            except (ValueError, KeyError, TypeError):  # not the relay's: skip it, keep the subscription
                log.warning("ignoring a malformed message on %s", message.get("channel"))
                continue
            if item is not None and not await self._stands():
                await self.aclose()
                break
            if item is not None:
                return item
        raise StopAsyncIteration

    async def _stands(self) -> bool:
        if self.still is None or time.monotonic() - self.asked_at < RECHECK:
            return True
        self.asked_at = time.monotonic()
        return await self.still()

    async def aclose(self) -> None:
        """Called when the operation completes, the client unsubscribes or the socket closes."""
        if self.closed:
            return
        self.closed = True
        with suppress(Exception):
            await self.pubsub.unsubscribe()
        await self.pubsub.aclose()


def _shown(message: dict[str, Any], audience: Audience) -> RoundEvent:
    """The relayed event as the event log would show it to this subscriber."""
    event = read_message(message)
    seen = disclose(event, audience)
    return RoundEvent(id=GlobalID("Event", str(event.id)), type=event.type,
                      round_id=GlobalID("Round", str(event.round_id)),
                      actor_id=GlobalID("Participant", str(seen.actor_id)) if seen.actor_id else None,
                      subject_id=str(seen.subject_id) if seen.subject_id else None,
                      payload=JSON(seen.payload), created_at=event.created_at,
                      cursor=encode_cursor("events", [str(event.id)]))


def _version(message: dict[str, Any], audience: Audience) -> ProposalVersionPublished | None:
    # a version may never be published: the round's facilitators hear of it when it is stored,
    # everyone else when it is published
    if message.get("type") != (PROPOSAL_EVENT if audience.facilitator else PUBLISHED_EVENT):
        return None
    event = read_message(message)
    seen = disclose(event, audience)
    if seen.subject_id is None or "version" not in seen.payload:
        return None
    return ProposalVersionPublished(
        event_id=GlobalID("Event", str(event.id)), round_id=GlobalID("Round", str(event.round_id)),
        proposal_id=GlobalID("ConsolidatedProposal", str(seen.subject_id)), version=int(seen.payload["version"]),
        inputs_hash=str(seen.payload.get("inputs_hash", "")), created_at=event.created_at)


@strawberry.type
class Subscription:
    @strawberry.subscription(description="Each event of a round as it is relayed, optionally only some types.")
    async def round_events(self, info: Info, round_id: strawberry.ID,
                           types: list[str] | None = None) -> AsyncIterator[RoundEvent]:
        # checked and subscribed before the stream starts: refusals arrive as an `error` message,
        # and nothing relayed after the client's subscribe can be missed
        ident, audience = await _open_round(info, round_id)
        wanted = frozenset(types or ())
        return await Feed.open(runtime_of(info.context), ident,
                               lambda m: _shown(m, audience) if not wanted or m["type"] in wanted else None,
                               lambda: _still_reading(info))

    @strawberry.subscription(description="Each new consolidated proposal version of a round: as it is stored, for "
                                         "the round's facilitators; as it is published, for everyone else.")
    async def proposal_versions(self, info: Info,
                                round_id: strawberry.ID) -> AsyncIterator[ProposalVersionPublished]:
        ident, audience = await _open_round(info, round_id)
        return await Feed.open(runtime_of(info.context), ident, lambda m: _version(m, audience),
                               lambda: _still_reading(info))
