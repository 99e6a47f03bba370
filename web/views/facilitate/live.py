"""The live page for a projector, and its server-sent events.

The page shows the current figures and works without JavaScript (a refresh link). With it, a few
lines of EventSource (static/live.js) replace the figures with the fragment each `figures` event
carries. The stream listens on the round's Redis channel (`ruam:round:<id>`, fed by the outbox
relay); after an event that may change the figures, it waits a moment for a burst of votes to
settle, reads the figures once in a fresh session, and sends them. A comment line every
KEEPALIVE seconds keeps proxies from closing an idle connection and notices a client that left.
A stream outlives the request that opened it, so the facilitator's session is asked again before
each update and each keep-alive: a revoked token, a sign-out or a withdrawal ends the stream too.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import AsyncIterator
from typing import Any

from jinja2_fragments import render_block
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from server.database import unit_of_work
from server.disclosure import FACILITATOR, PUBLIC
from server.errors import DomainError
from server.events.relay import round_channel
from server.rounds.live import LIVE_EVENTS, LiveFigures, live_figures
from server.rounds.models import Round
from web.templating import render, templates
from web.views.facilitate.common import SignInFirst, facilitating, fragment

log = logging.getLogger(__name__)

KEEPALIVE = 15.0  # seconds
SETTLE = 0.25  # seconds to gather a burst of votes into one update
TEMPLATE = "facilitate/live.html"


def _context(figures: LiveFigures, public: bool) -> dict[str, Any]:
    return {"round": figures.round, "tool": "live", "figures": figures, "public": public,
            "audience": PUBLIC if public else FACILITATOR}


async def live_page(request: Request) -> Response:
    public = request.query_params.get("public") == "1"
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        f = await facilitating(request, session)
        figures = await live_figures(session, f.round)
    return render(request, TEMPLATE, _context(figures, public), block=fragment(request, "figures"))


def sse(event: str, data: str) -> str:
    """One server-sent event; every line of the data gets its own data: field."""
    lines = "".join(f"data: {line}\n" for line in data.splitlines() or [""])
    return f"event: {event}\n{lines}\n"


async def _figures_html(request: Request, round_id: uuid.UUID, public: bool) -> str:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        round_ = await session.get_one(Round, round_id)
        figures = await live_figures(session, round_)
    values = {"lang": request.scope.get("state", {}).get("locale", "th"), **_context(figures, public)}
    return render_block(templates.env, TEMPLATE, "figures", **values)


async def _wanted(pubsub: PubSub, seconds: float) -> bool:
    """Waits up to `seconds` for a message; True if it was an event that changes the figures.
    (get_message also returns None early, for the subscription's own confirmation.)"""
    message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=seconds)
    if message is None:
        return False
    try:
        return json.loads(message["data"]).get("type") in LIVE_EVENTS
    except (ValueError, TypeError, AttributeError):
        return False


async def _still_facilitating(request: Request, round_id: uuid.UUID) -> bool:
    try:
        async with unit_of_work(request.app.state.runtime.sessions) as session:
            await facilitating(request, session, await session.get(Round, round_id))
    except (SignInFirst, DomainError):
        return False
    return True


async def live_events(request: Request) -> Response:
    public = request.query_params.get("public") == "1"
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        round_id = (await facilitating(request, session)).round.id
    pubsub = request.app.state.runtime.redis.pubsub()
    try:
        await pubsub.subscribe(round_channel(round_id))
    except RedisError:
        await pubsub.aclose()
        log.warning("live stream for round %s: Redis is unavailable", round_id)
        return Response(status_code=503, headers={"Retry-After": "10"})

    async def stream() -> AsyncIterator[str]:
        clock = asyncio.get_running_loop().time
        try:
            yield "retry: 3000\n: connected\n\n"
            quiet_until = clock() + KEEPALIVE
            while True:
                if await _wanted(pubsub, max(0.0, quiet_until - clock())):
                    settled = clock() + SETTLE
                    while (left := settled - clock()) > 0:
                        await _wanted(pubsub, left)
                    if not await _still_facilitating(request, round_id):
                        return
                    yield sse("figures", await _figures_html(request, round_id, public))
                elif clock() < quiet_until:
                    continue
                elif not await _still_facilitating(request, round_id):
                    return
                else:
                    yield ": keep-alive\n\n"
                quiet_until = clock() + KEEPALIVE
        except RedisError:
            log.warning("live stream for round %s lost Redis; the browser will reconnect", round_id)
        finally:
            await pubsub.aclose()

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
