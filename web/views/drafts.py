"""Reading drafts clause by clause; one-tap votes, comments with a stance, amendments."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
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
from web.forms import ident, path_uuid
from web.htmx import redirect
from web.icons import VOTES
from web.session import signed_in
from web.templating import locale, render


async def draft_list(request: Request) -> Response:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        round_ = await find_round(session, request.path_params["slug"])
        await signed_in(request, session)
        listed = await drafts_of_round(session, round_.id)
    return render(request, "drafts.html", {"round": round_, "drafts": listed})


async def draft_page(request: Request) -> Response:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        me = await signed_in(request, session)
        view = await read_draft(session, path_uuid(request, "draft_id", "draft"), me.id if me else None)
        round_ = await find_round(session, str(view.draft.round_id))
    return render(request, "draft.html", {"round": round_, "view": view, "icons": VOTES,
                                          "notice": _notice(request, view.draft.id)})


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


def _back(request: Request, draft_id: uuid.UUID, clause_id: uuid.UUID, notice: str | None = None) -> str:
    if notice:
        request.session[NOTICE] = [str(draft_id), notice]
    return f"/drafts/{draft_id}#clause-{clause_id}"


def _notice(request: Request, draft_id: uuid.UUID) -> str | None:
    kept = request.session.get(NOTICE)
    if not kept or kept[0] != str(draft_id):
        return None
    del request.session[NOTICE]
    return str(kept[1])


async def comment(request: Request) -> Response:
    form = await checked_form(request)
    return await _act(request, form, lambda session, me, clause: deliberation.post_comment(
        session, me, clause_id=clause.id, stance=str(form.get("stance", "")), body=str(form.get("body", "")),
        parent_id=ident(form, "parent_id")))


async def amend(request: Request) -> Response:
    form = await checked_form(request)
    return await _act(request, form, lambda session, me, clause: drafts.propose_amendment(
        session, me, clause.id, text=str(form.get("text", "")), rationale=str(form.get("rationale", ""))))


async def _act(request: Request, form: FormData,
               action: Callable[[AsyncSession, Participant, Clause], Awaitable[object]]) -> Response:
    """Runs `action` on the clause; what went wrong is shown above the clause, what went right is there."""
    clause_id = path_uuid(request, "clause_id", "clause")
    async with request.app.state.runtime.sessions() as reader:
        clause = await reader.get(Clause, clause_id)
    if clause is None:
        raise NotFound("clause", clause_id)
    try:
        async with unit_of_work(request.app.state.runtime.sessions) as session:
            me = await signed_in(request, session)
            if me is None:
                raise NotPermitted(SIGN_IN)
            await action(session, me, clause)
    except DomainError as error:
        return redirect(request, _back(request, clause.draft_id, clause_id, _words(error)))
    return redirect(request, _back(request, clause.draft_id, clause_id))


def _words(error: DomainError) -> str:
    """The draft page has no field to put a message beside: each field's message, in a line."""
    if isinstance(error, ValidationError):
        return " ".join(error.field_messages(locale.get()).values())
    return error.message(locale.get())


SIGN_IN = N_("Please sign in first.")
