"""Gettext catalogues for every user-facing string (Thai first, English complete).

Catalogues are read from the .po files in server/locale at first use, so no compile step
stands between a translator's edit and a running app.
"""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from server.config import LOCALES

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "ruam"


class Message(str):
    """A msgid that is translated when shown, in the reader's language."""


class PerLocale(str):
    """Words a person gave in each language (a phase's name), as a message parameter: shown in the
    reader's language, not looked up in the catalogue."""

    texts: dict[str, str]

    def __new__(cls, texts: dict[str, str]) -> PerLocale:
        made = super().__new__(cls, next(iter(texts.values()), ""))
        made.texts = texts
        return made

    def shown(self, locale: str) -> str:
        return self.texts.get(locale) or str(self)


def N_(message: str) -> Message:
    """Marks a string for extraction; it is translated later, in the reader's language."""
    return Message(message)


@cache
def translations(locale: str) -> gettext.NullTranslations:
    po = LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if locale not in LOCALES or not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translate(message: str, locale: str, **params: object) -> str:
    text = translations(locale).gettext(message)
    if not params:
        return text
    shown = {k: translations(locale).gettext(v) if isinstance(v, Message)
             else v.shown(locale) if isinstance(v, PerLocale) else v for k, v in params.items()}
    return text.format(**shown)


def choose(asked: str | None, remembered: str | None, accept_language: str | None, default: str) -> str:
    """The reader's language: the one asked for (?lang=), then the one remembered (the lang cookie), then
    the first supported one in Accept-Language. The pages and the API choose alike."""
    chosen = asked or remembered
    return chosen if chosen in LOCALES else negotiate(accept_language, default)


def negotiate(accept_language: str | None, default: str = "th") -> str:
    """The first supported language in an Accept-Language header."""
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LOCALES:
            return tag
    return default
