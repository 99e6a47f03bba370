"""A round's home: what it is about, its phase, what the reader can do now, and until when; for a member, what
is new since their last visit (and all of it on a page of its own)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.commitments.follow_up import late_for_member
from server.commitments.queries import round_views
from server.commitments.rules import FLAG_NAMES
from server.database import unit_of_work
from server.people.models import Participant
from server.rounds import phases
from server.rounds.access import refusal, standing
from server.rounds.models import Round
from server.rounds.service import find_round, groups_of
from server.visits.news import News, audience_of, news_since
from server.visits.service import last_visit, visited
from web.forms import query_uuid
from web.icons import NEWS_ICONS
from web.openings import closed_now
from web.session import signed_in
from web.templating import locale, render
from web.views import push


async def home_context(session: AsyncSession, round_: Round, me: Participant | None) -> dict[str, Any]:
    groups = await groups_of(session, round_.id)
    phase = next(p for p in phases.load(round_.phases) if p.key == round_.current_phase)
    mine = await standing(session, round_.id, me) if me else None
    role = mine.role if mine else None
    member = mine.membership if mine else None
    my_group = next((g for g in groups if member and g.id == member.group_id), None)
    checks = member is not None and role is not None  # a withdrawn member reads, and checks nothing
    open_now = [action for action in phases.ACTIONS if mine is not None and refusal(mine, action) is None]
    return {
        "round": round_, "phase": phase, "phase_name": phase.title(locale.get()),
        "groups": groups, "my_group": my_group, "open_now": open_now, "action_names": phases.ACTIONS,
        "role": role, "may_check": checks, "closed": await closed_now(session, round_, me, ("submit_need",)),
        # members check delivery here too: not every commitment answers a need of their own
        "commitments": await round_views(session, round_.id, me.id if me and checks else None),
        **await late_promises(session, round_, me),
    }


async def late_promises(session: AsyncSession, round_: Round, me: Participant | None) -> dict[str, Any]:
    """Promises for the reader's own needs that are late: for members of this round only."""
    late = await late_for_member(session, me, round_.id, datetime.now(UTC)) if me else []
    return {"late": late, "flag_names": FLAG_NAMES}


NEWS_SHOWN = 5  # lines on the round's home; the rest behind "see all"


async def _news(session: AsyncSession, round_: Round, me: Participant | None) -> dict[str, Any]:
    """What is new for a member since their last visit, which this visit now replaces."""
    place = await standing(session, round_.id, me) if me else None
    if me is None or place is None or place.role is None:
        return {}
    since = await visited(session, me.id, round_.id)
    news = await news_since(session, round_.id, audience_of(place), since) if since else []
    return {"news": news, "news_since": since, "news_shown": NEWS_SHOWN, "news_icons": NEWS_ICONS}


async def round_home(request: Request) -> Response:
    # an htmx fragment (the phase box) is not a visit: only the whole page shows what is new
    whole = request.headers.get("hx-request") != "true" or request.headers.get("hx-boosted") == "true"
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        round_ = await find_round(session, request.path_params["slug"])
        me = await signed_in(request, session)
        context = await home_context(session, round_, me)
        if whole:
            context.update(await _news(session, round_, me))
            context.update(await push.offer(request, session, round_.id, me))
    context["check_saved"] = query_uuid(request.query_params.get("checked"))
    return render(request, "round.html", context, block="phase_box")


def _since(text: str | None) -> datetime | None:
    try:
        found = datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
    return found if found is None or found.tzinfo is not None else None


async def whats_new(request: Request) -> Response:
    """Everything new since a moment (the link from the round's home carries the visit it counted from)."""
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        round_ = await find_round(session, request.path_params["slug"])
        me = await signed_in(request, session)
        if me is None:
            return RedirectResponse("/join", status_code=303)
        place = await standing(session, round_.id, me)
        if place.role is None:
            return RedirectResponse(f"/rounds/{round_.slug}", status_code=303)
        since = _since(request.query_params.get("since")) or await last_visit(session, me.id, round_.id)
        news: list[News] = await news_since(session, round_.id, audience_of(place), since) if since else []
    return render(request, "news.html", {"round": round_, "news": news, "news_since": since,
                                         "news_icons": NEWS_ICONS})
