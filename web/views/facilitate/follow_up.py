"""Follow-through for a round's facilitators: the commitments that need chasing (overdue or without news)
with the number of days that makes one stale, and the round's after-action figures as a page and a PDF.

The after-action page shows the facilitators every figure; its PDF, which goes to the partners, reads as
anyone outside the round would (server/disclosure.py), as the proposal's exports do.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from server.commitments import follow_up
from server.commitments.after_action import COLUMNS, after_action
from server.commitments.after_action_pdf import TEXT, after_action_pdf
from server.commitments.queries import views_of
from server.commitments.rules import FLAG_NAMES, STALE_AFTER_DAYS
from server.database import unit_of_work
from server.disclosure import FACILITATOR, PUBLIC
from server.errors import ValidationError
from server.i18n import translate
from web.csrf import checked_form
from web.htmx import redirect
from web.templating import locale, render
from web.views.facilitate.common import Facilitating, facilitating, refused


async def _follow_up(session: AsyncSession, f: Facilitating, **more: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    flagged = await follow_up.flagged_in(session, f.round.id, now)
    views = {v.commitment.id: v for v in await views_of(session, [x.commitment for x in flagged])}
    days = (await follow_up.stale_after(session, [f.round.id]))[f.round.id]
    return {"round": f.round, "tool": "follow_up", "flagged": [(x, views[x.commitment.id]) for x in flagged],
            "flag_names": FLAG_NAMES, "days": days, "default_days": STALE_AFTER_DAYS, "errors": {},
            "typed": str(days), **more}


async def follow_up_page(request: Request) -> Response:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        f = await facilitating(request, session)
        context = await _follow_up(session, f, saved=request.query_params.get("done") == "saved")
    return render(request, "facilitate/follow_up.html", context)


async def save_days(request: Request) -> Response:
    form = await checked_form(request)
    typed = str(form.get("stale_after_days", "")).strip()
    try:
        async with unit_of_work(request.app.state.runtime.sessions) as session:
            f = await facilitating(request, session)
            await follow_up.set_stale_after(session, f.me, f.round.id, typed)
    except ValidationError as error:
        async with unit_of_work(request.app.state.runtime.sessions) as session:
            f = await facilitating(request, session)
            context = await _follow_up(session, f, errors=error.field_messages(locale.get()), typed=typed)
        return render(request, "facilitate/follow_up.html", context, status_code=refused(request))
    return redirect(request, f"/facilitate/{f.round.slug}/follow-up?done=saved")


async def after_action_page(request: Request) -> Response:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        f = await facilitating(request, session)
        figures = await after_action(session, f.round, FACILITATOR, datetime.now(UTC))
    def t(key: str, **params: object) -> str:  # the PDF's words, so that page and PDF say the same
        return translate(TEXT[key], locale.get(), **params)

    return render(request, "facilitate/after_action.html", {"round": f.round, "tool": "after_action",
                                                            "figures": figures, "columns": COLUMNS,
                                                            "flag_names": FLAG_NAMES, "t": t})


async def after_action_export(request: Request) -> Response:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        f = await facilitating(request, session)
        figures = await after_action(session, f.round, PUBLIC, datetime.now(UTC))
    # fpdf2 and HarfBuzz are pure CPU work: a thread keeps the event loop answering meanwhile
    body = await asyncio.to_thread(after_action_pdf, figures, locale=locale.get())
    return Response(body, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="ruam-{f.round.slug}-after-action.pdf"',
        "Cache-Control": "private, max-age=60"})
