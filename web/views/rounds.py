"""A round's home: what it is about, its phase, what the reader can do now, and until when."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from server.commitments.queries import round_views
from server.database import unit_of_work
from server.people.models import Participant
from server.rounds import phases
from server.rounds.access import standing
from server.rounds.models import Round
from server.rounds.service import find_round, groups_of
from web.forms import query_uuid
from web.session import signed_in
from web.templating import render


async def home_context(session: AsyncSession, round_: Round, me: Participant | None) -> dict[str, Any]:
    groups = await groups_of(session, round_.id)
    phase = next(p for p in phases.load(round_.phases) if p.key == round_.current_phase)
    mine = await standing(session, round_.id, me) if me else None
    role = mine.role if mine else None
    member = mine.membership if mine else None
    my_group = next((g for g in groups if member and g.id == member.group_id), None)
    checks = member is not None and role is not None  # a withdrawn member reads, and checks nothing
    open_now = [action for action in phases.ACTIONS if role and phase.allows(action, role)]
    return {
        "round": round_, "phase": phase, "phase_name": phases.PHASE_NAMES.get(phase.key, phase.key),
        "groups": groups, "my_group": my_group, "open_now": open_now, "action_names": phases.ACTIONS,
        "role": role, "may_check": checks,
        # members check delivery here too: not every commitment answers a need of their own
        "commitments": await round_views(session, round_.id, me.id if me and checks else None),
    }


async def round_home(request: Request) -> Response:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        round_ = await find_round(session, request.path_params["slug"])
        context = await home_context(session, round_, await signed_in(request, session))
    context["check_saved"] = query_uuid(request.query_params.get("checked"))
    return render(request, "round.html", context, block="phase_box")
