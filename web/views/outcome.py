"""A round's outcome for everyone, signed in or not: the published proposal in plain words, and its
downloads (CSV, JSON, PDF) as the public may read them (server/consolidation/outcome.py)."""

from __future__ import annotations

import asyncio
import json

from starlette.requests import Request
from starlette.responses import Response

from server.consolidation.export import proposal_csv, proposal_json
from server.consolidation.outcome import outcome, outcome_version
from server.consolidation.pdf import proposal_pdf
from server.consolidation.report import Report
from server.database import unit_of_work
from server.disclosure import PUBLIC
from server.errors import NotFound
from server.opendata.service import catalogue
from server.rounds.service import find_round
from web.forms import MAX_WHOLE
from web.icons import OUTCOME_ICONS
from web.session import signed_in
from web.templating import locale, render
from web.views.exclusion import section as exclusion_section


async def outcome_page(request: Request) -> Response:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        round_ = await find_round(session, request.path_params["slug"])
        await signed_in(request, session)  # the header knows who reads; what is shown does not depend on it
        shown = await outcome(session, round_)
        who = await exclusion_section(session, round_, PUBLIC) if shown else {}  # read now, never stored
    counts = {s: sum(1 for c in shown.clauses if c.status == s) for s in OUTCOME_ICONS} if shown else {}
    return render(request, "outcome.html", {"round": round_, "report": shown, "icons": OUTCOME_ICONS,
                                            **who,
                                            "counts": counts, "open_data": catalogue(round_) if shown else None})


async def _published(request: Request) -> Report:
    version = request.path_params["version"]
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        round_ = await find_round(session, request.path_params["slug"])
        if version > MAX_WHOLE:
            raise NotFound("proposal", f"{round_.slug} v{version}")
        return await outcome_version(session, round_, version)


def _download(shown: Report, kind: str) -> dict[str, str]:
    name = f"ruam-{shown.round.slug}-v{shown.proposal.version}.{kind}"
    return {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private, max-age=60"}


async def outcome_csv(request: Request) -> Response:
    shown = await _published(request)
    return Response(proposal_csv(shown, locale=locale.get()), media_type="text/csv; charset=utf-8",
                    headers=_download(shown, "csv"))


async def outcome_json(request: Request) -> Response:
    shown = await _published(request)
    body = json.dumps(proposal_json(shown, locale=locale.get()), ensure_ascii=False, indent=1)
    return Response(body, media_type="application/json; charset=utf-8", headers=_download(shown, "json"))


async def outcome_pdf(request: Request) -> Response:
    shown = await _published(request)
    # fpdf2 and HarfBuzz are pure CPU work: a thread keeps the event loop answering meanwhile
    body = await asyncio.to_thread(proposal_pdf, shown, locale=locale.get())
    return Response(body, media_type="application/pdf", headers=_download(shown, "pdf"))
