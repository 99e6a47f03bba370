"""Telling a phone of news (Web Push): the service worker, and a phone subscribing or stopping. Subscribing
needs JavaScript (static/push.js) and is offered only where it works; stopping every phone is a plain form on
My data. What a push says and who gets one is server/push's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from server.database import unit_of_work
from server.i18n import N_
from server.people.models import Participant
from server.push import service as push
from server.push.keys import vapid_keys
from server.push.rules import may_be_told
from server.rounds.access import standing
from web.csrf import checked_form
from web.htmx import redirect
from web.session import signed_in

SERVICE_WORKER = Path(__file__).parent.parent / "static" / "sw.js"
SIGN_IN_FIRST = N_("Sign in on this phone first, then try again.")


async def offer(request: Request, session: AsyncSession, round_id: Any, me: Participant | None) -> dict[str, Any]:
    """What the round's home needs to offer "tell me on this phone": only to those a push may tell."""
    if me is None or not may_be_told(await standing(session, round_id, me)):
        return {}
    keys = await vapid_keys(session, request.app.state.runtime.settings.vapid_private_key)
    return {"push_key": keys.public, "push_phones": await push.phones(session, me)}


async def service_worker(request: Request) -> Response:
    """Served from the site's root, so that its scope is the whole site; never cached for long, so that a
    fixed copy reaches phones within a day at most (browsers check it at least that often anyway)."""
    return FileResponse(SERVICE_WORKER, media_type="text/javascript",
                        headers={"Service-Worker-Allowed": "/", "Cache-Control": "no-cache"})


async def subscribe(request: Request) -> Response:
    form = await checked_form(request, max_body=8 * 1024)
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        me = await signed_in(request, session)
        if me is None:
            raise HTTPException(403, SIGN_IN_FIRST)
        await push.subscribe(session, me, str(form.get("endpoint", "")), str(form.get("p256dh", "")),
                             str(form.get("auth", "")))
    return Response(status_code=204)


async def stop(request: Request) -> Response:
    """With an endpoint (the phone in hand, from static/push.js): that phone; without (My data's form):
    every phone of the person."""
    form = await checked_form(request, max_body=8 * 1024)
    endpoint = form.get("endpoint")
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        me = await signed_in(request, session)
        if me is None:
            raise HTTPException(403, SIGN_IN_FIRST)
        await push.unsubscribe(session, me, str(endpoint) if endpoint is not None else None)
    return Response(status_code=204) if endpoint is not None else redirect(request, "/me?done=push")
