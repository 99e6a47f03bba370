"""Error pages: expected domain errors get a page a person can act on, in their language."""

from __future__ import annotations

import asyncpg
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from server.database import unavailable
from server.errors import (
    RETRY_AFTER_SECONDS,
    UNAVAILABLE,
    Conflict,
    DomainError,
    NotFound,
    NotPermitted,
    PhaseClosed,
    ProxyRequired,
    ValidationError,
)
from server.i18n import translations
from web.templating import locale, render

STATUS = {NotFound: 404, NotPermitted: 403, ProxyRequired: 403, PhaseClosed: 409, Conflict: 409,
          ValidationError: 422}


def status_of(error: DomainError) -> int:
    """The HTTP status of a refusal, for the error page and for a form sent back with it."""
    return next((code for kind, code in STATUS.items() if isinstance(error, kind)), 400)


def round_back(request: Request, status: int) -> str | None:
    """The round a refused request came from, for a way back to it: named in the address, or by the view
    that had found it (request.state.round_slug). A round that was not found is no way back."""
    known = getattr(request.state, "round_slug", None)
    if known:
        return f"/rounds/{known}"
    slug = request.path_params.get("slug")
    if slug is None or status == 404:
        return None
    return f"/facilitate/{slug}" if request.url.path.startswith("/facilitate/") else f"/rounds/{slug}"


def _page(request: Request, message: str, status: int) -> Response:
    # an htmx fragment request gets the message alone, in place of what it would have swapped
    return render(request, "error.html", {"message": message, "status": status,
                                          "back": round_back(request, status)},
                  block="problem", status_code=status)


async def domain_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, DomainError)
    return _page(request, error.message(locale.get()), status_of(error))


async def http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    return _page(request, translations(locale.get()).gettext(error.detail), error.status_code)


async def database_error(request: Request, error: Exception) -> Response:
    """PostgreSQL away (restarting, unreachable): a page that says to try again, with Retry-After, instead
    of a 500. Any other database error is a bug, and goes on to the 500 page."""
    if not unavailable(error):
        raise error
    response = _page(request, translations(locale.get()).gettext(UNAVAILABLE), 503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


# what a lost or refused connection to PostgreSQL raises, through SQLAlchemy or asyncpg directly
DATABASE_ERRORS = (DBAPIError, asyncpg.PostgresError, OSError)

HANDLERS = {DomainError: domain_error, HTTPException: http_error,
            **dict.fromkeys(DATABASE_ERRORS, database_error)}
