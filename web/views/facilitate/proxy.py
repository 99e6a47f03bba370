"""Proxy entry: who the input is from (once), then needs, votes and comments, one submit each,
staying on the page for the next; a list of what was entered under the proxy record below."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from server.database import unit_of_work
from server.deliberation.service import post_comment
from server.errors import Conflict, DomainError, NotPermitted, PhaseClosed, ProxyRequired, ValidationError
from server.exclusion import service as exclusion
from server.exclusion import words as exclusion_words
from server.exclusion.summary import districts_of
from server.i18n import N_
from server.needs.photo_store import PhotoUpload
from server.needs.service import submit_need
from server.proxies import entry
from server.reference.service import hazards, sectors, subdistricts_within
from server.rounds.service import groups_of
from web import photos
from web.csrf import checked_form
from web.forms import ident, optional_whole, path_uuid, query_uuid, whole
from web.htmx import redirect
from web.icons import HAZARDS, SECTORS
from web.templating import locale, render
from web.views.exclusion import answers_from
from web.views.facilitate.common import Facilitating, facilitating, fragment, is_htmx, refused

KINDS = ("need", "vote", "comment", "exclusion")
METHODS = {"meeting": N_("At a meeting"), "phone": N_("By phone"), "paper": N_("On paper")}
CONSENTS = {"verbal": N_("Said yes aloud"), "written": N_("Signed a form"), "thumbprint": N_("Thumbprint")}
ANSWERED = (ValidationError, PhaseClosed, ProxyRequired, Conflict)  # shown on the form; others are errors
NOT_NAMED = N_("Answers about public services need a named person: start a proxy entry for them.")


def _errors(error: DomainError) -> dict[str, str]:
    if isinstance(error, ValidationError):
        return error.field_messages(locale.get())
    return {"form": error.message(locale.get())}


async def _context(session: AsyncSession, f: Facilitating, *, proxy_id: uuid.UUID | None, kind: str | None = None,
                   values: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
                   saved: str | None = None) -> dict[str, Any]:
    context: dict[str, Any] = {"round": f.round, "tool": "proxy", "groups": await groups_of(session, f.round.id),
               "methods": METHODS, "consents": CONSENTS, "values": values or {}, "errors": errors or {},
               "saved": saved if saved in KINDS else None}
    if proxy_id is None:
        context.update(members=await entry.members(session, f.round.id),
                       recent=await entry.recent_proxies(session, f.me, f.round.id), sitting=None)
        return context
    sitting = await entry.sitting(session, f.me, f.round.id, proxy_id)
    kind = kind if kind in KINDS else ("vote" if sitting.named else "need")
    context.update(sitting=sitting, kind=kind, clauses=await entry.open_clauses(session, f.round.id))
    if kind == "need":
        context.update(sectors=await sectors(session), hazards=await hazards(session),
                       areas=await subdistricts_within(session, f.round.area_codes),
                       sector_icons=SECTORS, hazard_icons=HAZARDS)
    if kind == "exclusion":
        context.update(words=exclusion_words, districts=await districts_of(session, f.round))
    return context


async def proxy_page(request: Request) -> Response:
    query = request.query_params
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        f = await facilitating(request, session)
        context = await _context(session, f, proxy_id=query_uuid(query.get("proxy")), kind=query.get("kind"),
                                 saved=query.get("saved"))
    return render(request, "facilitate/proxy.html", context,
                  block=fragment(request, "entry") if context["sitting"] else None)


async def start(request: Request) -> Response:
    form = await checked_form(request)
    values = {name: str(form.get(name, "")).strip() for name in (
        "who", "participant", "name", "group", "meeting", "method", "consent", "consent_note")}
    people_count = whole(form, "people_count", 0)
    sessions = request.app.state.runtime.sessions
    try:
        async with unit_of_work(sessions) as session:
            f = await facilitating(request, session)
            proxy = await entry.start_proxy(
                session, f.me, f.round.id, who=values["who"], method=values["method"], consent=values["consent"],
                consent_note=values["consent_note"], participant_id=ident(form, "participant"),
                name=values["name"], group_key=values["group"] or None, people_count=people_count,
                meeting=values["meeting"])
    except ANSWERED as error:
        async with unit_of_work(sessions) as session:
            f = await facilitating(request, session)
            context = await _context(session, f, proxy_id=None, values={**values, "people_count": people_count},
                                     errors=_errors(error))
        return render(request, "facilitate/proxy.html", context, status_code=refused(request))
    return redirect(request, f"/facilitate/{f.round.slug}/proxy?proxy={proxy.id}")


def _choices(form: FormData) -> dict[uuid.UUID, str]:
    found: dict[uuid.UUID, str] = {}
    for name, value in form.multi_items():
        if name.startswith("vote-") and value in {"agree", "disagree", "pass"}:
            clause_id = query_uuid(name[len("vote-"):])
            if clause_id:
                found[clause_id] = str(value)
    return found


async def _enter(session: AsyncSession, f: Facilitating, proxy_id: uuid.UUID, kind: str, form: FormData,
                 photo: PhotoUpload | None) -> None:
    if kind == "need":
        await submit_need(
            session, f.me, f.round.id, title=str(form.get("title", "")), body=str(form.get("body", "")),
            area_code=str(form.get("area_code", "")), sector=str(form.get("sector", "")),
            hazards=[str(h) for h in form.getlist("hazards")], severity=whole(form, "severity", 3),
            people_affected=optional_whole(form, "people_affected"), language=locale.get(),
            group_id=ident(form, "group_id"), proxy_id=proxy_id, photo=photo)
    elif kind == "vote":
        proxy = (await entry.sitting(session, f.me, f.round.id, proxy_id)).proxy
        await entry.cast_votes(session, f.me, proxy, _choices(form))
    elif kind == "exclusion":
        proxy = (await entry.sitting(session, f.me, f.round.id, proxy_id)).proxy
        if proxy.participant_id is None:
            raise NotPermitted(NOT_NAMED)
        await exclusion.save(session, f.me, proxy.participant_id, answers_from(form),
                             agree=form.get("agree") == "yes", proxy_id=proxy_id)
    else:
        await post_comment(session, f.me, body=str(form.get("body", "")), stance=str(form.get("stance", "")),
                           clause_id=ident(form, "clause_id"), language=locale.get(), proxy_id=proxy_id)


async def enter(request: Request) -> Response:
    form = await checked_form(request, max_body=photos.FORM_LIMIT)
    proxy_id = path_uuid(request, "proxy_id", "proxy record")
    kind = str(form.get("kind", ""))
    kind = kind if kind in KINDS else "need"
    photo = photos.upload_from(request, form) if kind == "need" else None
    sessions = request.app.state.runtime.sessions
    errors: dict[str, str] = {}
    try:
        async with unit_of_work(sessions) as session:
            f = await facilitating(request, session)
            await _enter(session, f, proxy_id, kind, form, photo)
    except ANSWERED as error:
        errors = _errors(error)
    if not errors and not is_htmx(request):
        return redirect(request, f"/facilitate/{f.round.slug}/proxy?proxy={proxy_id}&kind={kind}&saved={kind}")
    values = {k: v for k, v in form.multi_items() if k != "csrf_token"} | {
        name: form.getlist(name) for name in ("hazards", "services_missed", "reasons")}
    async with unit_of_work(sessions) as session:
        f = await facilitating(request, session)
        context = await _context(session, f, proxy_id=proxy_id, kind=kind, values=values if errors else {},
                                 errors=errors, saved=None if errors else kind)
    context["kept_photo"] = photos.kept(request, photo) if errors else None
    return render(request, "facilitate/proxy.html", context, block=fragment(request, "entry"),
                  status_code=refused(request) if errors else 200)
