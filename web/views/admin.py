"""The administrators' staff pages: the list, inviting a facilitator or drafter, and one person's account
(their rounds given and taken, a new personal sign-in link, revoking). The rules are the services'
(server/staff/service.py): everyone else gets 403."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from server.database import unit_of_work
from server.errors import ValidationError
from server.i18n import N_
from server.people.models import Participant
from server.staff import queries, service
from server.staff.rules import INVITABLE, LINK_LIFE, STAFF_ORGANISATION_KINDS
from web.csrf import checked_form
from web.forms import ident, path_uuid, query_uuid
from web.htmx import redirect
from web.templating import locale, render
from web.views.facilitate.common import facilitator, refused, signed
from web.views.staff import one_time

NEW = "new"  # the organisation field's value for one typed in the same form
CHOOSE = N_("Choose one of the options.")


def routes() -> list[BaseRoute]:
    return [
        Route("/admin/staff", signed(staff_list), methods=["GET"]),
        Route("/admin/staff/invite", signed(invite_form), methods=["GET"]),
        Route("/admin/staff/invite", signed(invite), methods=["POST"]),
        Route("/admin/staff/{participant_id}", signed(person_page), methods=["GET"]),
        Route("/admin/staff/{participant_id}/revoke", signed(revoke), methods=["POST"]),
        Route("/admin/staff/{participant_id}/sign-in-link", signed(sign_in_link), methods=["POST"]),
        Route("/admin/staff/{participant_id}/rounds", signed(give_round), methods=["POST"]),
        Route("/admin/staff/{participant_id}/rounds/take", signed(take_round), methods=["POST"]),
    ]


async def _admin(request: Request, session: AsyncSession) -> Participant:
    me = await facilitator(request, session)
    queries.require_admin(me)
    return me


async def staff_list(request: Request) -> Response:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        members = await queries.staff_members(session, await facilitator(request, session))
    return render(request, "admin/staff.html", {"members": members, "tool": "staff"})


def _values(form: FormData | None) -> dict[str, Any]:
    if form is None:
        return {"role": "facilitator", "organisation": "", "rounds": [], "organisation_th": "",
                "organisation_en": "", "organisation_kind": "government"}
    return {"role": str(form.get("role", "")), "organisation": str(form.get("organisation", "")),
            "rounds": [str(r) for r in form.getlist("rounds")],
            **{name: str(form.get(name, "")).strip()
               for name in ("organisation_th", "organisation_en", "organisation_kind")}}


async def _invite_page(request: Request, session: AsyncSession, values: dict[str, Any],
                       errors: dict[str, str], status_code: int = 200) -> Response:
    return render(request, "admin/invite.html", {
        "values": values, "errors": errors, "roles": INVITABLE, "kinds": STAFF_ORGANISATION_KINDS,
        "organisations": await queries.staff_organisations(session), "rounds": await queries.all_rounds(session),
        "tool": "staff", "days": LINK_LIFE.days}, status_code=status_code)


async def invite_form(request: Request) -> Response:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        await _admin(request, session)
        return await _invite_page(request, session, _values(None), {})


def _round_ids(values: dict[str, Any]) -> list[uuid.UUID]:
    ids = [query_uuid(r) for r in values["rounds"]]
    if None in ids:
        raise ValidationError({"rounds": (CHOOSE, {})})
    return [i for i in ids if i is not None]


async def invite(request: Request) -> Response:
    form = await checked_form(request)
    values = _values(form)
    sessions = request.app.state.runtime.sessions
    try:
        async with unit_of_work(sessions) as session:
            me = await _admin(request, session)
            new = values["organisation"] == NEW
            link, plain = await service.invite(
                session, me, role=values["role"], round_ids=_round_ids(values),
                organisation_id=None if new else ident(form, "organisation"),
                new_organisation=service.NewOrganisation(values["organisation_th"], values["organisation_en"],
                                                         values["organisation_kind"]) if new else None)
            organisation, rounds = await queries.invitation_details(session, link)
    except ValidationError as error:
        async with unit_of_work(sessions) as session:
            return await _invite_page(request, session, values, error.field_messages(locale.get()),
                                      status_code=refused(request))
    public_url = request.app.state.runtime.settings.public_url
    return render(request, "admin/link.html", {
        "purpose": "invitation", "link": one_time(f"{public_url}/staff/invite/{plain}"), "role": link.role,
        "organisation": organisation, "rounds": rounds, "days": LINK_LIFE.days, "tool": "staff"})


async def _person_page(request: Request, session: AsyncSession, me: Participant, errors: dict[str, str] | None = None,
                       status_code: int = 200) -> Response:
    member = await queries.staff_member(session, me, path_uuid(request, "participant_id", "staff member"))
    given = {r.id for r in member.rounds}
    others = [r for r in await queries.all_rounds(session) if r.id not in given]
    return render(request, "admin/person.html", {
        "member": member, "others": others, "errors": errors or {}, "done": request.query_params.get("done"),
        "is_me": member.person.id == me.id, "tool": "staff"}, status_code=status_code)


async def person_page(request: Request) -> Response:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        return await _person_page(request, session, await facilitator(request, session))


async def _change(request: Request, done: str, change: Any) -> Response:
    """Runs `change(session, me, person_id, form)`, then back to the person's page (a 303, or the page with
    what to correct)."""
    form = await checked_form(request)
    sessions = request.app.state.runtime.sessions
    person_id = path_uuid(request, "participant_id", "staff member")
    try:
        async with unit_of_work(sessions) as session:
            await change(session, await facilitator(request, session), person_id, form)
    except ValidationError as error:
        async with unit_of_work(sessions) as session:
            return await _person_page(request, session, await facilitator(request, session),
                                      error.field_messages(locale.get()), status_code=refused(request))
    return redirect(request, f"/admin/staff/{person_id}?done={done}")


async def revoke(request: Request) -> Response:
    async def change(session: AsyncSession, me: Participant, person_id: uuid.UUID, form: FormData) -> None:
        await service.revoke(session, me, person_id)
    return await _change(request, "revoked", change)


async def give_round(request: Request) -> Response:
    async def change(session: AsyncSession, me: Participant, person_id: uuid.UUID, form: FormData) -> None:
        round_id = ident(form, "round")
        if round_id is None:
            raise ValidationError({"round": (CHOOSE, {})})
        await service.give_round(session, me, person_id, round_id)
    return await _change(request, "given", change)


async def take_round(request: Request) -> Response:
    async def change(session: AsyncSession, me: Participant, person_id: uuid.UUID, form: FormData) -> None:
        round_id = ident(form, "round")
        if round_id is None:
            raise ValidationError({"round": (CHOOSE, {})})
        await service.take_round(session, me, person_id, round_id)
    return await _change(request, "taken", change)


async def sign_in_link(request: Request) -> Response:
    await checked_form(request)
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        me = await facilitator(request, session)
        _, plain = await service.issue_sign_in_link(session, me, path_uuid(request, "participant_id", "staff member"))
        member = await queries.staff_member(session, me, path_uuid(request, "participant_id", "staff member"))
    public_url = request.app.state.runtime.settings.public_url
    return render(request, "admin/link.html", {
        "purpose": "sign_in", "link": one_time(f"{public_url}/staff/link/{plain}"), "member": member,
        "days": LINK_LIFE.days, "tool": "staff"})
