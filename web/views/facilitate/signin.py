"""Signing in as staff, with a name and passphrase (server/staff/service.py) or a staff API token (integrators,
server/auth/staff.py), and out."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from server import ratelimit
from server.auth.staff import staff_for_token
from server.database import unit_of_work
from server.staff.passphrases import fold
from server.staff.service import sign_in_with_passphrase
from web.csrf import checked_form
from web.forms import local_path
from web.htmx import redirect
from web.session import sign_in, signed_in
from web.session import sign_out as sign_out_of
from web.templating import render
from web.views.staff import after_sign_in

TRIES_PER_MINUTE = 10
# and per name, from any address: guessing one person's passphrase from many addresses is slowed too
TRIES_PER_NAME = 10
NAME_WINDOW = 15 * 60


async def sign_in_form(request: Request) -> Response:
    wanted = local_path(request.query_params.get("next"), "/facilitate")
    return render(request, "facilitate/sign_in.html", {"next": wanted,
                                                        "error": None, "who": ""})


async def sign_in_post(request: Request) -> Response:
    form = await checked_form(request)
    runtime = request.app.state.runtime
    target = local_path(str(form.get("next", "")), "/facilitate")
    address = request.client.host if request.client else "unknown"
    if not await ratelimit.allow(runtime.redis, f"staff-sign-in:{address}", limit=TRIES_PER_MINUTE,
                                 per_seconds=60):
        return render(request, "facilitate/sign_in.html", {"next": target, "error": "too_many", "who": ""},
                      status_code=429)
    if "token" not in form:
        return await _with_passphrase(request, str(form.get("who", "")), str(form.get("passphrase", "")), target)
    async with unit_of_work(runtime.sessions) as session:
        found = await staff_for_token(session, str(form.get("token", "")))
    if found is None:
        return render(request, "facilitate/sign_in.html", {"next": target, "error": "unknown", "who": ""},
                      status_code=422)
    await _forgive(request)
    sign_in(request, *found)  # the session ends with this token (server/auth/sessions.py)
    return redirect(request, target)


async def _with_passphrase(request: Request, who: str, passphrase: str, target: str) -> Response:
    runtime = request.app.state.runtime
    context = {"next": target, "who": who}
    if not await ratelimit.allow(runtime.redis, f"staff-passphrase:{fold(who)[:120]}", limit=TRIES_PER_NAME,
                                 per_seconds=NAME_WINDOW):
        return render(request, "facilitate/sign_in.html", {**context, "error": "too_many"}, status_code=429)
    async with unit_of_work(runtime.sessions) as session:
        person = await sign_in_with_passphrase(session, who, passphrase)
    if person is None:
        return render(request, "facilitate/sign_in.html", {**context, "error": "wrong"}, status_code=422)
    await _forgive(request)
    await ratelimit.forgive(runtime.redis, f"staff-passphrase:{fold(who)[:120]}", per_seconds=NAME_WINDOW)
    sign_in(request, person, method="passphrase")  # a working day, as with a token (server/auth/sessions.py)
    return redirect(request, after_sign_in(person, target))


async def _forgive(request: Request) -> None:
    """A training room signs in from one office address: only wrong tries count against it."""
    address = request.client.host if request.client else "unknown"
    await ratelimit.forgive(request.app.state.runtime.redis, f"staff-sign-in:{address}", per_seconds=60)


async def sign_out(request: Request) -> Response:
    await checked_form(request)
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        sign_out_of(request, await signed_in(request, session))
    return redirect(request, "/")
