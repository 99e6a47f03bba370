"""Jinja2 with gettext in the reader's language, fragments for htmx, Thai Buddhist-era dates."""

from __future__ import annotations

from contextvars import ContextVar
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from jinja2_fragments.starlette import Jinja2Blocks
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import Response

from server.commitments.rules import ANSWER_NAMES
from server.commitments.rules import STATUS_NAMES as COMMITMENT_NAMES
from server.disclosure import SMALL_GROUP, fewer_than
from server.i18n import translations
from server.needs import photo_urls
from server.needs.photos import MAX_MB
from server.text import THAI, words
from web import csrf
from web.icons import CHECK_ICONS, COMMITMENT_ICONS, STANCE_NAMES, STATUS_NAMES

locale: ContextVar[str] = ContextVar("locale", default="th")

THAI_MONTHS = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
BUDDHIST_ERA = 543


def _gettext(message: str) -> str:
    return translations(locale.get()).gettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return translations(locale.get()).ngettext(singular, plural, n)


def thai_date(value: datetime | None, with_time: bool = False) -> str:
    """25 พ.ย. 2569 in Thai (Buddhist era), 25 Nov 2026 in English."""
    if value is None:
        return ""
    if locale.get() == "th":
        text = f"{value.day} {THAI_MONTHS[value.month - 1]} {value.year + BUDDHIST_ERA}"
    else:
        text = value.strftime("%-d %b %Y")
    return f"{text} {value:%H:%M}" if with_time else text


def localized(texts: dict[str, str] | None, fallback: str = "") -> str:
    """The reader's language from a {locale: text} map, else Thai, else any."""
    texts = texts or {}
    return texts.get(locale.get()) or texts.get("th") or next(iter(texts.values()), fallback)


NO_BREAK_BEFORE = "ๆฯ"  # repeat and abbreviation marks belong to the word before them


def word_breaks(value: object) -> Markup:
    """Text with <wbr> between its Thai words, so that a narrow screen wraps Thai (which has no spaces) at a
    word's end, never inside it (วัฒนธรร|ม); the CSS keeps each word whole (no overflow-wrap: anywhere).
    The text is escaped first (Markup, what _() gives, already is); only <wbr> is added to it."""
    text = value if isinstance(value, Markup) else escape(str(value))
    if not THAI.search(text):
        return text
    pieces: list[str] = []
    after_thai = False
    for word in words(str(text)):
        if THAI.match(word) and after_thai and word[0] not in NO_BREAK_BEFORE:
            pieces.append("<wbr>")
        pieces.append(word)
        after_thai = bool(THAI.search(word[-1]))
    return Markup("".join(pieces))  # noqa: S704 -- escaped text, and <wbr>


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(default=True),
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["date"] = thai_date
    env.filters["localized"] = localized
    env.filters["words"] = word_breaks
    env.globals.update(photo_url=photo_urls.url, photo_limit_mb=MAX_MB)
    # the commitment partial is included by pages whose views know nothing of commitments
    env.globals.update(commitment_names=COMMITMENT_NAMES, commitment_icons=COMMITMENT_ICONS,
                       answer_names=ANSWER_NAMES, answer_icons=CHECK_ICONS)
    # "fewer than 3" is made from the one threshold (server/disclosure.py), in the reader's language
    env.globals.update(small_group=SMALL_GROUP, fewer_than=lambda: fewer_than(locale.get()))
    return env


templates = Jinja2Blocks(env=_environment())


def render(request: Request, name: str, context: dict[str, Any] | None = None, *, block: str | None = None,
           status_code: int = 200) -> Response:
    """A whole page, or only `block` when htmx asked for a fragment (a boosted link wants the page)."""
    values = {"lang": locale.get(), "csrf": csrf.token(request), "me": getattr(request.state, "me", None),
              "status_names": STATUS_NAMES, "stance_names": STANCE_NAMES}
    values.update(context or {})
    wants_fragment = request.headers.get("hx-request") == "true" and request.headers.get("hx-boosted") != "true"
    fragment = block if block and wants_fragment else None
    return templates.TemplateResponse(request, name, values, block_name=fragment, status_code=status_code)
