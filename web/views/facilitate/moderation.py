"""The moderation queue: a round's comments newest first, hide / hold / restore with a reason,
and the trail of every decision (who, when, from, to, why)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from server.database import unit_of_work
from server.deliberation import moderation_queue
from server.deliberation.models import MODERATION_STATES, Comment
from server.deliberation.service import moderate_comment
from server.errors import NotFound, ValidationError
from server.i18n import N_
from server.rounds.models import Round
from web.csrf import checked_form
from web.forms import path_uuid, query_uuid
from web.htmx import redirect
from web.templating import locale, render
from web.views.facilitate.common import (
    facilitating,
    facilitator,
    fragment,
    is_htmx,
    refused,
)

STATE_NAMES = {"visible": N_("Shown"), "pending": N_("Held for review"), "hidden": N_("Hidden")}


def _state(text: str | None) -> str | None:
    return text if text in MODERATION_STATES else None


async def _context(session: AsyncSession, round_: Round, *, state: str | None, before: uuid.UUID | None = None,
                   only: uuid.UUID | None = None, errors: dict[uuid.UUID, dict[str, str]] | None = None,
                   values: dict[uuid.UUID, str] | None = None) -> dict[str, Any]:
    items, more = await moderation_queue.queue(session, round_.id, state=None if only else state, before=before,
                                               only=only)
    return {"round": round_, "tool": "moderation", "items": items, "more": more, "state": state,
            "counts": await moderation_queue.state_counts(session, round_.id),
            "trail": await moderation_queue.trail(session, round_.id), "state_names": STATE_NAMES,
            "errors": errors or {}, "values": values or {}}


async def queue_page(request: Request) -> Response:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        f = await facilitating(request, session)
        context = await _context(session, f.round, state=_state(request.query_params.get("state")),
                                 before=query_uuid(request.query_params.get("before")))
    return render(request, "facilitate/moderation.html", context, block=fragment(request, "queue"))


async def moderate(request: Request) -> Response:
    """moderate_comment checks that the signed-in person facilitates the comment's round."""
    form = await checked_form(request)
    comment_id = path_uuid(request, "comment_id", "comment")
    state, reason, shown = str(form.get("state", "")), str(form.get("reason", "")), _state(str(form.get("shown", "")))
    sessions = request.app.state.runtime.sessions
    errors: dict[str, str] = {}
    try:
        async with unit_of_work(sessions) as session:
            me = await facilitator(request, session)
            comment = await moderate_comment(session, me, comment_id, state=state, reason=reason)
            round_ = await session.get_one(Round, comment.round_id)
    except ValidationError as error:
        errors = error.field_messages(locale.get())
    if not errors and not is_htmx(request):
        query = f"?state={shown}" if shown else ""
        return redirect(request, f"/facilitate/{round_.slug}/moderation{query}#comment-{comment_id}")
    async with unit_of_work(sessions) as session:
        answered = await session.get(Comment, comment_id)
        if answered is None:
            raise NotFound("comment", comment_id)
        f = await facilitating(request, session, await session.get(Round, answered.round_id))
        failed = {comment_id: errors} if errors else {}
        context = await _context(session, f.round, state=shown, only=comment_id if is_htmx(request) else None,
                                 errors=failed, values={comment_id: reason} if errors else {})
    if is_htmx(request):
        return render(request, "facilitate/_moderated.html", context)
    return render(request, "facilitate/moderation.html", context, status_code=refused(request))
