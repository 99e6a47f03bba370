"""The consolidated proposal: status, support, dissent, needs coverage, voices and provenance;
consolidating now, publishing a version, and its CSV and PDF exports.

The page is the facilitators' and shows every figure. The exports are public outputs, read as the
public may read them (server/consolidation/rules.py: per-group figures from fewer than 3 people read
"fewer than 3", and nothing derived from them is shown): anyone may download a published version's; an
unpublished one is for the round's facilitators.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from server.consolidation import rules
from server.consolidation import service as consolidation
from server.consolidation.export import proposal_csv
from server.consolidation.models import ConsolidatedProposal
from server.consolidation.pdf import proposal_pdf
from server.consolidation.report import Report, report
from server.database import unit_of_work
from server.disclosure import FACILITATOR, PUBLIC
from server.errors import NotFound
from server.opendata.licences import LICENCES
from server.rounds import phases
from server.rounds.models import Round
from server.rounds.service import find_round
from web.csrf import checked_form
from web.forms import MAX_WHOLE, whole, whole_number
from web.htmx import redirect
from web.templating import locale, render
from web.views.exclusion import section as exclusion_section
from web.views.facilitate.common import facilitating, fragment


async def _version(session: AsyncSession, round_id: uuid.UUID, number: int | None) -> ConsolidatedProposal | None:
    if number is None:
        return await consolidation.latest(session, round_id)
    return await session.scalar(select(ConsolidatedProposal).where(
        ConsolidatedProposal.round_id == round_id, ConsolidatedProposal.version == number))


async def proposal_page(request: Request) -> Response:
    asked = request.query_params.get("version", "")
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        f = await facilitating(request, session)
        proposal = await _version(session, f.round.id, whole_number(asked))
        if proposal is None and asked:
            raise NotFound("proposal", f"{f.round.slug} v{asked}")
        # a page of clauses at a time: a round of thousands reads only the page it shows
        page = whole_number(request.query_params.get("page", "")) or 1
        shown = await report(session, f.round, proposal, FACILITATOR, page=page) if proposal else None
        who = await exclusion_section(session, f.round, FACILITATOR) if proposal else {}  # read now, never stored
        versions = (await session.execute(
            select(ConsolidatedProposal.version, ConsolidatedProposal.published_at)
            .where(ConsolidatedProposal.round_id == f.round.id)
            .order_by(ConsolidatedProposal.version.desc()).limit(20))).all()
    return render(request, "facilitate/proposal.html", {
        "round": f.round, "tool": "proposal", "report": shown, "versions": versions,
        **who,
        "notice": request.query_params.get("done"),
        "voting_open": phases.votes_now(f.standing.phase(), datetime.now(UTC)), "licences": LICENCES,
    }, block=fragment(request, "proposal") if shown else None)


async def consolidate_now(request: Request) -> Response:
    await checked_form(request)
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        f = await facilitating(request, session)
        proposal = await consolidation.consolidate(session, f.round.id)
    return redirect(request, f"/facilitate/{f.round.slug}/proposal?version={proposal.version}&done=consolidated")


async def publish(request: Request) -> Response:
    """consolidation.service.publish checks that the signed-in person facilitates the round."""
    form = await checked_form(request)
    version = whole(form, "version", -1)
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        f = await facilitating(request, session)
        await consolidation.publish(session, f.me, f.round.id, version,
                                    while_voting=form.get("while_voting") == "yes")
    return redirect(request, f"/facilitate/{f.round.slug}/proposal?version={version}&done=published")


async def _exported(request: Request) -> tuple[Round, Report]:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        round_ = await find_round(session, request.path_params["slug"])
        version = request.path_params["version"]
        proposal = await _version(session, round_.id, version) if version <= MAX_WHOLE else None
        if proposal is None:
            raise NotFound("proposal", f"{round_.slug} v{version}")
        if not rules.visible(proposal, PUBLIC):
            await facilitating(request, session, round_)
        return round_, await report(session, round_, proposal, PUBLIC)


def _download(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private, max-age=60"}


async def export_csv(request: Request) -> Response:
    round_, shown = await _exported(request)
    name = f"ruam-{round_.slug}-v{shown.proposal.version}.csv"
    return Response(proposal_csv(shown, locale=locale.get()), media_type="text/csv; charset=utf-8",
                    headers=_download(name))


async def export_pdf(request: Request) -> Response:
    round_, shown = await _exported(request)
    name = f"ruam-{round_.slug}-v{shown.proposal.version}.pdf"
    # fpdf2 and HarfBuzz are pure CPU work: a thread keeps the event loop answering meanwhile
    body = await asyncio.to_thread(proposal_pdf, shown, locale=locale.get())
    return Response(body, media_type="application/pdf", headers=_download(name))
