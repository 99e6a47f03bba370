"""Jinja2 with gettext in the reader's language and fragments for htmx."""

from __future__ import annotations

from contextvars import ContextVar
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from jinja2_fragments.starlette import Jinja2Blocks

from server.i18n import translations

locale: ContextVar[str] = ContextVar("locale", default="th")


def _gettext(message: str) -> str:
    return translations(locale.get()).gettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return translations(locale.get()).ngettext(singular, plural, n)


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(default=True),
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    return env


templates = Jinja2Blocks(env=_environment())
