"""Each HTTP request's id: in the response's X-Request-ID, on each log line written while it is answered,
and in the events it records (server/events/service.py), so the worker's lines about those events carry it
too. An operator finds with one search what one tap on a phone caused, in the web and the worker.

A proxy's or a client's X-Request-ID is kept when it is a short plain token; anything else (a newline that
would forge a log line, a kilobyte of text) is replaced by a new id rather than cleaned up.
"""

from __future__ import annotations

import re
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from structlog.contextvars import bound_contextvars, get_contextvars

HEADER = b"x-request-id"
_SANE = re.compile(rb"[A-Za-z0-9._:-]{1,128}")


def given_or_new(value: bytes | None) -> str:
    if value is not None and _SANE.fullmatch(value):
        return value.decode("ascii")
    return uuid.uuid4().hex


def current() -> str | None:
    """The id of the request being answered in this context, if any."""
    value = get_contextvars().get("request_id")
    return value if isinstance(value, str) else None


class RequestIds:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        given = next((v for k, v in scope["headers"] if k == HEADER), None)
        request_id = given_or_new(given)

        async def with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != HEADER]
                message["headers"] = [*headers, (HEADER, request_id.encode("ascii"))]
            await send(message)

        with bound_contextvars(request_id=request_id):
            await self.app(scope, receive, with_id)
