"""Joining a round with an invite code or QR link, then consenting (Thai PDPA); signing out again."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import ratelimit
from server.auth import cards
from server.auth.service import invite_round, join_with_invite
from server.database import unit_of_work
from server.errors import ValidationError
from server.people.models import Participant
from server.people.rules import joins_as_themself
from server.people.service import has_consent, record_consent
from web.csrf import checked_form
from web.forms import local_path
from web.htmx import redirect
from web.session import PENDING_CARD, sign_in, sign_out, signed_in
from web.templating import locale, render

JOINS_PER_MINUTE = 10  # wrong codes per address and minute (a code is guessed, not a name)


def _as_themself(me: Participant | None) -> str | None:
    """Someone signed in joins as themself (server/auth/service.py join_with_invite): the page says so."""
    return me.display_name if me is not None and joins_as_themself(me) else None


async def join_form(request: Request) -> Response:
    code = request.path_params.get("code") or request.query_params.get("code", "")
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        me = await signed_in(request, session)
    return render(request, "join.html", {"code": code, "errors": {}, "name": "", "joining_as": _as_themself(me)})


async def join(request: Request) -> Response:
    form = await checked_form(request)
    runtime = request.app.state.runtime
    code, name = str(form.get("code", "")), str(form.get("display_name", ""))
    lang = str(form.get("locale", locale.get()))
    address = request.client.host if request.client else "unknown"
    if not await ratelimit.allow(runtime.redis, f"join:{address}", limit=JOINS_PER_MINUTE, per_seconds=60):
        return render(request, "join.html", {"code": code, "name": name, "errors": {},
                                             "too_many": True}, status_code=429)
    joining_as = None
    try:
        async with unit_of_work(runtime.sessions) as session:
            me = await signed_in(request, session)
            joining_as = _as_themself(me)
            participant = await join_with_invite(session, code, display_name=name, locale=lang, person=me)
            round_ = await invite_round(session, code)
            assert round_ is not None  # the invitation made them a member of its round
    except ValidationError as error:
        return render(request, "join.html", {"code": code, "name": name, "joining_as": joining_as,
                                             "errors": error.field_messages(locale.get())}, status_code=422)
    # a village joins from one phone's hotspot: only wrong codes count against the address
    await ratelimit.forgive(runtime.redis, f"join:{address}", per_seconds=60)
    if me is None or participant.id != me.id:
        sign_in(request, participant)
    response = redirect(request, f"/consent?next={quote(f'/rounds/{round_.slug}')}")
    response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response


async def consent_form(request: Request) -> Response:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        me = await signed_in(request, session)
        if me is None:
            return RedirectResponse("/join", status_code=303)
        given = await has_consent(session, me.id, "data_processing")
        sensitive = await has_consent(session, me.id, "sensitive_data")
    return render(request, "consent.html", {"next": local_path(request.query_params.get("next")),
                                            "given": given, "sensitive": sensitive, "errors": {}})


async def consent(request: Request) -> Response:
    form = await checked_form(request)
    target = local_path(str(form.get("next", "")))
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        me = await signed_in(request, session)
        if me is None:
            return RedirectResponse("/join", status_code=303)
        if form.get("data_processing") != "yes":
            return render(request, "consent.html", {"next": target, "given": False, "sensitive": False,
                                                    "errors": {"data_processing": True}}, status_code=422)
        await record_consent(session, me, me.id, purpose="data_processing", granted=True)
        wants_sensitive = form.get("sensitive_data") == "yes"
        if wants_sensitive or await has_consent(session, me.id, "sensitive_data"):
            await record_consent(session, me, me.id, purpose="sensitive_data", granted=wants_sensitive)
        if form.get("exclusion") == "yes":  # offered here, agreed to (or not) on its own form
            target = f"/me/exclusion?next={quote(target)}"
        card = await cards.first_card(session, me)
    if card is not None:  # shown once, until they say they have kept it (web/views/card.py)
        request.session[PENDING_CARD] = card
        return redirect(request, f"/me/card?next={quote(target)}")
    return redirect(request, target)


async def leave(request: Request) -> Response:
    """Signing out (a phone shared in a family or a village): the session ends on the server too."""
    await checked_form(request)
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        sign_out(request, await signed_in(request, session))
    return redirect(request, "/")
