"""The outbox relay: hands committed events to Redis, at least once and in order per batch.

Events are marked published in the same transaction that locked them, after publishing; a
crash in between publishes them again (at least once), which is why every consumer is
idempotent. While Redis is down nothing is marked, and the events wait in the table.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import redis.asyncio as aioredis
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from server.events.models import Event

ALL_EVENTS = "ruam:events"


def round_channel(round_id: object) -> str:
    return f"ruam:round:{round_id}"


def as_message(event: Event) -> str:
    return json.dumps({
        "id": str(event.id), "type": event.type, "round_id": str(event.round_id) if event.round_id else None,
        "actor_id": str(event.actor_id) if event.actor_id else None,
        "subject_id": str(event.subject_id) if event.subject_id else None,
        "payload": event.payload, "created_at": event.created_at.isoformat(),
    }, ensure_ascii=False)


@dataclass(frozen=True)
class Relayed:
    """A message `as_message` wrote, read back by a subscriber."""

    id: uuid.UUID
    type: str
    round_id: uuid.UUID | None
    actor_id: uuid.UUID | None
    subject_id: uuid.UUID | None
    payload: dict[str, Any]
    created_at: datetime


def read_message(message: dict[str, Any]) -> Relayed:
    """Raises KeyError, ValueError or TypeError for a message that is not the relay's."""
    def ident(key: str) -> uuid.UUID | None:
        return uuid.UUID(message[key]) if message.get(key) else None

    return Relayed(id=uuid.UUID(message["id"]), type=str(message["type"]), round_id=ident("round_id"),
                   actor_id=ident("actor_id"), subject_id=ident("subject_id"), payload=dict(message.get("payload") or {}),
                   created_at=datetime.fromisoformat(message["created_at"]))


async def relay_batch(session: AsyncSession, redis: aioredis.Redis, limit: int = 500) -> list[Event]:
    """Publishes up to `limit` unpublished events; returns them. The caller commits."""
    events = list(await session.scalars(
        select(Event).where(Event.published_at.is_(None)).order_by(Event.id).limit(limit)
        .with_for_update(skip_locked=True)
    ))
    if not events:
        return []
    async with redis.pipeline(transaction=False) as pipe:
        for event in events:
            message = as_message(event)
            pipe.publish(ALL_EVENTS, message)
            if event.round_id is not None:
                pipe.publish(round_channel(event.round_id), message)
        await pipe.execute()
    await session.execute(
        update(Event).where(Event.id.in_([e.id for e in events])).values(published_at=func.now())
    )
    return events


async def unpublished_since(session: AsyncSession, after: uuid.UUID | None, types: frozenset[str],
                            limit: int = 5000) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(id, round id) of unpublished events of `types` with an id above `after`, in id order: what the
    relay reads while Redis is away, to ask for recomputes without publishing."""
    query = (select(Event.id, Event.round_id)
             .where(Event.published_at.is_(None), Event.type.in_(sorted(types)), Event.round_id.is_not(None))
             .order_by(Event.id).limit(limit))
    if after is not None:
        query = query.where(Event.id > after)
    return [(event_id, round_id) for event_id, round_id in await session.execute(query)
            if round_id is not None]  # as the WHERE says
