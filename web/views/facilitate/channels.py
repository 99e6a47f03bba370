"""Opening a standing channel for an organisation: its title, web address and provinces."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from server.channels import service as channels
from server.database import unit_of_work
from server.errors import Conflict, ValidationError
from server.people.models import Participant
from server.rounds import templates as round_templates
from server.validation import CHOOSE_EXISTING
from web.csrf import checked_form
from web.forms import ident
from web.htmx import redirect
from web.templating import locale, render
from web.views.facilitate.common import facilitator, refused, require_staff


async def _context(session: AsyncSession, me: Participant, values: dict[str, Any], errors: dict[str, str]
                   ) -> dict[str, Any]:
    return {"values": values, "errors": errors, "tool": "mine",
            "organisations": await channels.organisations_for(session, me),
            "provinces": await round_templates.provinces(session)}


async def new_channel_form(request: Request) -> Response:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        me = require_staff(await facilitator(request, session))
        context = await _context(session, me, {"area_codes": []}, {})
    return render(request, "facilitate/new_channel.html", context)


async def create_channel(request: Request) -> Response:
    form = await checked_form(request)
    values: dict[str, Any] = {name: str(form.get(name, "")).strip() for name in (
        "slug", "title_th", "title_en", "description_th", "description_en", "organisation")}
    values["area_codes"] = [str(code) for code in form.getlist("area_codes") if code]
    texts = {"title": {k: values[f"title_{k}"] for k in ("th", "en") if values[f"title_{k}"]},
             "description": {k: values[f"description_{k}"] for k in ("th", "en") if values[f"description_{k}"]}}
    sessions = request.app.state.runtime.sessions
    try:
        async with unit_of_work(sessions) as session:
            me = require_staff(await facilitator(request, session))
            organisation = ident(form, "organisation")
            if organisation is None:
                raise ValidationError({"organisation": (CHOOSE_EXISTING, {})})
            channel = await channels.create_channel(session, me, organisation_id=organisation, slug=values["slug"],
                                                    area_codes=values["area_codes"], **texts)
    except (ValidationError, Conflict) as error:
        errors = error.field_messages(locale.get()) if isinstance(error, ValidationError) else {
            "slug": error.message(locale.get())}
        async with unit_of_work(sessions) as session:
            context = await _context(session, await facilitator(request, session), values, errors)
        return render(request, "facilitate/new_channel.html", context, status_code=refused(request))
    return redirect(request, f"/facilitate/{channel.slug}/triage")
