"""A member's own check of a commitment's delivery, from "My input" or the round's home.

With htmx only the commitment's card comes back; without JavaScript a 303 to the page the form
was on, or that page again with the message beside the form.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.commitments.models import Commitment
from server.commitments.queries import views_of
from server.commitments.service import check_commitment
from server.database import unit_of_work
from server.errors import NotFound, NotPermitted, ValidationError
from server.i18n import N_
from server.people.my_input import my_input
from server.rounds.models import Round
from web.csrf import checked_form
from web.forms import path_uuid
from web.htmx import redirect
from web.icons import VOTES
from web.session import signed_in
from web.templating import locale, render
from web.views.rounds import home_context

SIGN_IN = N_("Please sign in first.")


async def check(request: Request) -> Response:
    form = await checked_form(request)
    commitment_id = path_uuid(request, "commitment_id", "commitment")
    back = "round" if form.get("back") == "round" else "mine"
    sessions = request.app.state.runtime.sessions
    wants_fragment = request.headers.get("hx-request") == "true"
    error = None
    try:
        async with unit_of_work(sessions) as session:
            me = await signed_in(request, session)
            if me is None:
                if not wants_fragment:
                    return RedirectResponse("/join", status_code=303)
                raise NotPermitted(SIGN_IN)
            await check_commitment(session, me, commitment_id, answer=str(form.get("answer", "")),
                                   comment=str(form.get("comment", "")))
    except ValidationError as failure:
        error = " ".join(failure.field_messages(locale.get()).values())
    except (NotPermitted, NotFound) as failure:
        if not wants_fragment and isinstance(failure, NotFound):
            raise
        error = failure.message(locale.get())

    async with unit_of_work(sessions) as session:
        commitment = await session.get(Commitment, commitment_id)
        if commitment is None:
            raise NotFound("commitment", commitment_id)
        round_ = await session.get_one(Round, commitment.round_id)
        me = await signed_in(request, session)
        outcome = {"check_errors": {commitment_id: error}} if error else {"check_saved": commitment_id}
        if wants_fragment:
            [view] = await views_of(session, [commitment], reader_id=me.id if me else None)
            return render(request, "_commitment.html", {"v": view, "hl": 4 if back == "mine" else 3,
                                                        "back": back, "may_check": True, **outcome})
        if error is None:
            page = f"/rounds/{round_.slug}/mine?sent=check" if back == "mine" else \
                f"/rounds/{round_.slug}?checked={commitment_id}"
            return redirect(request, f"{page}#commitment-{commitment_id}")
        if back == "round":
            context = await home_context(session, round_, me)
            return render(request, "round.html", {**context, **outcome}, status_code=422)
        if me is None:  # signed out since the check was saved: like any visitor, sent to join
            return RedirectResponse("/join", status_code=303)
        given = await my_input(session, me.id, round_.id)
    return render(request, "mine.html", {"round": round_, "given": given, "icons": VOTES, **outcome},
                  status_code=422)

