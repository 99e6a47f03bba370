"""Exclusion data on the web: a person's own short form (from My data, and offered after consent), taking it
back, and a round's summary. What is kept, for whom, and what a reader sees are server/exclusion's."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.database import unit_of_work
from server.disclosure import Audience
from server.errors import ValidationError
from server.exclusion import service, words
from server.exclusion.service import Answers
from server.exclusion.summary import LEVELS, Level, audience_for, summary
from server.people.models import Participant
from server.people.service import has_consent, record_consent
from server.rounds.models import Round
from server.rounds.service import find_round
from web.csrf import checked_form
from web.forms import local_path
from web.htmx import redirect
from web.session import signed_in
from web.templating import locale, render

SINGLE = ("id_document", "welfare_card", "disability_card", "area_code")


def answers_from(form: FormData) -> Answers:
    """What a form of exclusion questions sent: every field may be missing."""
    one = {name: str(form.get(name, "")) or None for name in SINGLE}
    return Answers(**one, services_missed=[str(v) for v in form.getlist("services_missed")],
                   reasons=[str(v) for v in form.getlist("reasons")])


def typed(form: FormData) -> dict[str, Any]:
    """The values to show again in a form sent back."""
    return {**{name: str(form.get(name, "")) for name in SINGLE},
            "services_missed": form.getlist("services_missed"), "reasons": form.getlist("reasons")}


def level_of(request: Request) -> Level:
    asked = request.query_params.get("level")
    return next((level for level in LEVELS if level == asked), "district")


async def section(session: AsyncSession, round_: Round, audience: Audience, level: Level = "district"
                  ) -> dict[str, Any]:
    """What a page needs to show a round's exclusion summary (templates/_exclusion.html)."""
    return {"exclusion": await summary(session, round_, audience, level), "exclusion_words": words}


async def _form_context(session: AsyncSession, me: Participant, values: dict[str, Any], next_: str
                        ) -> dict[str, Any]:
    return {"values": values, "words": words, "next": next_,
            "districts": await service.district_choices(session, me),
            "consented": await has_consent(session, me.id, service.PURPOSE)}


async def my_form(request: Request) -> Response:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        me = await signed_in(request, session)
        if me is None:
            return RedirectResponse("/card", status_code=303)
        row = await service.mine(session, me, me.id)
        values = {name: getattr(row, name) for name in (*SINGLE, "services_missed", "reasons")} if row else {}
        context = await _form_context(session, me, values, local_path(request.query_params.get("next")))
    return render(request, "exclusion_form.html", {**context, "errors": {},
                                                   "saved": request.query_params.get("done") == "saved"})


async def my_save(request: Request) -> Response:
    form = await checked_form(request)
    next_ = local_path(str(form.get("next", "")) or "/me")
    sessions = request.app.state.runtime.sessions
    try:
        async with unit_of_work(sessions) as session:
            me = await signed_in(request, session)
            if me is None:
                return RedirectResponse("/card", status_code=303)
            await service.save(session, me, me.id, answers_from(form), agree=form.get("agree") == "yes")
    except ValidationError as error:
        async with unit_of_work(sessions) as session:
            me = await signed_in(request, session)
            assert me is not None
            context = await _form_context(session, me, typed(form), next_)
        return render(request, "exclusion_form.html", {**context, "errors": error.field_messages(locale.get()),
                                                       "saved": False}, status_code=422)
    return redirect(request, f"/me/exclusion?done=saved&next={quote(next_)}")


async def my_delete(request: Request) -> Response:
    """Taking back the consent: the answers are deleted at once (server/people/service.record_consent)."""
    await checked_form(request)
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        me = await signed_in(request, session)
        if me is None:
            return RedirectResponse("/card", status_code=303)
        await record_consent(session, me, me.id, purpose=service.PURPOSE, granted=False)
    return redirect(request, "/me?done=exclusion")


async def round_page(request: Request) -> Response:
    """Anyone may read it, as the outcome; only the round's facilitators see figures about fewer than 3."""
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        round_ = await find_round(session, request.path_params["slug"])
        me = await signed_in(request, session)
        context = await section(session, round_, await audience_for(session, round_, me), level_of(request))
    return render(request, "exclusion.html", {"round": round_, **context})
