"""A round's facilitators choose the licence its open data carries (server/opendata/service.set_licence)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from server.database import unit_of_work
from server.errors import ValidationError
from server.opendata.service import set_licence
from web.csrf import checked_form
from web.htmx import redirect
from web.templating import locale, render
from web.views.facilitate.common import facilitating


async def licence_post(request: Request) -> Response:
    form = await checked_form(request)
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        f = await facilitating(request, session)
        try:
            await set_licence(session, f.me, f.round.id, str(form.get("licence", "")))
        except ValidationError as error:
            # only a hand-made request sends a licence the form does not offer: say which ones there are
            message = " ".join(error.field_messages(locale.get()).values())
            return render(request, "error.html", {"message": message, "status": 422,
                                                  "back": f"/facilitate/{f.round.slug}/proposal"},
                          block="problem", status_code=422)
    return redirect(request, f"/facilitate/{f.round.slug}/proposal?done=licence#open-data")
