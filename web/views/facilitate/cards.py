"""A new re-entry card for a member, made by a facilitator at a meeting (a lost phone, a lost card).

The plain code exists only in this answer, as on the invitation sheet: print it or hand the phone over now.
Who may do it is server/auth/cards.py's to say (a facilitator of one of the person's rounds).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from server.auth import cards
from server.database import unit_of_work
from web.cards import shown
from web.csrf import checked_form
from web.forms import path_uuid
from web.templating import render
from web.views.facilitate.common import facilitating


async def reissue_card(request: Request) -> Response:
    await checked_form(request)
    participant_id = path_uuid(request, "participant_id", "participant")
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        f = await facilitating(request, session)
        person, plain = await cards.reissue(session, f.me, participant_id)
    return render(request, "facilitate/card.html", {"round": f.round, "tool": "proxy",
                                                    "card": shown(request, person, plain)})
