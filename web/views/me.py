"""My data (Thai PDPA): what Ruam holds about the person signed in, to read, print or download; taking back
consent for sensitive data; withdrawing entirely. The reading and the changes are server/people's."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.database import unit_of_work
from server.exclusion import words
from server.people.my_data import as_json, my_data
from server.people.service import has_consent, record_consent, withdraw
from server.push.service import phones
from web.csrf import checked_form
from web.htmx import redirect
from web.session import sign_out, signed_in
from web.templating import render

DONE = ("sensitive", "push", "exclusion")


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}


async def my_data_page(request: Request) -> Response:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        me = await signed_in(request, session)
        if me is None:
            return RedirectResponse("/card", status_code=303)
        data = await my_data(session, me)
        sensitive_consent = await has_consent(session, me.id, "sensitive_data")
        told = await phones(session, me)
    done = request.query_params.get("done")
    return render(request, "my_data.html", {"data": data, "sensitive_consent": sensitive_consent,
                                            "phones": told, "done": done if done in DONE else None,
                                            "exclusion_words": words})


async def download_json(request: Request) -> Response:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        me = await signed_in(request, session)
        if me is None:
            return RedirectResponse("/card", status_code=303)
        text = as_json(await my_data(session, me))
    return Response(text, media_type="application/json; charset=utf-8", headers=_attachment("ruam-my-data.json"))


async def download_page(request: Request) -> Response:
    """The same, as a page that opens and prints without Ruam: no stylesheet, no script."""
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        me = await signed_in(request, session)
        if me is None:
            return RedirectResponse("/card", status_code=303)
        data = await my_data(session, me)
    response = render(request, "my_data_copy.html", {"data": data, "now": datetime.now(UTC),
                                                      "exclusion_words": words})
    response.headers.update(_attachment("ruam-my-data.html"))
    return response


async def withdraw_sensitive(request: Request) -> Response:
    """Taking back the consent for sensitive data: what it covered is deleted at once (record_consent)."""
    await checked_form(request)
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        me = await signed_in(request, session)
        if me is None:
            return RedirectResponse("/card", status_code=303)
        await record_consent(session, me, me.id, purpose="sensitive_data", granted=False)
    return redirect(request, "/me?done=sensitive")


async def withdraw_form(request: Request) -> Response:
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        if await signed_in(request, session) is None:
            return RedirectResponse("/card", status_code=303)
    return render(request, "withdraw.html", {"errors": {}})


async def withdraw_all(request: Request) -> Response:
    form = await checked_form(request)
    async with unit_of_work(request.app.state.runtime.sessions) as session:
        me = await signed_in(request, session)
        if me is None:
            return RedirectResponse("/card", status_code=303)
        if form.get("confirm") != "yes":
            return render(request, "withdraw.html", {"errors": {"confirm": True}}, status_code=422)
        await withdraw(session, me, me.id)  # ends every session of theirs, on every phone
    sign_out(request, None)
    return redirect(request, "/me/withdrawn")


async def withdrawn(request: Request) -> Response:
    return render(request, "withdrawn.html")
