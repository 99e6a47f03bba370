"""Error pages: expected domain errors get a page a person can act on, in their language."""

from __future__ import annotations

import asyncpg
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from server.database import unavailable
from server.errors import RETRY_AFTER_SECONDS, UNAVAILABLE, DomainError, NotFound, NotPermitted
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


async def database_error(request: Request, error: Exception) -> Response:
    """PostgreSQL away (restarting, unreachable): a page that says to try again, with Retry-After, instead
    of a 500. Any other database error is a bug, and goes on to the 500 page."""
    if not unavailable(error):
        raise error
    response = render(request, "error.html", {"message": translations(locale.get()).gettext(UNAVAILABLE),
                                              "status": 503}, status_code=503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


# what a lost or refused connection to PostgreSQL raises, through SQLAlchemy or asyncpg directly
DATABASE_ERRORS = (DBAPIError, asyncpg.PostgresError, OSError)

HANDLERS = {DomainError: domain_error, HTTPException: http_error,
            **dict.fromkeys(DATABASE_ERRORS, database_error)}
