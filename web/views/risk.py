"""The climate-risk page, in one round (/rounds/{slug}/risk) and across every round the reader reads
(/risk): filters as a GET form, a table sorted by links, the groups and areas most at risk, and the same
cells as CSV and JSON (server/risk/). Who reads which round's needs is server/needs/rules.py's; the figures a
reader outside a round's facilitators may see, server/risk/cells.py's."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.database import unit_of_work
from server.errors import ValidationError
from server.exclusion.summary import Level, audience_for
from server.i18n import N_, translate
from server.reference.service import hazards, sectors
from server.risk.cells import LEVELS, NO_HAZARD, SORTS, sort_cells
from server.risk.export import risk_csv, risk_json
from server.risk.service import RiskQuery, RiskView, climate_risk
from server.rounds.models import Round
from server.rounds.queries import facilitated_round_ids
from server.rounds.service import find_round
from web import maps
from web.icons import HAZARDS, SECTORS
from web.session import signed_in
from web.templating import locale, render
from web.views.exclusion import section as exclusion_section

FILTERS = ("level", "area", "sector", "hazard")
MAP_TITLE = N_("Map of the risk score")
MAP_LEGEND = N_("Risk score")
SHOWN_ROWS = 100  # the page's table; the downloads hold every cell


def _query(request: Request) -> tuple[dict[str, str], RiskQuery]:
    given = {k: str(request.query_params.get(k, "")).strip() for k in FILTERS}
    kept = {k: v for k, v in given.items() if v}
    return kept, RiskQuery(level=given["level"] or "province", area_prefix=given["area"] or None,
                           sector=given["sector"] or None, hazard=given["hazard"] or None)


async def _view(request: Request, session: AsyncSession, round_: Round | None, wanted: RiskQuery
                ) -> RiskView | None:
    """None when nobody is signed in: the needs are their people's (the caller sends them to join)."""
    me = await signed_in(request, session)
    if me is None:
        return None
    return await climate_risk(session, me, wanted, round_id=round_.id if round_ else None,
                              facilitated=await facilitated_round_ids(session, me))


async def _page(request: Request, slug: str | None) -> Response:
    kept, wanted = _query(request)
    sort = str(request.query_params.get("sort", "score"))
    sort = sort if sort.removeprefix("-") in SORTS else "score"
    errors: dict[str, str] = {}
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        round_ = await find_round(session, slug) if slug else None
        try:
            view = await _view(request, session, round_, wanted)
        except ValidationError as error:
            errors = error.field_messages(locale.get())
            view = await _view(request, session, round_, RiskQuery())
        if view is None:
            return RedirectResponse("/join", status_code=303)
        found_sectors, found_hazards = await sectors(session), await hazards(session)
        # who is left out of public services, beside the risk (server/exclusion/)
        excluded_level: Level = "province" if wanted.level == "province" else "district"
        excluded = await exclusion_section(session, round_, await audience_for(session, round_, await signed_in(
            request, session)), excluded_level) if round_ else _exclusion_links(view, excluded_level)
    base = f"/rounds/{round_.slug}/risk" if round_ else "/risk"
    cells = sort_cells(view.found.cells, sort) if not errors else []
    context: dict[str, Any] = {
        "round": round_, "view": view, "query": kept, "errors": errors, "levels": list(LEVELS),
        "cells": cells[:SHOWN_ROWS], "all_cells": len(cells), "sort": sort, "base": base,
        "sort_link": lambda column: _sort_link(base, kept, sort, column),
        "download": f"{base}.{{kind}}" + (f"?{urlencode(kept)}" if kept else ""),
        "sectors": found_sectors, "hazards": found_hazards, "no_hazard": NO_HAZARD,
        "sector_names": {s.code: s for s in found_sectors}, "hazard_names": {h.code: h for h in found_hazards},
        "sector_icons": SECTORS, "hazard_icons": HAZARDS,
        "map_svg": _map(view, round_) if not errors else None,
        "not_drawn": [view.area_name(code, locale.get()) for code in maps.without_centre(
            {a.key[:4] for a in view.found.areas if a.key})] if wanted.level != "province" else [],
    }
    context.update(excluded)
    return render(request, "risk.html", context, status_code=422 if errors else 200)


def _exclusion_links(view: RiskView, level: Level) -> dict[str, Any]:
    """Across rounds, a link to each round's own summary rather than one summary. Its figures do not add up
    across rounds: each round counts its own groups (a "cso" in two rounds is two groups), a person in two
    rounds would be counted twice, and a sum may show only where every group in every place of every round
    in it reads 3 or more, which outside the facilitators is next to never."""
    return {"exclusion_links": [(r, f"/rounds/{r.slug}/exclusion?level={level}") for r in view.rounds]}


def _map(view: RiskView, round_: Round | None) -> Markup | None:
    """Provinces coloured by score at province level, districts as circles below it (web/maps.py)."""
    province_level = view.query.level == "province"
    scores, few = view.map_figures(2 if province_level else 4)
    if not scores and not few:
        return None
    zoom = {code[:2] for code in (round_.area_codes if round_ and round_.area_codes else [*scores, *few])}
    drawn = maps.province_map if province_level else maps.district_map
    return drawn(scores, few=few, zoom=zoom, title=translate(MAP_TITLE, locale.get()),
                 legend=translate(MAP_LEGEND, locale.get()), id_prefix="risk-map")


def _sort_link(base: str, kept: dict[str, str], current: str, column: str) -> str:
    """A column's header link: sorts by it, or the other way round when it is the order already."""
    wanted = f"-{column}" if current == column else column
    return f"{base}?{urlencode({**kept, 'sort': wanted})}"


async def risk_page(request: Request) -> Response:
    return await _page(request, request.path_params["slug"])


async def risk_everywhere(request: Request) -> Response:
    return await _page(request, None)


async def _download(request: Request, slug: str | None, kind: str) -> Response:
    _, wanted = _query(request)
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        round_ = await find_round(session, slug) if slug else None
        view = await _view(request, session, round_, wanted)
    if view is None:
        return RedirectResponse("/join", status_code=303)
    name = f"ruam-risk-{round_.slug if round_ else 'all'}-{wanted.level}.{kind}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private, max-age=60"}
    if kind == "csv":
        return Response(risk_csv(view, locale.get()), media_type="text/csv; charset=utf-8", headers=headers)
    body = json.dumps(risk_json(view, locale.get()), ensure_ascii=False, indent=1)
    return Response(body, media_type="application/json; charset=utf-8", headers=headers)


async def risk_csv_download(request: Request) -> Response:
    return await _download(request, request.path_params.get("slug"), "csv")


async def risk_json_download(request: Request) -> Response:
    return await _download(request, request.path_params.get("slug"), "json")


