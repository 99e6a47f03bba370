"""A facilitator's rounds: the list, creating one from a template, and a round's phases and groups."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from server.database import unit_of_work
from server.disclosure import FACILITATOR
from server.errors import Invalid, ValidationError
from server.i18n import N_
from server.rounds import phases
from server.rounds import service as rounds
from server.rounds import templates as round_templates
from server.rounds.live import member_counts
from server.rounds.queries import facilitated_round_ids
from server.rounds.service import GroupSpec
from web.csrf import checked_form
from web.forms import whole
from web.htmx import redirect
from web.templating import locale, render
from web.views.exclusion import section as exclusion_section
from web.views.facilitate.common import (
    Facilitating,
    facilitating,
    facilitator,
    field_value,
    fragment,
    is_htmx,
    local_time,
    refused,
    require_staff,
)

GROUP_ROWS = 6  # rows for groups on the creation form; empty ones are ignored


async def my_rounds(request: Request) -> Response:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        me = require_staff(await facilitator(request, session))
        allowed = await facilitated_round_ids(session, me)
        listed = [r for r in await rounds.list_rounds(session) if allowed is None or r.id in allowed]
    return render(request, "facilitate/index.html", {"rounds": listed, "phase_names": phases.PHASE_NAMES})


def _form_values(form: FormData | None, template: round_templates.RoundTemplate) -> dict[str, Any]:
    if form is None:
        rows = [{"key": g.key, "th": g.name.get("th", ""), "en": g.name.get("en", ""), "quorum": g.quorum}
                for g in template.groups]
        rows += [{"key": "", "th": "", "en": "", "quorum": 3}] * (GROUP_ROWS - len(rows))
        return {"template": template.key, "threshold": template.threshold, "groups": rows, "area_codes": []}
    values: dict[str, Any] = {name: str(form.get(name, "")).strip() for name in (
        "slug", "title_th", "title_en", "description_th", "description_en", "template", "threshold")}
    values["area_codes"] = [str(code) for code in form.getlist("area_codes") if code]
    values["groups"] = [{"key": str(form.get(f"group-{i}-key", "")).strip(),
                         "th": str(form.get(f"group-{i}-th", "")).strip(),
                         "en": str(form.get(f"group-{i}-en", "")).strip(),
                         "quorum": whole(form, f"group-{i}-quorum", 3)} for i in range(GROUP_ROWS)]
    return values


async def _new_context(session: AsyncSession, values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    return {"values": values, "errors": errors, "templates": round_templates.TEMPLATES,
            "provinces": await round_templates.provinces(session), "phase_names": phases.PHASE_NAMES}


async def new_round_form(request: Request) -> Response:
    template = round_templates.template(request.query_params.get("template"))
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        require_staff(await facilitator(request, session))
        context = await _new_context(session, _form_values(None, template), {})
    return render(request, "facilitate/new_round.html", {**context, "chosen": template},
                  block=fragment(request, "round_form"))


def _texts(th: str, en: str) -> dict[str, str]:
    return {k: v for k, v in (("th", th), ("en", en)) if v}


async def create_round(request: Request) -> Response:
    form = await checked_form(request)
    template = round_templates.template(str(form.get("template", "")))
    values = _form_values(form, template)
    sessions = request.app.state.runtime.sessions
    try:
        threshold = float(values["threshold"] or template.threshold)
    except ValueError:
        threshold = -1.0
    groups = [GroupSpec(g["key"], _texts(g["th"], g["en"]) or {"en": g["key"]}, quorum=g["quorum"])
              for g in values["groups"] if g["key"] or g["th"] or g["en"]]
    try:
        async with unit_of_work(sessions) as session:
            me = await facilitator(request, session)
            round_ = await rounds.create_round(
                session, me, slug=values["slug"], title=_texts(values["title_th"], values["title_en"]),
                description=_texts(values["description_th"], values["description_en"]), groups=groups,
                area_codes=values["area_codes"], template=template.phases, threshold=threshold)
    except ValidationError as error:
        async with unit_of_work(sessions) as session:
            context = await _new_context(session, values, error.field_messages(locale.get()))
        return render(request, "facilitate/new_round.html", {**context, "chosen": template},
                      status_code=refused(request))
    return redirect(request, f"/facilitate/{round_.slug}")


async def overview_context(session: AsyncSession, f: Facilitating, errors: dict[str, str] | None = None,
                           notice: str | None = None) -> dict[str, Any]:
    loaded = phases.load(f.round.phases)
    counts = await member_counts(session, f.round.id)
    return {"round": f.round, "tool": "round", "phases": loaded, "phase_names": phases.PHASE_NAMES,
            "groups": await rounds.groups_of(session, f.round.id), "counts": counts,
            "field_value": field_value, "errors": errors or {}, "notice": notice,
            "action_names": phases.ACTIONS, **await exclusion_section(session, f.round, FACILITATOR)}


async def overview(request: Request) -> Response:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        f = await facilitating(request, session)
        context = await overview_context(session, f, notice=request.query_params.get("done"))
    return render(request, "facilitate/round.html", context, block=fragment(request, "phases"))


Change = Callable[[AsyncSession, Facilitating, FormData], Awaitable[None]]


async def _phase_change(request: Request, change: Change) -> Response:
    """Runs `change(session, me, round)`; the phases block comes back for htmx, else a 303."""
    form = await checked_form(request)
    sessions = request.app.state.runtime.sessions
    errors: dict[str, str] = {}
    try:
        async with unit_of_work(sessions) as session:
            f = await facilitating(request, session)
            await change(session, f, form)
    except ValidationError as error:
        errors = error.field_messages(locale.get())
    if errors or is_htmx(request):
        async with unit_of_work(sessions) as session:
            f = await facilitating(request, session)
            context = await overview_context(session, f, errors, None if errors else "saved")
        return render(request, "facilitate/round.html", context, block=fragment(request, "phases"),
                      status_code=refused(request) if errors else 200)
    return redirect(request, f"/facilitate/{f.round.slug}?done=saved#phases")


async def move_phase(request: Request) -> Response:
    async def change(session: AsyncSession, f: Facilitating, form: FormData) -> None:
        await rounds.move_phase(session, f.me, f.round.id, str(form.get("phase", "")))
    return await _phase_change(request, change)


async def schedule_phase(request: Request) -> Response:
    async def change(session: AsyncSession, f: Facilitating, form: FormData) -> None:
        try:
            starts, ends = local_time(str(form.get("starts_at", ""))), local_time(str(form.get("ends_at", "")))
        except ValueError:
            invalid = Invalid()
            invalid.add("phases", N_("Enter a date and time, e.g. 2026-11-25 09:00."))
            invalid.raise_if_any()
        await rounds.schedule_phase(session, f.me, f.round.id, str(form.get("phase", "")),
                                    starts_at=starts, ends_at=ends)
    return await _phase_change(request, change)
