"""Small checks shared by the services; each adds a message a person can act on."""

from __future__ import annotations

from urllib.parse import urlsplit

from server.errors import Invalid
from server.i18n import N_


def text(invalid: Invalid, field: str, value: str | None, *, max_length: int, required: bool = True) -> str:
    cleaned = (value or "").strip()
    if required and not cleaned:
        invalid.add(field, N_("This field cannot be empty."))
    elif len(cleaned) > max_length:
        invalid.add(field, N_("Please keep this under {limit} characters (it has {length})."),
                    limit=max_length, length=len(cleaned))
    return cleaned


def web_address(invalid: Invalid, field: str, value: str | None, *, max_length: int, required: bool = True) -> str:
    """An http(s) address with a host and nothing odd in it: it is linked to, or posted to."""
    url = text(invalid, field, value, max_length=max_length, required=required)
    if not url or field in invalid.fields:
        return url
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number in range
    except ValueError:
        parts = None
    if (parts is None or parts.scheme.lower() not in {"http", "https"} or not parts.hostname
            or any(ch.isspace() or ord(ch) < 32 for ch in url)):
        invalid.add(field, N_("Enter a web address that starts with http:// or https://."))
    return url


def choice(invalid: Invalid, field: str, value: str, allowed: tuple[str, ...] | set[str]) -> str:
    if value not in allowed:
        invalid.add(field, N_("Choose one of: {choices}."), choices=", ".join(sorted(allowed)))
    return value


def whole_number(invalid: Invalid, field: str, value: int, *, minimum: int, maximum: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not minimum <= value <= maximum:
        invalid.add(field, N_("Enter a whole number from {minimum} to {maximum}."),
                    minimum=minimum, maximum=maximum)
    return value


def translations(invalid: Invalid, field: str, value: dict[str, dict[str, str]] | None,
                 *, max_length: int) -> dict[str, dict[str, str]]:
    """{"en": {"title": "...", "body": "..."}}: texts in other languages than the original."""
    result: dict[str, dict[str, str]] = {}
    for locale, texts in (value or {}).items():
        if len(locale) > 12:
            invalid.add(field, N_("Unknown language code: {name}."), name=locale)
            continue
        result[locale] = {k: text(invalid, f"{field}.{locale}.{k}", v, max_length=max_length)
                          for k, v in texts.items()}
    return result
