"""The root page: what Ruam is and the rounds on this instance."""

from __future__ import annotations

from sqlalchemy import func, select
from starlette.requests import Request
from starlette.responses import Response

from server.consolidation.outcome import rounds_with_outcome
from server.database import unit_of_work
from server.rounds.models import Membership, Round, StakeholderGroup
from server.rounds.phases import PHASE_NAMES
from server.rounds.queries import memberships_with_rounds
from web.session import signed_in
from web.templating import render


async def home(request: Request) -> Response:
    runtime = request.app.state.runtime
    async with unit_of_work(runtime.sessions) as session:
        me = await signed_in(request, session)
        mine = await memberships_with_rounds(session, me.id) if me else []
        members = (
            select(Membership.round_id, func.count().label("members"))
            .where(Membership.group_id.is_not(None))
            .group_by(Membership.round_id)
            .subquery()
        )
        groups = (
            select(StakeholderGroup.round_id, func.count().label("groups"))
            .group_by(StakeholderGroup.round_id)
            .subquery()
        )
        rows = (
            await session.execute(
                select(Round, func.coalesce(members.c.members, 0), func.coalesce(groups.c.groups, 0))
                .outerjoin(members, members.c.round_id == Round.id)
                .outerjoin(groups, groups.c.round_id == Round.id)
                .order_by(Round.created_at, Round.id)
            )
        ).all()
        outcomes = await rounds_with_outcome(session, [round_.id for round_, _, _ in rows])
    return render(request, "home.html", {"rounds": rows, "phase_names": PHASE_NAMES, "outcomes": outcomes,
                                         "my_rounds": mine},
                  block="round_list")
