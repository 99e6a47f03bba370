"""CSRF protection for forms: a per-session token in every form, checked on every POST.

htmx requests carry it in a header (set once on <body> with hx-headers), plain forms in a
hidden field, so both work with JavaScript on or off.
"""

from __future__ import annotations

import hmac
import secrets

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request

from server.i18n import N_

FIELD = "csrf_token"
EXPIRED = N_("The form expired. Go back, reload the page and try again.")
HEADER = "x-csrf-token"


def token(request: Request) -> str:
    if FIELD not in request.session:
        request.session[FIELD] = secrets.token_urlsafe(32)
    return request.session[FIELD]


async def checked_form(request: Request) -> FormData:
    """The POSTed form, once its CSRF token matched the session's; 403 otherwise."""
    form = await request.form()
    sent = request.headers.get(HEADER) or str(form.get(FIELD, ""))
    expected = request.session.get(FIELD, "")
    if not expected or not hmac.compare_digest(sent, expected):
        raise HTTPException(403, EXPIRED)
    return form
