"""Shaping a round after it is made: its phases (names, order, what each opens to whom, dates) and its
groups. Two plain forms; every rule is the services' (server/rounds/setup.py), this only reads forms."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from server.config import LOCALES
from server.database import unit_of_work
from server.errors import Invalid, NotPermitted, ValidationError
from server.i18n import N_, translate
from server.rounds import phases
from server.rounds import setup as round_setup
from server.rounds.live import member_counts
from server.rounds.service import GroupSpec, groups_of
from web.csrf import checked_form
from web.forms import whole
from web.htmx import redirect
from web.templating import locale, render
from web.views.facilitate.common import (
    Facilitating,
    facilitating,
    field_value,
    fragment,
    is_htmx,
    local_time,
    refused,
)

BAD_TIME = N_("Enter a date and time, e.g. 2026-11-25 09:00.")
_NOT_A_KEY = re.compile(r"[^a-z0-9]+")


def _phase_rows(f: Facilitating) -> list[dict[str, Any]]:
    """The round's phases as the form shows them; `state` says whether each ran, runs now or is to come."""
    loaded = phases.load(f.round.phases)
    now = next((i for i, p in enumerate(loaded) if p.key == f.round.current_phase), 0)
    return [{"key": p.key, "th": p.title("th"), "en": p.title("en"), "starts_at": field_value(p.starts_at),
             "ends_at": field_value(p.ends_at), "opens": {f"{a}:{r}" for a, roles in p.opens.items() for r in roles},
             "remove": False, "state": "ran" if i < now else "now" if i == now else "next"}
            for i, p in enumerate(loaded)]


def _typed_phases(form: FormData, f: Facilitating) -> list[dict[str, Any]]:
    """The phases as typed, in the order asked for (a move button moves one up or down)."""
    states = {row["key"]: row["state"] for row in _phase_rows(f)}
    rows = []
    for i in range(min(whole(form, "count", 0), 60)):
        key = str(form.get(f"phase-{i}-key", "")).strip()
        rows.append({"key": key, "th": str(form.get(f"phase-{i}-th", "")).strip(),
                     "en": str(form.get(f"phase-{i}-en", "")).strip(),
                     "starts_at": str(form.get(f"phase-{i}-starts_at", "")).strip(),
                     "ends_at": str(form.get(f"phase-{i}-ends_at", "")).strip(),
                     "opens": {str(v) for v in form.getlist(f"phase-{i}-opens")},
                     "remove": bool(form.get(f"phase-{i}-remove")), "state": states.get(key, "next")})
    added = {name: str(form.get(f"new-{name}", "")).strip() for name in ("th", "en")}
    if added["th"] or added["en"]:
        rows.append({"key": _new_key(added["en"] or added["th"], {r["key"] for r in rows}), **added,
                     "starts_at": "", "ends_at": "", "opens": set(), "remove": False, "state": "next"})
    direction, _, index = str(form.get("move", "")).partition(":")
    if index.isdecimal() and int(index) < len(rows):
        i = int(index)
        j = i - 1 if direction == "up" else i + 1
        if 0 <= j < len(rows):
            rows[i], rows[j] = rows[j], rows[i]
    return rows


def _new_key(name: str, taken: set[str]) -> str:
    """A key for a new phase, from its name when that is in Latin letters (site_visit), else phase_2..."""
    base = _NOT_A_KEY.sub("_", name.lower()).strip("_")[:30] or "phase"
    key, n = base, 2
    while key in taken or key in phases.PHASE_NAMES:
        key, n = f"{base}_{n}", n + 1
    return key


def _names(row: dict[str, Any]) -> dict[str, str]:
    """The names the facilitator gave: those that are not the phase's usual name."""
    usual = phases.PHASE_NAMES.get(row["key"])
    return {loc: row[loc] for loc in LOCALES
            if row[loc] and (usual is None or row[loc] != translate(usual, loc))}


def _phase_of(row: dict[str, Any], invalid: Invalid) -> phases.Phase:
    opens: dict[str, set[str]] = {}
    for pair in row["opens"]:
        action, _, role = pair.partition(":")
        opens.setdefault(action, set()).add(role)
    try:
        starts, ends = local_time(row["starts_at"]), local_time(row["ends_at"])
    except ValueError:
        invalid.add(f"phase.{row['key']}", BAD_TIME)
        starts = ends = None
    return phases.Phase(row["key"], {a: frozenset(r) for a, r in opens.items()}, starts, ends, _names(row))


