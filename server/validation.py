"""Small checks shared by the services; each adds a message a person can act on."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from server.errors import Invalid
from server.i18n import N_

# C0 control characters but tab, line feed and carriage return, and DEL: PostgreSQL refuses NUL, and the
# others are invisible, so a name holding one looks like another name and breaks what is exported. Lone
# surrogates (JSON's "\ud800") are not characters at all and cannot be written as UTF-8.
_UNUSABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
CHOOSE_EXISTING = N_("Choose one that exists.")
UNUSABLE_TEXT = N_("This text holds an invisible control character that cannot be kept. Please type it again "
                   "(or paste it as plain text).")


def usable(value: str) -> bool:
    """Whether `value` can be stored, or looked up, as it is: no control characters, no lone surrogates."""
    return isinstance(value, str) and _UNUSABLE.search(value) is None


def text(invalid: Invalid, field: str, value: str | None, *, max_length: int, required: bool = True) -> str:
    cleaned = (value or "").strip()
    if not usable(value or ""):
        invalid.add(field, UNUSABLE_TEXT)
    elif required and not cleaned:
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


def language(invalid: Invalid, field: str, value: str) -> str:
    """A language code as people write them (th, en, mfa, th-TH): stored in a short column."""
    invalid.check(isinstance(value, str) and 0 < len(value) <= 12 and value.replace("-", "").isalnum()
                  and value.isascii(), field, N_("Unknown language code: {name}."), name=shown(value))
    return value


def shown(value: object, limit: int = 20) -> str:
    """What a person typed, repeated in a message: short, and with what cannot be shown replaced."""
    return _UNUSABLE.sub("\ufffd", str(value)[:limit])


def texts(invalid: Invalid, field: str, value: dict[str, str] | None, *, max_length: int) -> dict[str, str]:
    """{"th": "...", "en": "..."}: one text in several languages (a round's title, a group's name)."""
    return {language(invalid, field, locale): text(invalid, f"{field}.{locale}", words, max_length=max_length,
                                                   required=False)
            for locale, words in (value or {}).items()}


def translations(invalid: Invalid, field: str, value: dict[str, dict[str, str]] | None,
                 *, max_length: int, fields: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """{"en": {"title": "...", "body": "..."}}: texts in other languages than the original, of `fields`."""
    result: dict[str, dict[str, str]] = {}
    for locale, texts in (value or {}).items():
        language(invalid, field, locale)
        for name in texts:
            choice(invalid, field, name, fields)
        if field in invalid.fields:
            continue
        result[locale] = {k: text(invalid, f"{field}.{locale}.{k}", v, max_length=max_length)
                          for k, v in texts.items()}
    return result
