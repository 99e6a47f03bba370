"""Reading drafts clause by clause; one-tap votes, comments with a stance, amendments."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from server.database import unit_of_work
from server.deliberation import service as deliberation
from server.drafts import service as drafts
from server.drafts.models import Clause
from server.drafts.reading import drafts_of_round, read_draft
from server.errors import DomainError, NotFound, NotPermitted, ValidationError
from server.i18n import N_
from server.people.models import Participant
from server.rounds.service import find_round
from web.csrf import checked_form
from web.errors import status_of
from web.forms import ident, path_uuid
from web.htmx import redirect
from web.icons import VOTES
from web.openings import closed_now
from web.session import signed_in
from web.templating import locale, render


async def draft_list(request: Request) -> Response:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        round_ = await find_round(session, request.path_params["slug"])
        await signed_in(request, session)
        listed = await drafts_of_round(session, round_.id)
    return render(request, "drafts.html", {"round": round_, "drafts": listed})


# what the draft page offers besides votes; each is shown closed, with why, when the phase does not open it
OFFERED = ("comment", "propose_amendment")


async def _draft_context(request: Request, session: AsyncSession, draft_id: uuid.UUID) -> dict[str, Any]:
    me = await signed_in(request, session)
    view = await read_draft(session, draft_id, me.id if me else None)
    round_ = await find_round(session, str(view.draft.round_id))
    request.state.round_slug = round_.slug  # an error page after this offers the way back to the round
    return {"round": round_, "view": view, "icons": VOTES, "notice": _notice(request, view.draft.id),
            "sent": _sent(request, view.draft.id), "closed": await closed_now(session, round_, me, OFFERED),
            "failed": None}


async def draft_page(request: Request) -> Response:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        context = await _draft_context(request, session, path_uuid(request, "draft_id", "draft"))
    return render(request, "draft.html", context)


async def vote(request: Request) -> Response:
    """The vote's round trip is small: with htmx only the clause's three buttons come back."""
    form = await checked_form(request)
    clause_id = path_uuid(request, "clause_id", "clause")
    choice = str(form.get("choice", ""))
    my_vote: str | None = choice
    amendment = form.get("amendment_id") or None
    error = None
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        me = await signed_in(request, session)
        clause = await session.get(Clause, clause_id)
        if clause is None:
            raise NotFound("clause", clause_id)
        try:
            if me is None:
                raise NotPermitted(SIGN_IN)
            await deliberation.cast_vote(session, me, clause_id, choice, amendment_id=ident(form, "amendment_id"))
        except DomainError as failure:
            error, my_vote = _words(failure), None
    target = {"clause_id": clause_id, "amendment_id": amendment, "my_vote": my_vote, "icons": VOTES,
              "error": error}
    if request.headers.get("hx-request") == "true":
        return render(request, "_vote.html", target, status_code=200)
    return redirect(request, _back(request, clause.draft_id, clause_id, error))


# What went wrong with a vote, comment or wording sent without JavaScript, shown once above the draft. It
# goes in the session, which only the server writes: in the address (?notice=) a link could make the page
# say anything in Ruam's alert box.
NOTICE = "draft_notice"


# What was sent, confirmed once beside its clause, whether the page came back by a redirect or through htmx.
SENT = "draft_sent"
SENT_KINDS = ("comment", "amendment")


def _back(request: Request, draft_id: uuid.UUID, clause_id: uuid.UUID, notice: str | None = None) -> str:
    if notice:
        request.session[NOTICE] = [str(draft_id), notice]
    return f"/drafts/{draft_id}#clause-{clause_id}"


def _sent(request: Request, draft_id: uuid.UUID) -> tuple[str, str] | None:
    """(clause id, what was sent) to confirm on this draft's page, once."""
    kept = request.session.get(SENT)
    if not kept or kept[0] != str(draft_id):
        return None
    del request.session[SENT]
    return str(kept[1]), str(kept[2])


def _notice(request: Request, draft_id: uuid.UUID) -> str | None:
    kept = request.session.get(NOTICE)
    if not kept or kept[0] != str(draft_id):
        return None
    del request.session[NOTICE]
    return str(kept[1])


async def comment(request: Request) -> Response:
    form = await checked_form(request)
    values = {"stance": str(form.get("stance", "")), "body": str(form.get("body", ""))}
    return await _act(request, "comment", values, lambda session, me, clause: deliberation.post_comment(
        session, me, clause_id=clause.id, stance=values["stance"], body=values["body"],
        parent_id=ident(form, "parent_id")))


async def amend(request: Request) -> Response:
    form = await checked_form(request)
    values = {"text": str(form.get("text", "")), "rationale": str(form.get("rationale", ""))}
    return await _act(request, "amendment", values, lambda session, me, clause: drafts.propose_amendment(
        session, me, clause.id, text=values["text"], rationale=values["rationale"]))


async def _act(request: Request, kind: str, values: dict[str, str],
               action: Callable[[AsyncSession, Participant, Clause], Awaitable[object]]) -> Response:
    """Runs `action` on the clause. Sent: back to the clause, which says so. Refused: the draft page again, with
    why inside the clause's form and everything typed still in it."""
    clause_id = path_uuid(request, "clause_id", "clause")
    sessions = request.app.state.runtime.sessions
    async with sessions() as reader:
        clause = await reader.get(Clause, clause_id)
    if clause is None:
        raise NotFound("clause", clause_id)
    try:
        async with unit_of_work(sessions) as session:
            me = await signed_in(request, session)
            if me is None:
                raise NotPermitted(SIGN_IN)
            await action(session, me, clause)
    except DomainError as error:
        async with unit_of_work(sessions) as session:
            context = await _draft_context(request, session, clause.draft_id)
        fields = error.field_messages(locale.get()) if isinstance(error, ValidationError) else {}
        context["failed"] = {"clause_id": clause_id, "kind": kind, "message": _words(error), "fields": fields,
                             "values": values}
        response = render(request, "draft.html", context, status_code=status_of(error))
        response.headers["HX-Push-Url"] = "false"  # the page shown is the draft's; its address stays
        return response
    request.session[SENT] = [str(clause.draft_id), str(clause_id), kind]
    return redirect(request, _back(request, clause.draft_id, clause_id))


def _words(error: DomainError) -> str:
    """The draft page has no field to put a message beside: each field's message, in a line."""
    if isinstance(error, ValidationError):
        return " ".join(error.field_messages(locale.get()).values())
    return error.message(locale.get())


SIGN_IN = N_("Please sign in first.")
