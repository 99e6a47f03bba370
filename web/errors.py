"""Error pages: expected domain errors get a page a person can act on, in their language."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from server.errors import DomainError, NotFound, NotPermitted
from server.i18n import translations
from web.templating import locale, render

STATUS = {NotFound: 404, NotPermitted: 403}


async def domain_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, DomainError)
    status = next((code for kind, code in STATUS.items() if isinstance(error, kind)), 400)
    return render(request, "error.html", {"message": error.message(locale.get()), "status": status},
                  status_code=status)


async def http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    message = translations(locale.get()).gettext(error.detail)
    return render(request, "error.html", {"message": message, "status": error.status_code},
                  status_code=error.status_code)


HANDLERS = {DomainError: domain_error, HTTPException: http_error}
