"""Submitting a need in a few taps plus text and an optional photo; "My input"."""

from __future__ import annotations

from typing import Any, TypedDict

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.channels.outcome import my_outcomes
from server.database import unit_of_work
from server.errors import DomainError, ValidationError
from server.needs.service import submit_need
from server.people.my_input import my_input
from server.reference.service import hazards, sectors, subdistricts_within
from server.rounds.models import Round
from server.rounds.queries import memberships_with_rounds
from server.rounds.service import find_round
from web import photos
from web.errors import status_of
from web.forms import optional_whole, whole
from web.htmx import redirect
from web.icons import HAZARDS, SECTORS, VOTES
from web.openings import closed_now
from web.session import signed_in
from web.templating import locale, render
from web.views.rounds import late_promises


class NeedValues(TypedDict):
    """The need form's fields, as submit_need takes them (and the form shows them again)."""

    title: str
    body: str
    area_code: str
    sector: str
    hazards: list[str]
    severity: int
    people_affected: int | None


async def _form_context(session: AsyncSession, round_: Round) -> dict[str, Any]:
    return {"round": round_, "sectors": await sectors(session), "hazards": await hazards(session),
            "areas": await subdistricts_within(session, round_.area_codes), "sector_icons": SECTORS,
            "hazard_icons": HAZARDS}


async def need_form(request: Request) -> Response:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        round_ = await find_round(session, request.path_params["slug"])
        me = await signed_in(request, session)
        if me is None:
            return RedirectResponse("/join", status_code=303)
        context = await _form_context(session, round_)
        closed = (await closed_now(session, round_, me, ("submit_need",))).get("submit_need")
    return render(request, "need_form.html", {**context, "values": {}, "errors": {}, "closed": closed,
                                             "typed_count": ""})


async def need_submit(request: Request) -> Response:
    form, photo = await photos.form_with_photo(request)
    values: NeedValues = {"title": str(form.get("title", "")), "body": str(form.get("body", "")),
                          "area_code": str(form.get("area_code", "")), "sector": str(form.get("sector", "")),
                          "hazards": [str(h) for h in form.getlist("hazards")],
                          "severity": whole(form, "severity", 3),
                          "people_affected": optional_whole(form, "people_affected")}
    sessions = request.app.state.runtime.sessions
    try:
        async with unit_of_work(sessions) as session:
            round_ = await find_round(session, request.path_params["slug"])
            me = await signed_in(request, session)
            if me is None:
                return RedirectResponse("/join", status_code=303)
            await submit_need(session, me, round_.id, language=locale.get(), photo=photo, **values)
    except DomainError as error:
        # refused for a field, or because the round does not take needs now: the form again, saying why,
        # with everything typed (and the photo) kept
        async with unit_of_work(sessions) as session:
            context = await _form_context(session, await find_round(session, request.path_params["slug"]))
        if isinstance(error, ValidationError):
            errors = error.field_messages(locale.get())
        else:
            errors = {"form": error.message(locale.get())}
        response = render(request, "need_form.html", {**context, "values": values, "errors": errors,
                                                      "kept_photo": photos.kept(request, photo),
                                                      "typed_count": str(form.get("people_affected", "")).strip()},
                          status_code=status_of(error))
        response.headers["HX-Push-Url"] = "false"  # the address stays the form's, which a reload can open
        return response
    return redirect(request, f"/rounds/{round_.slug}/mine?sent=need")


async def mine(request: Request) -> Response:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        round_ = await find_round(session, request.path_params["slug"])
        me = await signed_in(request, session)
        if me is None:
            return RedirectResponse("/join", status_code=303)
        given = await my_input(session, me.id, round_.id)
        told = await my_outcomes(session, round_, me.id, [item["need"] for item in given.needs])
        my_rounds = await memberships_with_rounds(session, me.id)  # one person: their other rounds too
        late = await late_promises(session, round_, me)
    return render(request, "mine.html", {"round": round_, "given": given, "told": told, "icons": VOTES, "my_rounds": my_rounds,
                                         "sent": request.query_params.get("sent"), **late})