async def _context(session: AsyncSession, f: Facilitating, *, phase_rows: list[dict[str, Any]] | None = None,
                   group_rows: list[dict[str, Any]] | None = None, errors: dict[str, str] | None = None,
                   notice: str | None = None) -> dict[str, Any]:
    groups = await groups_of(session, f.round.id)
    counts = await member_counts(session, f.round.id)
    if group_rows is None:
        group_rows = [{"key": g.key, "th": g.name.get("th", ""), "en": g.name.get("en", ""), "quorum": g.quorum,
                       "remove": False, "members": counts.get(g.id, 0)} for g in groups]
        group_rows.append(_empty_group())
    else:  # typed again after a refusal: who is in each group now, for what may be removed
        by_key = {g.key: counts.get(g.id, 0) for g in groups}
        group_rows = [{**row, "members": by_key.get(row["key"], 0)} for row in group_rows]
    return {"round": f.round, "tool": "setup", "phase_rows": phase_rows or _phase_rows(f),
            "group_rows": group_rows, "groups_fixed": await round_setup.groups_fixed(session, f.round),
            "groups_fixed_reason": round_setup.GROUPS_FIXED, "actions": phases.ACTIONS, "roles": phases.ROUND_ROLES,
            "role_names": phases.ROLE_NAMES, "errors": errors or {}, "notice": notice, "failed": None}


def _empty_group() -> dict[str, Any]:
    return {"key": "", "th": "", "en": "", "quorum": 3, "remove": False, "members": 0, "new": True}


async def setup_page(request: Request) -> Response:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        f = await facilitating(request, session)
        context = await _context(session, f, notice=request.query_params.get("done"))
    return render(request, "facilitate/setup.html", context)


async def save_phases(request: Request) -> Response:
    form = await checked_form(request)
    sessions = request.app.state.runtime.sessions
    rows: list[dict[str, Any]] = []
    errors: dict[str, str] = {}
    try:
        async with unit_of_work(sessions) as session:
            f = await facilitating(request, session)
            rows = _typed_phases(form, f)
            invalid = Invalid()
            edited = [_phase_of(row, invalid) for row in rows if not row["remove"]]
            invalid.raise_if_any()
            await round_setup.edit_phases(session, f.me, f.round.id, edited)
    except ValidationError as error:
        errors = error.field_messages(locale.get())
    return await _answer(request, "phase_editor", "phases", phase_rows=rows if errors else None, errors=errors)


async def save_groups(request: Request) -> Response:
    form = await checked_form(request)
    sessions = request.app.state.runtime.sessions
    rows: list[dict[str, Any]] = [{"key": str(form.get(f"group-{i}-key", "")).strip(), "th": str(form.get(f"group-{i}-th", "")).strip(),
             "en": str(form.get(f"group-{i}-en", "")).strip(), "quorum": whole(form, f"group-{i}-quorum", 3),
             "remove": bool(form.get(f"group-{i}-remove")), "members": 0, "new": bool(form.get(f"group-{i}-new"))}
            for i in range(min(whole(form, "count", 0), 200))]
    errors: dict[str, str] = {}
    try:
        async with unit_of_work(sessions) as session:
            f = await facilitating(request, session)
            kept = [r for r in rows if not r["remove"] and (r["key"] or r["th"] or r["en"])]
            await round_setup.edit_groups(session, f.me, f.round.id, [
                GroupSpec(r["key"], {loc: r[loc] for loc in LOCALES if r[loc]}, quorum=r["quorum"]) for r in kept])
    except ValidationError as error:
        errors = error.field_messages(locale.get())
    except NotPermitted as error:
        if error.template != round_setup.GROUPS_FIXED:
            raise
        errors = {"groups": error.message(locale.get())}
    return await _answer(request, "group_editor", "groups", group_rows=rows if errors else None, errors=errors)


async def _answer(request: Request, block: str, part: str, *, errors: dict[str, str],
                  phase_rows: list[dict[str, Any]] | None = None,
                  group_rows: list[dict[str, Any]] | None = None) -> Response:
    """The form again with what to correct (422, keeping what was typed), its part of the page for htmx,
    or a 303 back to the page."""
    if not errors and not is_htmx(request):
        return redirect(request, f"/facilitate/{request.path_params['slug']}/setup?done={part}#{part}")
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        f = await facilitating(request, session)
        context = await _context(session, f, phase_rows=phase_rows, group_rows=group_rows, errors=errors,
                                 notice=None if errors else part)
    context["failed"] = part if errors else None
    return render(request, "facilitate/setup.html", context, block=fragment(request, block),
                  status_code=refused(request) if errors else 200)

