"""Writing drafts in the browser: a round's drafts and a new one, then each draft's clauses written,
changed, moved and withdrawn. Every form is a plain POST answered with a 303 back to the draft (or the
page again at 422, with what to correct beside the form and everything typed kept); htmx only boosts.
Who may do each thing is the services' to say (drafts/authoring.py, the round's phases)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from server.database import unit_of_work
from server.drafts import authoring, rules
from server.drafts import service as drafts
from server.drafts.models import Clause, Draft
from server.drafts.queries import author_organisations
from server.drafts.reading import drafts_of_round
from server.drafts.workbench import workbench
from server.errors import DomainError, NotFound, NotPermitted, ValidationError
from server.i18n import N_
from server.people.models import Participant
from server.rounds import phases
from server.rounds.access import Standing, standing
from server.rounds.models import Round
from server.rounds.service import find_round
from web.csrf import checked_form
from web.forms import ident, path_uuid
from web.htmx import redirect
from web.templating import locale, render
from web.views.facilitate.common import facilitator, refused

NOT_A_DRAFTER = N_("Only the people who write this round's drafts can open this page.")
# what the draft page says after a change (?done=): fixed words, so a link cannot make it say anything else
DONE = {
    "created": N_("The draft is made. Now write its clauses."),
    "added": N_("The clause is added."),
    "edited": N_("The clause is changed."),
    "revised": N_("The change is saved as a new version of the clause. People who voted are asked to vote again."),
    "moved": N_("The clause is moved."),
    "withdrawn": N_("The clause is taken out."),
    "linked": N_("The needs are linked."),
    "unlinked": N_("The needs are no longer linked."),
}
Failed = dict[str, dict[str, str]]  # a form's key (a clause id, "new") -> field -> message


@dataclass(frozen=True)
class Drafting:
    me: Participant
    round: Round
    standing: Standing


async def drafting(request: Request, session: AsyncSession) -> Drafting:
    """The signed-in person and the round in the path, if the round's phases ever let them draft."""
    me = await facilitator(request, session)
    round_ = await find_round(session, request.path_params["slug"])
    mine = await standing(session, round_.id, me)
    if not rules.may_draft(phases.load(round_.phases), mine.role):
        raise NotPermitted(NOT_A_DRAFTER)
    return Drafting(me, round_, mine)


async def draft_of(session: AsyncSession, d: Drafting, draft_id: uuid.UUID) -> Draft:
    draft = await session.get(Draft, draft_id)
    if draft is None or draft.round_id != d.round.id:
        raise NotFound("draft", draft_id)
    return draft


async def clause_of(session: AsyncSession, draft: Draft, clause_id: uuid.UUID) -> Clause:
    clause = await session.get(Clause, clause_id)
    if clause is None or clause.draft_id != draft.id:
        raise NotFound("clause", clause_id)
    return clause


def words(error: DomainError) -> dict[str, str]:
    """A refusal as messages by field; one that is about no field goes under "form"."""
    if isinstance(error, ValidationError):
        return error.field_messages(locale.get())
    return {"form": error.message(locale.get())}


# --- the round's drafts, and a new one


async def _list_context(session: AsyncSession, d: Drafting, *, errors: dict[str, str] | None = None,
                        values: dict[str, str] | None = None) -> dict[str, Any]:
    organisations = await author_organisations(session)
    own = d.me.organisation_id if d.me.organisation_id in {o.id for o in organisations} else None
    return {"round": d.round, "tool": "drafts", "drafts": await drafts_of_round(session, d.round.id),
            "organisations": organisations, "errors": errors or {},
            "values": values or {"organisation_id": str(own or "")}}


async def drafts_page(request: Request) -> Response:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        context = await _list_context(session, await drafting(request, session))
    return render(request, "facilitate/drafts.html", context)


