"""Staff accounts, for the person invited: taking up an invitation (a name, then a passphrase or personal
sign-in links), signing in with a personal link, and their own account page. The administrators' side is
web/views/admin.py; signing in with a passphrase is on the sign-in page (web/views/facilitate/signin.py)."""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from server.database import unit_of_work
from server.errors import NotPermitted, ValidationError
from server.i18n import N_
from server.people.models import Participant
from server.people.rules import has_staff_account, is_drafter, is_staff
from server.staff import queries, service
from server.staff.passphrases import MIN_LENGTH
from web.csrf import checked_form
from web.htmx import redirect
from web.qr import qr_svg
from web.session import sign_in
from web.templating import locale, render
from web.views.facilitate.common import facilitator, signed


def routes() -> list[BaseRoute]:
    return [
        Route("/staff", signed(account), methods=["GET"]),
        Route("/staff/invite/{code}", invitation_form, methods=["GET"]),
        Route("/staff/invite/{code}", accept, methods=["POST"]),
        Route("/staff/link/{code}", link_form, methods=["GET"]),
        Route("/staff/link/{code}", link_sign_in, methods=["POST"]),
    ]


# the draft-writing pages (web/views/facilitate/drafts.py) are a drafter's too; the rest of /facilitate is not
DRAFTING_PAGE = re.compile(r"^/facilitate/[^/]+/drafts(/|$)")
GONE = 410  # a link used up, too old or cancelled: it will not work again


def landing(person: Participant) -> str:
    """Where a member of staff starts: their rounds to facilitate, or the rounds they draft for."""
    return "/facilitate" if is_staff(person) else "/staff"


def after_sign_in(person: Participant, wanted: str) -> str:
    """`wanted` (a path on this site), unless it is a facilitator's page and they do not facilitate."""
    if is_drafter(person) and wanted.startswith("/facilitate") and not DRAFTING_PAGE.match(wanted):
        return landing(person)
    return wanted


def one_time(url: str) -> dict[str, str]:
    return {"url": url, "qr": qr_svg(url)}


async def _invitation_context(request: Request, code: str) -> tuple[dict[str, Any], str | None]:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        try:
            link = await service.invitation(session, code)
        except ValidationError as error:
            return {}, error.field_messages(locale.get())["link"]
        organisation, rounds = await queries.invitation_details(session, link)
    return {"role": link.role, "organisation": organisation, "rounds": rounds}, None


def _invitation_page(request: Request, context: dict[str, Any], refused: str | None, *,
                     values: dict[str, str] | None = None, errors: dict[str, str] | None = None,
                     status_code: int = 200) -> Response:
    return render(request, "staff/invitation.html", {
        **context, "code": request.path_params["code"], "refused": refused, "min_length": MIN_LENGTH,
        "values": values or {"display_name": "", "method": "passphrase"}, "errors": errors or {},
    }, status_code=GONE if refused else status_code)


async def invitation_form(request: Request) -> Response:
    context, refused = await _invitation_context(request, request.path_params["code"])
    return _invitation_page(request, context, refused)


async def accept(request: Request) -> Response:
    form = await checked_form(request)
    code = request.path_params["code"]
    values = {"display_name": str(form.get("display_name", "")), "method": str(form.get("method", ""))}
    try:
        async with unit_of_work(request.app.state.runtime.sessions) as session:
            joined = await service.accept_invitation(
                session, code, display_name=values["display_name"], method=values["method"],
                passphrase=str(form.get("passphrase", "")), confirm=str(form.get("confirm", "")),
                locale=locale.get())
    except ValidationError as error:
        errors = error.field_messages(locale.get())
        context, refused = await _invitation_context(request, code)
        return _invitation_page(request, context, errors.get("link") or refused, values=values, errors=errors,
                                status_code=422)
    sign_in(request, joined.person, method=joined.method)
    if joined.sign_in_link is None:
        return redirect(request, landing(joined.person))
    public_url = request.app.state.runtime.settings.public_url
    return render(request, "staff/your_link.html", {
        "link": one_time(f"{public_url}/staff/link/{joined.sign_in_link}"), "next": landing(joined.person)})


async def link_form(request: Request) -> Response:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        try:
            await service.sign_in_link(session, request.path_params["code"])
            refused = None
        except ValidationError as error:
            refused = error.field_messages(locale.get())["link"]
    # opening the link signs nobody in: a chat app that fetches it to show a preview must not use it up
    return render(request, "staff/link.html", {"code": request.path_params["code"], "refused": refused},
                  status_code=GONE if refused else 200)


async def link_sign_in(request: Request) -> Response:
    await checked_form(request)
    try:
        async with unit_of_work(request.app.state.runtime.sessions) as session:
            person = await service.sign_in_with_link(session, request.path_params["code"])
    except ValidationError as error:
        return render(request, "staff/link.html", {"code": request.path_params["code"],
                                                   "refused": error.field_messages(locale.get())["link"]},
                      status_code=GONE)
    sign_in(request, person, method="link")
    return redirect(request, landing(person))


async def account(request: Request) -> Response:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        me = await facilitator(request, session)
        if not has_staff_account(me):
            raise NotPermitted(N_("This page is for staff: facilitators, drafters and administrators."))
        rounds = await queries.my_rounds(session, me)
    return render(request, "staff/account.html", {"rounds": rounds, "facilitates": is_staff(me), "tool": "mine"})
