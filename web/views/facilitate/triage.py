"""A channel's triage queue: each need with its "me too" count and what became of it, and four actions on it
(merge into another, tags, bring into a round, answer), each a plain form; server/channels/ does the work and
says who may."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from server.channels import queue
from server.channels import rules as channel_rules
from server.channels import service as channels
from server.database import unit_of_work
from server.errors import Conflict, NotFound, ValidationError
from server.needs.models import Need
from server.people.models import Participant
from web.csrf import checked_form
from web.forms import ident, path_uuid
from web.htmx import redirect
from web.templating import locale, render
from web.views.facilitate.common import Facilitating, facilitating, refused

ACTIONS = ("merge", "tags", "bring", "answer")


async def _channel(request: Request, session: AsyncSession) -> Facilitating:
    f = await facilitating(request, session)
    if not channel_rules.is_channel(f.round):
        raise NotFound("channel", f.round.slug)
    return f


async def _context(session: AsyncSession, f: Facilitating, *, tag: str | None = None,
                   errors: dict[uuid.UUID, dict[str, str]] | None = None,
                   values: dict[uuid.UUID, dict[str, str]] | None = None, done: str | None = None) -> dict[str, Any]:
    items = await queue.queue(session, f.me, f.round.id, tag=tag)
    return {"round": f.round, "tool": "triage", "items": items, "tag": tag,
            "open_needs": [i.need for i in items if i.need.status == "open"],
            "rounds": await queue.target_rounds(session, f.me), "errors": errors or {}, "values": values or {},
            "done": done if done in ACTIONS else None}


async def triage_page(request: Request) -> Response:
    tag = request.query_params.get("tag", "").strip()[:channel_rules.TAG_LENGTH] or None
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        f = await _channel(request, session)
        context = await _context(session, f, tag=tag, done=request.query_params.get("done"))
    return render(request, "facilitate/triage.html", context)


async def _act(session: AsyncSession, me: Participant, need_id: uuid.UUID, action: str, form: FormData) -> None:
    if action == "merge":
        into = ident(form, "into")
        await channels.merge_need(session, me, need_id, into or need_id)  # none chosen: refused as itself
    elif action == "tags":
        await channels.tag_need(session, me, need_id, str(form.get("tags", "")).split(","))
    elif action == "bring":
        target = ident(form, "round")
        if target is None:
            raise ValidationError({"round": (channels.CHOOSE_ROUND, {})})
        await channels.bring_into_round(session, me, need_id, target)
    else:
        await channels.answer_need(session, me, need_id, str(form.get("answer", "")),
                                   public=form.get("public") == "yes")


async def act(request: Request) -> Response:
    form = await checked_form(request)
    need_id = path_uuid(request, "need_id", "need")
    action = request.path_params["action"]
    if action not in ACTIONS:
        raise NotFound("page", action)
    sessions = request.app.state.runtime.sessions
    errors: dict[str, str] = {}
    try:
        async with unit_of_work(sessions) as session:
            f = await _channel(request, session)
            need = await session.get(Need, need_id)
            if need is None or need.round_id != f.round.id:
                raise NotFound("need", need_id)
            await _act(session, f.me, need_id, action, form)
    except (ValidationError, Conflict) as error:
        errors = error.field_messages(locale.get()) if isinstance(error, ValidationError) else {
            "form": error.message(locale.get())}
    if not errors:
        return redirect(request, f"/facilitate/{f.round.slug}/triage?done={action}#need-{need_id}")
    typed = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    async with unit_of_work(sessions) as session:
        f = await _channel(request, session)
        context = await _context(session, f, errors={need_id: {**errors, "action": action}},
                                 values={need_id: typed})
    return render(request, "facilitate/triage.html", context, status_code=refused(request))
