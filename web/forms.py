"""Reading form fields into service arguments; what a person typed wrong becomes an inline message."""

from __future__ import annotations

import uuid

from starlette.datastructures import FormData
from starlette.requests import Request

from server.errors import NotFound, ValidationError
from server.i18n import N_

MAX_WHOLE = 2**31 - 1  # PostgreSQL's integer: no count or version here is larger


def whole_number(text: str) -> int | None:
    """Decimal digits (Thai ones too, not ²) making a number an integer column holds, or None."""
    text = text.strip()
    if not (text.isdecimal() and len(text) <= 10) or int(text) > MAX_WHOLE:
        return None
    return int(text)


def whole(form: FormData, name: str, default: int = 0) -> int:
    """A whole number, or -1 for text that is not one (the service then says what it expects)."""
    text = str(form.get(name, "")).strip()
    if not text:
        return default
    number = whole_number(text)
    return -1 if number is None else number


def ident(form: FormData, name: str) -> uuid.UUID | None:
    text = str(form.get(name, "")).strip()
    if not text:
        return None
    try:
        return uuid.UUID(text)
    except ValueError:
        raise ValidationError({name: (N_("Choose one of the options."), {})}) from None


def query_uuid(text: str | None) -> uuid.UUID | None:
    """An id from an address's query (?proxy=, ?before=) or a field's name (vote-<clause id>), or None when it
    is missing or not one: a stale or edited link shows the page without it."""
    try:
        return uuid.UUID(text) if text else None
    except ValueError:
        return None


def path_uuid(request: Request, name: str, what: str) -> uuid.UUID:
    """The id in the address (`name`), or NotFound for `what` when it is not one."""
    try:
        return uuid.UUID(request.path_params[name])
    except ValueError:
        raise NotFound(what, request.path_params[name]) from None


def optional_whole(form: FormData, name: str) -> int | None:
    """A whole number, None when left empty, or -1 for text that is not one (the service says what it expects)."""
    return whole(form, name, 0) if str(form.get(name, "")).strip() else None


def local_path(value: str | None, default: str = "/") -> str:
    """A `next` address only if it is a path on this site (never an open redirect), else `default`."""
    return value if value and value.startswith("/") and not value.startswith("//") else default
