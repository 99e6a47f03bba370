"""Joining a round with an invite code or QR link, then consenting (Thai PDPA); signing out again."""

from __future__ import annotations

from urllib.parse import quote

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import ratelimit
from server.auth.service import join_with_invite
from server.database import unit_of_work
from server.errors import ValidationError
from server.people.service import has_consent, record_consent
from server.rounds.models import Membership, Round
from web.csrf import checked_form
from web.htmx import redirect
from web.session import sign_in, sign_out, signed_in
from web.templating import locale, render

JOINS_PER_MINUTE = 10


async def join_form(request: Request) -> Response:
    code = request.path_params.get("code") or request.query_params.get("code", "")
    return render(request, "join.html", {"code": code, "errors": {}, "name": ""})


async def join(request: Request) -> Response:
    form = await checked_form(request)
    runtime = request.app.state.runtime
    code, name = str(form.get("code", "")), str(form.get("display_name", ""))
    lang = str(form.get("locale", locale.get()))
    address = request.client.host if request.client else "unknown"
    if not await ratelimit.allow(runtime.redis, f"join:{address}", limit=JOINS_PER_MINUTE, per_seconds=60):
        return render(request, "join.html", {"code": code, "name": name, "errors": {},
                                             "too_many": True}, status_code=429)
    try:
        async with unit_of_work(runtime.sessions) as session:
            participant = await join_with_invite(session, code, display_name=name, locale=lang)
            round_ = await session.scalar(select(Round).join(Membership, Membership.round_id == Round.id)
                                          .where(Membership.participant_id == participant.id))
            assert round_ is not None  # the invitation made them a member of its round
    except ValidationError as error:
        return render(request, "join.html", {"code": code, "name": name,
                                             "errors": error.field_messages(locale.get())}, status_code=422)
    sign_in(request, participant)
    response = redirect(request, f"/consent?next={quote(f'/rounds/{round_.slug}')}")
    response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response


def _next(request: Request, value: str | None) -> str:
    # only a path on this site: never an open redirect
    return value if value and value.startswith("/") and not value.startswith("//") else "/"


async def consent_form(request: Request) -> Response:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        me = await signed_in(request, session)
        if me is None:
            return RedirectResponse("/join", status_code=303)
        given = await has_consent(session, me.id, "data_processing")
        sensitive = await has_consent(session, me.id, "sensitive_data")
    return render(request, "consent.html", {"next": _next(request, request.query_params.get("next")),
                                            "given": given, "sensitive": sensitive, "errors": {}})


async def consent(request: Request) -> Response:
    form = await checked_form(request)
    target = _next(request, str(form.get("next", "")))
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
    return redirect(request, target)


async def leave(request: Request) -> Response:
    """Signing out (a phone shared in a family or a village): the session ends on the server too."""
    await checked_form(request)
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        sign_out(request, await signed_in(request, session))
    return redirect(request, "/")
