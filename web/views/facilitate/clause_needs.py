"""Choosing the needs a clause answers: a search form (GET: words, area, sector, hazard, group) over the
round's needs (server/needs/queries.py), then checkboxes to link the ones found, and checkboxes to unlink
those already linked. With htmx the results swap in place as the search is sent."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from server.database import unit_of_work
from server.drafts import authoring
from server.drafts.models import Clause
from server.drafts.workbench import workbench
from server.errors import DomainError, NotFound, NotPermitted
from server.needs import queries as needs
from server.pagination import Window
from server.reference.service import hazards, sectors, subdistricts_within
from server.rounds.models import StakeholderGroup
from web.csrf import checked_form
from web.forms import path_uuid, query_uuid
from web.htmx import redirect
from web.icons import HAZARDS, SECTORS
from web.templating import render
from web.views.facilitate.common import fragment, refused
from web.views.facilitate.drafts import Drafting, clause_of, draft_of, drafting, words

SHOWN = 20  # needs found at once: a longer list is narrowed by the search, not scrolled
FILTERS = ("q", "area", "sector", "hazard", "group")


def _asked(request: Request) -> dict[str, str]:
    return {name: request.query_params.get(name, "").strip()[:200] for name in FILTERS}


async def _context(session: AsyncSession, d: Drafting, draft_id: uuid.UUID, clause_id: uuid.UUID,
                   asked: dict[str, str], *, errors: dict[str, str] | None = None) -> dict[str, Any]:
    draft = await draft_of(session, d, draft_id)
    clause = await clause_of(session, draft, clause_id)
    work = await workbench(session, draft.id, d.round.id)
    item = next((c for c in work.clauses if c.clause.id == clause.id), None)
    if item is None:  # an earlier version, or withdrawn: its needs are no longer chosen
        raise NotFound("clause", clause_id)
    wanted = needs.NeedFilter(round_id=d.round.id, area_code=asked["area"] or None, sector=asked["sector"] or None,
                              hazard=asked["hazard"] or None, group_id=query_uuid(asked["group"]),
                              text=asked["q"] or None)
    found: list[Any] = []
    problems = dict(errors or {})
    try:  # the round's facilitators see its hidden needs too; a drafter, those everyone sees
        found, _ = await needs.needs_page(session, wanted, facilitated={d.round.id} if d.standing.facilitates
                                          else set(), order="newest", window=Window(SHOWN))
    except DomainError as error:
        problems.update(words(error))
    linked = {n.id for n in item.needs}
    groups = list(await session.scalars(select(StakeholderGroup).where(StakeholderGroup.round_id == d.round.id)
                                        .order_by(StakeholderGroup.key)))
    here = f"/facilitate/{d.round.slug}/drafts/{draft.id}/clauses/{clause.id}/needs"
    return {"round": d.round, "tool": "drafts", "draft": draft, "item": item, "asked": asked, "here": here,
            "found": [n for n in found if n.id not in linked], "searched": any(asked.values()), "shown": SHOWN,
            "errors": problems, "sectors": await sectors(session), "hazards": await hazards(session),
            "areas": await subdistricts_within(session, d.round.area_codes), "groups": groups,
            "sector_icons": SECTORS, "hazard_icons": HAZARDS}


def _ids(request: Request) -> tuple[uuid.UUID, uuid.UUID]:
    return path_uuid(request, "draft_id", "draft"), path_uuid(request, "clause_id", "clause")


async def needs_page(request: Request) -> Response:
    draft_id, clause_id = _ids(request)
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        context = await _context(session, await drafting(request, session), draft_id, clause_id,
                                 _asked(request))
    return render(request, "facilitate/clause_needs.html", context, block=fragment(request, "results"))


async def _choose(request: Request, link: bool) -> Response:
    form = await checked_form(request)
    draft_id, clause_id = _ids(request)
    chosen = [i for i in (query_uuid(str(v)) for v in form.getlist("need_id")) if i is not None]
    asked = {name: str(form.get(name, "")).strip()[:200] for name in FILTERS}
    try:
        async with unit_of_work(request.app.state.runtime.sessions) as session:
            d = await drafting(request, session)
            await clause_of(session, await draft_of(session, d, draft_id), clause_id)
            change = authoring.link_needs if link else authoring.unlink_needs
            clause: Clause = await change(session, d.me, clause_id, chosen)
        done = "linked" if link else "unlinked"
        return redirect(request, f"/facilitate/{d.round.slug}/drafts/{draft_id}?done={done}#clause-{clause.id}")
    except DomainError as error:
        if isinstance(error, NotPermitted | NotFound):
            raise
        problems = words(error)
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        context = await _context(session, await drafting(request, session), draft_id, clause_id, asked,
                                 errors=problems)
    return render(request, "facilitate/clause_needs.html", context, status_code=refused(request))


async def link(request: Request) -> Response:
    return await _choose(request, True)


async def unlink(request: Request) -> Response:
    return await _choose(request, False)
