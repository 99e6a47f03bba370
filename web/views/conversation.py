"""A round's needs, found by area, sector, hazard and words; "me too" on them and the talk about them.

Every form works without JavaScript: the filters are a GET form, "me too" and comments POST, then 303 back
to the same filters. With htmx the filters swap the results and "me too" swaps its own button.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.database import unit_of_work
from server.deliberation.service import post_comment
from server.disclosure import PUBLIC
from server.errors import DomainError, NotFound, NotPermitted, ValidationError
from server.needs import browse
from server.needs import rules as need_rules
from server.needs.models import Need
from server.needs.queries import NeedFilter
from server.needs.service import endorse_need, undo_endorsement
from server.people.models import Participant
from server.reference.models import AdminArea
from server.reference.service import hazards, sectors, subdistricts_within
from server.rounds.models import Round
from server.rounds.service import find_round
from web.csrf import checked_form
from web.forms import ident, path_uuid, query_uuid
from web.htmx import redirect
from web.icons import HAZARDS, SECTORS
from web.session import signed_in
from web.templating import locale, render
from web.views import drafts
from web.views.drafts import SIGN_IN
from web.views.drafts import _words as words

FILTERS = ("area", "sector", "hazard", "q")  # the page's query, kept when an action comes back to it
NOTICE = "needs_notice"


def _wanted(query: dict[str, str]) -> NeedFilter:
    def given(name: str) -> str | None:
        return query.get(name, "").strip() or None
    return NeedFilter(area_code=given("area"), sector=given("sector"), hazard=given("hazard"), text=given("q"))


def _kept(query: Any) -> dict[str, str]:
    return {k: str(query.get(k, "")) for k in FILTERS if str(query.get(k, "")).strip()}


async def _choices(session: AsyncSession, round_: Round) -> dict[str, Any]:
    districts = {d.code: d for d, _ in await subdistricts_within(session, round_.area_codes)}
    found_sectors, found_hazards = await sectors(session), await hazards(session)
    return {"districts": list(districts.values()), "sectors": found_sectors, "hazards": found_hazards,
            "sectors_by_code": {s.code: s for s in found_sectors}, "hazards_by_code": {h.code: h for h in found_hazards},
            "sector_icons": SECTORS, "hazard_icons": HAZARDS}


async def _area_names(session: AsyncSession, codes: set[str]) -> dict[str, AdminArea]:
    return {a.code: a for a in await session.scalars(select(AdminArea).where(AdminArea.code.in_(codes)))}


async def needs_page(request: Request) -> Response:
    query = _kept(request.query_params)
    after = query_uuid(request.query_params.get("after"))
    errors: dict[str, str] = {}
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        round_ = await find_round(session, request.path_params["slug"])
        me = await signed_in(request, session)
        if me is None:
            return RedirectResponse("/join", status_code=303)
        try:
            found = await browse.browse(session, round_, me, _wanted(query), after=after)
        except ValidationError as error:
            errors = error.field_messages(locale.get())
            found = browse.NeedsPage([], False, 0)
        context = {**await _choices(session, round_), "round": round_, "page": found, "query": query,
                   "errors": errors, "back": urlencode(query), "notice": _notice(request, round_.slug),
                   "areas": await _area_names(session, {v.need.area_code for v in found.needs}),
                   "more_link": _more(round_, query, found)}
    return render(request, "needs.html", context, block="results", status_code=422 if errors else 200)


def _more(round_: Round, query: dict[str, str], found: browse.NeedsPage) -> str | None:
    if not found.more or not found.needs:
        return None
    return f"/rounds/{round_.slug}/needs?{urlencode({**query, 'after': str(found.needs[-1].need.id)})}"


def _back(request: Request, slug: str, kept: str, need_id: uuid.UUID, notice: str | None = None) -> str:
    """The page the action came from: only its filters are read back from the form, so the address stays
    Ruam's own whatever was sent."""
    if notice:
        request.session[NOTICE] = [slug, notice]
    query = urlencode(_kept(dict(parse_qsl(kept))))
    return f"/rounds/{slug}/needs{'?' + query if query else ''}#need-{need_id}"


def _notice(request: Request, slug: str) -> str | None:
    kept = request.session.get(NOTICE)
    if not kept or kept[0] != slug:
        return None
    del request.session[NOTICE]
    return str(kept[1])


async def _need_and_round(request: Request) -> tuple[Need, Round]:
    need_id = path_uuid(request, "need_id", "need")
    async with request.app.state.runtime.sessions() as reader:
        need = await reader.get(Need, need_id)
        round_ = await reader.get(Round, need.round_id) if need is not None else None
    if need is None or round_ is None:
        raise NotFound("need", need_id)
    return need, round_


async def _reader(session: AsyncSession, request: Request, round_: Round) -> Participant:
    """Signed in, and one who may read the round's needs: a need of another round is not there for them."""
    me = await signed_in(request, session)
    if me is None:
        raise NotPermitted(SIGN_IN)
    await browse.require_reader(session, round_, me)
    return me


async def me_too(request: Request) -> Response:
    """Says "me too", or with `undo` takes it back; twice is once (one per person, by the table's key)."""
    form = await checked_form(request)
    need, round_ = await _need_and_round(request)
    error = None
    try:
        async with unit_of_work(request.app.state.runtime.sessions) as session:
            me = await _reader(session, request, round_)
            if form.get("undo"):
                await undo_endorsement(session, me, need.id)
            else:
                await endorse_need(session, me, need.id)
    except (NotFound, NotPermitted):
        raise  # the error page: a need that is not theirs to reach
    except DomainError as failure:
        error = words(failure)
    if request.headers.get("hx-request") == "true":
        async with unit_of_work(request.app.state.runtime.sessions) as session:
            me = await _reader(session, request, round_)
            fresh = await session.get(Need, need.id)
            if fresh is None or not need_rules.visible(fresh, PUBLIC):
                raise NotFound("need", need.id)
            view = await browse.need_view(session, fresh, me)
        return render(request, "_me_too.html", {"v": view, "back": str(form.get("back", "")), "error": error})
    return redirect(request, _back(request, round_.slug, str(form.get("back", "")), need.id, error))


async def need_comment(request: Request) -> Response:
    form = await checked_form(request)
    need, round_ = await _need_and_round(request)
    notice = None
    try:
        async with unit_of_work(request.app.state.runtime.sessions) as session:
            me = await _reader(session, request, round_)
            await post_comment(session, me, need_id=need.id, stance=str(form.get("stance", "")),
                               body=str(form.get("body", "")), parent_id=ident(form, "parent_id"),
                               language=locale.get())
    except (NotFound, NotPermitted):
        raise
    except DomainError as error:
        notice = words(error)
    return redirect(request, _back(request, round_.slug, str(form.get("back", "")), need.id, notice))


async def draft_comment(request: Request) -> Response:
    """A comment on a draft as a whole, or a reply in one of its threads; back to the draft's page, which says
    what went wrong, if anything."""
    form = await checked_form(request)
    draft_id = path_uuid(request, "draft_id", "draft")
    try:
        async with unit_of_work(request.app.state.runtime.sessions) as session:
            me = await signed_in(request, session)
            if me is None:
                raise NotPermitted(SIGN_IN)
            await post_comment(session, me, draft_id=draft_id, stance=str(form.get("stance", "")),
                               body=str(form.get("body", "")), parent_id=ident(form, "parent_id"),
                               language=locale.get())
    except (NotFound, NotPermitted):
        raise
    except DomainError as error:
        request.session[drafts.NOTICE] = [str(draft_id), words(error)]
    return redirect(request, f"/drafts/{draft_id}#draft-comments")