async def create(request: Request) -> Response:
    form = await checked_form(request)
    values = {name: str(form.get(name, "")).strip() for name in ("title", "summary", "organisation_id")}
    try:
        async with unit_of_work(request.app.state.runtime.sessions) as session:
            d = await drafting(request, session)
            draft = await drafts.create_draft(session, d.me, d.round.id, title=values["title"],
                                              summary=values["summary"],
                                              organisation_id=ident(form, "organisation_id"))
        return redirect(request, f"/facilitate/{d.round.slug}/drafts/{draft.id}?done=created")
    except DomainError as error:
        if isinstance(error, NotPermitted | NotFound):
            raise
        async with unit_of_work(request.app.state.runtime.sessions) as session:
            context = await _list_context(session, await drafting(request, session), errors=words(error),
                                          values=values)
        return render(request, "facilitate/drafts.html", context, status_code=refused(request))


# --- one draft and its clauses


async def _draft_context(session: AsyncSession, d: Drafting, draft_id: uuid.UUID, *, done: str | None = None,
                         failed: Failed | None = None, typed: dict[str, str] | None = None) -> dict[str, Any]:
    return {"round": d.round, "tool": "drafts", "work": await workbench(session, draft_id, d.round.id),
            "done": DONE.get(done or ""), "failed": failed or {}, "typed": typed or {}}


async def draft_page(request: Request) -> Response:
    draft_id = path_uuid(request, "draft_id", "draft")
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        context = await _draft_context(session, await drafting(request, session), draft_id,
                                       done=request.query_params.get("done"))
    return render(request, "facilitate/draft.html", context)


Change = Callable[[AsyncSession, Participant, Draft, FormData], Awaitable[tuple[str, uuid.UUID]]]


async def _change(request: Request, key: str, change: Change) -> Response:
    """Runs `change` (which answers what was done and the clause to show); then back to the draft, or the
    draft again with the refusal beside the form `key` and its text as typed."""
    form = await checked_form(request)
    draft_id = path_uuid(request, "draft_id", "draft")
    try:
        async with unit_of_work(request.app.state.runtime.sessions) as session:
            d = await drafting(request, session)
            done, clause_id = await change(session, d.me, await draft_of(session, d, draft_id), form)
        return redirect(request, f"/facilitate/{d.round.slug}/drafts/{draft_id}?done={done}#clause-{clause_id}")
    except DomainError as error:
        if isinstance(error, NotPermitted | NotFound):
            raise
        failed = {key: words(error)}
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        context = await _draft_context(session, await drafting(request, session), draft_id, failed=failed,
                                       typed={key: str(form.get("text", ""))})
    return render(request, "facilitate/draft.html", context, status_code=refused(request))


async def add_clause(request: Request) -> Response:
    async def change(session: AsyncSession, me: Participant, draft: Draft, form: FormData) -> tuple[str, uuid.UUID]:
        clause = await drafts.add_clause(session, me, draft.id, text=str(form.get("text", "")))
        return "added", clause.id

    return await _change(request, "new", change)


def _clause_change(act: Callable[[AsyncSession, Participant, Clause, FormData], Awaitable[tuple[str, Clause]]]
                   ) -> Callable[[Request], Awaitable[Response]]:
    async def view(request: Request) -> Response:
        clause_id = path_uuid(request, "clause_id", "clause")

        async def change(session: AsyncSession, me: Participant, draft: Draft, form: FormData
                         ) -> tuple[str, uuid.UUID]:
            done, clause = await act(session, me, await clause_of(session, draft, clause_id), form)
            return done, clause.id

        return await _change(request, str(clause_id), change)

    return view


async def _edit(session: AsyncSession, me: Participant, clause: Clause, form: FormData) -> tuple[str, Clause]:
    changed = await authoring.edit_clause(session, me, clause.id, text=str(form.get("text", "")))
    return ("revised" if changed.id != clause.id else "edited"), changed


async def _move(session: AsyncSession, me: Participant, clause: Clause, form: FormData) -> tuple[str, Clause]:
    return "moved", await authoring.move_clause(session, me, clause.id, str(form.get("direction", "")))


async def _withdraw(session: AsyncSession, me: Participant, clause: Clause, form: FormData) -> tuple[str, Clause]:
    return "withdrawn", await authoring.withdraw_clause(session, me, clause.id)


edit_clause = _clause_change(_edit)
move_clause = _clause_change(_move)
withdraw_clause = _clause_change(_withdraw)
