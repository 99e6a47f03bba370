"""Writing events: always in the caller's transaction, so a change and its event commit together."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from server.events.models import Event
from server.operations.request_id import current as current_request


def record(
    session: AsyncSession,
    type: str,
    *,
    round_id: uuid.UUID | None,
    actor_id: uuid.UUID | None,
    subject_id: uuid.UUID | None = None,
    **payload: Any,
) -> Event:
    event = Event(
        type=type,
        round_id=round_id,
        actor_id=actor_id,
        subject_id=subject_id,
        payload=with_request_id({k: _jsonable(v) for k, v in payload.items()}),
    )
    session.add(event)
    return event


def with_request_id(payload: dict[str, Any]) -> dict[str, Any]:
    """The id of the request that caused the event, for the worker's log lines about it (workers/relay.py);
    server/events/audiences.py declares it for no audience, so no reader, facilitator or webhook sees it."""
    request_id = current_request()
    if request_id is not None:
        payload.setdefault("request_id", request_id)
    return payload


def _jsonable(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value
