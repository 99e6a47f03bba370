"""SQLAlchemy base, engine and the one-session-per-unit-of-work helper."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, ClassVar

import orjson
from sqlalchemy import MetaData, func, select
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import DateTime, TypeEngine

from server.ids import uuid7

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[type[Any], TypeEngine[Any]]] = {
        datetime: DateTime(timezone=True), uuid.UUID: UUID(as_uuid=True)}


class HasId:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


def async_url(url: str) -> str:
    """postgresql://… as given by operators and pgserver, with the asyncpg driver named."""
    for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    raise ValueError(f"not a PostgreSQL URL: {url}")


# Each session asks PostgreSQL to notice a client that has gone (a worker killed mid-recompute, a machine
# that vanished) within seconds, even during a long statement or a lock wait, rather than hours later: the
# round's advisory lock, and any row locks, then go with it.
SESSION_SETTINGS = {"client_connection_check_interval": "2000", "tcp_keepalives_idle": "10",
                    "tcp_keepalives_interval": "5", "tcp_keepalives_count": "3"}


def _json(value: Any) -> str:
    # orjson: a proposal version's details are megabytes of JSON, which the standard library encodes four
    # times slower; non-string keys are written as strings, as json.dumps writes them
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    connect_args = {"server_settings": SESSION_SETTINGS, **kwargs.pop("connect_args", {})}
    return create_async_engine(async_url(url), pool_pre_ping=True, connect_args=connect_args,
                               json_serializer=_json, json_deserializer=orjson.loads, **kwargs)


def asyncpg_address(engine: AsyncEngine) -> str:
    """The engine's database as a plain asyncpg address (password included: it is connected to, not shown),
    for what talks to PostgreSQL beside the engine's pool."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


async def driver_connection(session: AsyncSession) -> Any:
    """The asyncpg connection under a session's transaction, for what SQLAlchemy's per-row and per-element
    handling would slow down: COPY, 100,000-row reads, arrays of 100,000 ids."""
    raw = (await (await session.connection()).get_raw_connection()).driver_connection
    assert raw is not None, "a connection in use holds its asyncpg connection"
    return raw


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def unit_of_work(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """One transaction: services add to the session, this commits (or rolls back) once."""
    async with sessions() as session, session.begin():
        yield session


# SQLSTATE classes that say the server is away or going away, not that the statement was wrong:
# connection exceptions (08), insufficient resources (53: too many connections), operator intervention
# (57: shutting down, starting up)
_AWAY = ("08", "53", "57")


def unavailable(error: BaseException) -> bool:
    """Whether `error` means PostgreSQL cannot be reached now (down, restarting, refusing connections),
    rather than a fault of the request: what the adapters answer with 503 and Retry-After."""
    seen: set[int] = set()
    stack: list[BaseException | None] = [error]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        if isinstance(current, (ConnectionError, TimeoutError)):
            return True
        if isinstance(current, OSError) and current.errno is not None:
            return True  # connect(): refused, unreachable, reset
        sqlstate = getattr(current, "sqlstate", None)
        if isinstance(sqlstate, str) and sqlstate[:2] in _AWAY:
            return True
        stack += [current.__cause__, current.__context__, getattr(current, "orig", None)]
    return False


async def children_of(session: AsyncSession, model: type[Any], parent: Any, parent_ids: Sequence[Any],
                      *order: Any) -> dict[Any, list[Any]]:
    """The rows of `model` whose `parent` column holds one of `parent_ids`, grouped by it, each group in
    `order`: what a DataLoader asks for a list of parents at once."""
    found: dict[Any, list[Any]] = defaultdict(list)
    for row in await session.scalars(select(model).where(parent.in_(list(parent_ids))).order_by(*order)):
        found[getattr(row, parent.key)].append(row)
    return found
