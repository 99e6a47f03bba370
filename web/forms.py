"""Reading form fields into service arguments; what a person typed wrong becomes an inline message."""

from __future__ import annotations

import uuid

from starlette.datastructures import FormData
from starlette.requests import Request

from server.errors import NotFound, ValidationError
from server.i18n import N_


def whole(form: FormData, name: str, default: int = 0) -> int:
    """A whole number, or -1 for text that is not one (the service then says what it expects)."""
    text = str(form.get(name, "")).strip()
    if not text:
        return default
    return int(text) if text.isdigit() else -1


def ident(form: FormData, name: str) -> uuid.UUID | None:
    text = str(form.get(name, "")).strip()
    if not text:
        return None
    try:
        return uuid.UUID(text)
    except ValueError:
        raise ValidationError({name: (N_("Choose one of the options."), {})}) from None


def path_uuid(request: Request, name: str, what: str) -> uuid.UUID:
    """The id in the address (`name`), or NotFound for `what` when it is not one."""
    try:
        return uuid.UUID(request.path_params[name])
    except ValueError:
        raise NotFound(what, request.path_params[name]) from None
