"""CSRF protection for forms: a per-session token in every form, checked on every POST.

htmx requests carry it in a header (set once on <body> with hx-headers), plain forms in a
hidden field, so both work with JavaScript on or off. A form's body is read up to a limit: a page
of words by default, more where a form takes a photo.
"""

from __future__ import annotations

import hmac
import secrets

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import Message

from server.i18n import N_

FIELD = "csrf_token"
EXPIRED = N_("The form expired. Go back, reload the page and try again.")
HEADER = "x-csrf-token"
FORM_LIMIT = 1024 * 1024
TOO_LARGE = N_("What you sent is too large to receive. If it has a photo, go back and choose a smaller one.")


def token(request: Request) -> str:
    if FIELD not in request.session:
        request.session[FIELD] = secrets.token_urlsafe(32)
    return request.session[FIELD]


async def checked_form(request: Request, *, max_body: int = FORM_LIMIT) -> FormData:
    """The POSTed form, once its CSRF token matched the session's; 403 otherwise, 413 past max_body."""
    form = await _limited(request, max_body).form()
    require_token(request, form)
    return form


def require_token(request: Request, form: FormData) -> None:
    sent = request.headers.get(HEADER) or str(form.get(FIELD, ""))
    expected = request.session.get(FIELD, "")
    if not expected or not hmac.compare_digest(sent, expected):
        raise HTTPException(403, EXPIRED)


def _limited(request: Request, max_body: int) -> Request:
    """The request, read no further than max_body: Starlette spools a file field of any size to disk."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_body:
        raise HTTPException(413, TOO_LARGE)
    received = 0

    async def receive() -> Message:
        nonlocal received
        message = await request.receive()
        received += len(message.get("body", b""))
        if received > max_body:  # a body sent in chunks declares no length
            raise HTTPException(413, TOO_LARGE)
        return message

    return Request(request.scope, receive)
