"""A participant's re-entry card (server/auth/cards.py): shown once after joining, until they say they have
kept it; made again by them; and used on another phone to come back in.

Only the code's hash is stored. Between its making and "I have saved it" the plain code waits in this
browser's own session cookie, so the card can be printed, screenshotted or reloaded meanwhile; it leaves
the cookie at that step, when the person signs out, and when their session ends elsewhere.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import ratelimit
from server.auth import cards
from server.database import unit_of_work
from server.errors import ValidationError
from web.cards import shown
from web.csrf import checked_form
from web.forms import local_path
from web.htmx import redirect
from web.session import PENDING_CARD, sign_in, signed_in
from web.templating import locale, render

TRIES_PER_MINUTE = 10  # as joining (web/views/join.py): ten codes a minute from one connection


async def card_page(request: Request) -> Response:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        me = await signed_in(request, session)
        if me is None:
            return RedirectResponse("/card", status_code=303)
        standing = await cards.standing_card(session, me.id)
    plain = request.session.get(PENDING_CARD)
    return render(request, "card.html", {"card": shown(request, me, plain) if plain else None, "standing": standing,
                                         "next": local_path(request.query_params.get("next"))})


async def saved(request: Request) -> Response:
    """"I have saved it": the code leaves this browser too."""
    form = await checked_form(request)
    request.session.pop(PENDING_CARD, None)
    return redirect(request, local_path(str(form.get("next", ""))))


async def reissue(request: Request) -> Response:
    """A new card by the person themself: the old one stops working, and so do their other sessions."""
    await checked_form(request)
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        me = await signed_in(request, session)
        if me is None:
            return RedirectResponse("/card", status_code=303)
        person, plain = await cards.reissue(session, me, me.id)
    sign_in(request, person)  # this phone stays in, with the version the new card ended the others at
    request.session[PENDING_CARD] = plain
    return redirect(request, "/me/card?next=/me")


async def enter_form(request: Request) -> Response:
    """The page to type a card's code, or the QR code's link (which fills it in: a GET signs nobody in)."""
    return render(request, "card_enter.html", {"code": request.path_params.get("code", ""), "errors": {}})


async def enter(request: Request) -> Response:
    form = await checked_form(request)
    runtime = request.app.state.runtime
    code = str(form.get("code", ""))
    address = request.client.host if request.client else "unknown"
    if not await ratelimit.allow(runtime.redis, f"card:{address}", limit=TRIES_PER_MINUTE, per_seconds=60):
        return render(request, "card_enter.html", {"code": code, "errors": {}, "too_many": True}, status_code=429)
    try:
        async with unit_of_work(runtime.sessions) as session:
            person = await cards.sign_in_with_card(session, code)
    except ValidationError as error:
        return render(request, "card_enter.html", {"code": code, "errors": error.field_messages(locale.get())},
                      status_code=422)
    # a facilitator at a meeting helps a queue of people back in from one hotspot: only wrong codes count
    await ratelimit.forgive(runtime.redis, f"card:{address}", per_seconds=60)
    sign_in(request, person)
    response = redirect(request, "/")
    response.set_cookie("lang", person.locale, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response
