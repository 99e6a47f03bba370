"""Invitation codes for one group, and their printable A4 sheet of QR codes.

Only hashes of the codes are stored (auth/service.py), so the sheet is the answer to the POST
itself: shown once, to print or save now. Each QR code encodes PUBLIC_URL/j/CODE and is drawn on
the server as inline SVG (segno): no script and nothing fetched from elsewhere.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from server.auth.service import create_invites
from server.database import unit_of_work
from server.errors import ValidationError
from server.rounds.service import groups_of
from web.csrf import checked_form
from web.forms import whole
from web.qr import qr_svg
from web.templating import locale, render
from web.views.facilitate.common import facilitating
from web.views.facilitate.rounds import overview_context


def grouped(code: str) -> str:
    """ABCD-EFGH: easier to read aloud and type; the dash is ignored when joining."""
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


async def make_invites(request: Request) -> Response:
    form = await checked_form(request)
    public_url = request.app.state.runtime.settings.public_url
    try:
        async with unit_of_work(request.app.state.runtime.sessions) as session:
            f = await facilitating(request, session)
            group_key = str(form.get("group", ""))
            made = await create_invites(session, f.me, f.round.id, group_key=group_key,
                                        count=whole(form, "count", 1), max_uses=whole(form, "max_uses", 1))
            group = next(g for g in await groups_of(session, f.round.id) if g.key == group_key)
    except ValidationError as error:
        async with unit_of_work(request.app.state.runtime.sessions) as session:
            context = await overview_context(session, await facilitating(request, session))
        context["invite_errors"] = error.field_messages(locale.get())
        return render(request, "facilitate/round.html", context, status_code=422)
    cards = [{"code": grouped(plain), "url": f"{public_url}/j/{plain}", "qr": qr_svg(f"{public_url}/j/{plain}")}
             for _, plain in made]
    return render(request, "facilitate/invite_sheet.html", {
        "round": f.round, "tool": "round", "group": group, "cards": cards, "max_uses": made[0][0].max_uses,
    }, status_code=200)
