"""Follow-up on a published proposal: what each agency took on, every update with its evidence, and
what members say was delivered. Recording and updating answer with the clause's block for htmx, a
303 without JavaScript, or the page again with each field's message."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from server.commitments import service
from server.commitments.models import Commitment
from server.commitments.queries import board
from server.commitments.rules import TRANSITIONS
from server.database import unit_of_work
from server.drafts.models import Clause
from server.errors import NotFound, ValidationError
from server.i18n import N_
from web.csrf import checked_form
from web.forms import ident, path_uuid
from web.htmx import redirect
from web.templating import locale, render
from web.views.facilitate.common import Facilitating, facilitating, fragment, is_htmx, refused

FIELDS = ("agency", "owner", "due_date", "status", "note", "evidence_url")
NOT_A_DATE = N_("Enter a date, e.g. 2027-03-31.")


async def _context(session: AsyncSession, f: Facilitating, *, failed: dict[str, Any] | None = None,
                   notice: str | None = None) -> dict[str, Any]:
    return {"round": f.round, "tool": "commitments", "board": await board(session, f.round),
            "failed": failed or {}, "notice": notice, "transitions": TRANSITIONS}


async def commitments_page(request: Request) -> Response:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        f = await facilitating(request, session)
        context = await _context(session, f, notice=request.query_params.get("done"))
    return render(request, "facilitate/commitments.html", context,
                  block=fragment(request, "board") if context["board"] else None)


def _values(form: FormData) -> dict[str, str]:
    return {name: str(form.get(name, "")).strip() for name in FIELDS}


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise ValidationError({"due_date": (NOT_A_DATE, {})}) from None


async def record(request: Request) -> Response:
    form = await checked_form(request)
    values = _values(form)
    clause_id = None
    errors: dict[str, str] = {}
    try:
        clause_id = ident(form, "clause_id")
        async with unit_of_work(request.app.state.runtime.sessions) as session:
            f = await facilitating(request, session)
            clause = await session.get(Clause, clause_id) if clause_id else None
            if clause is None or clause.round_id != f.round.id:
                raise NotFound("clause", clause_id)
            await service.record_commitment(
                session, f.me, clause.id, agency=values["agency"], owner=values["owner"],
                due_date=_date(values["due_date"]), status=values["status"] or "pending", note=values["note"],
                evidence_url=values["evidence_url"])
    except ValidationError as error:
        errors = error.field_messages(locale.get())
    return await _answer(request, clause_id, f"new-{clause_id}", errors, values)


async def update(request: Request) -> Response:
    form = await checked_form(request)
    values = _values(form)
    commitment_id = path_uuid(request, "commitment_id", "commitment")
    errors: dict[str, str] = {}
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        f = await facilitating(request, session)
        commitment = await session.get(Commitment, commitment_id)
        if commitment is None or commitment.round_id != f.round.id:
            raise NotFound("commitment", commitment_id)
        clause_id = commitment.clause_id
    try:
        async with unit_of_work(request.app.state.runtime.sessions) as session:
            f = await facilitating(request, session)
            await service.update_commitment(
                session, f.me, commitment_id, status=values["status"] or None, due_date=_date(values["due_date"]),
                note=values["note"], evidence_url=values["evidence_url"])
    except ValidationError as error:
        errors = error.field_messages(locale.get())
    return await _answer(request, clause_id, str(commitment_id), errors, values)


async def _answer(request: Request, clause_id: uuid.UUID | None, target: str, errors: dict[str, str],
                  values: dict[str, str]) -> Response:
    if not errors and not is_htmx(request):
        return redirect(request, f"/facilitate/{request.path_params['slug']}/commitments?done=saved#clause-{clause_id}")
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        f = await facilitating(request, session)
        failed = {"target": target, "errors": errors, "values": values} if errors else None
        context = await _context(session, f, failed=failed)
    item = context["board"].clause(str(clause_id)) if context["board"] and clause_id else None
    if is_htmx(request) and item is not None:
        return render(request, "facilitate/_commitment_clause.html", {**context, "item": item, "saved": not errors})
    return render(request, "facilitate/commitments.html", context, status_code=refused(request) if errors else 200)
