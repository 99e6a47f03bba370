"""Small types shared by every domain: texts in several languages, and the caller's choice of one."""

from __future__ import annotations

from typing import Any

import strawberry

from server import validation
from server.errors import Invalid
from server.i18n import N_


@strawberry.type(description="A text in one language.")
class LocalizedText:
    language: str
    text: str


@strawberry.input(description="A text in one language, e.g. {language: \"th\", text: \"...\"}.")
class LocalizedTextInput:
    language: str
    text: str


@strawberry.type(description="One field of a need, draft or clause in another language than its original.")
class Translation:
    language: str
    field: str
    text: str


@strawberry.input(description="One field (title, body, summary, text) in another language than the original.")
class TranslationInput:
    language: str
    field: str
    text: str


def localized(texts: dict[str, str], locale: str) -> str:
    """The text in the caller's language, else Thai, else English, else any."""
    for choice in (locale, "th", "en"):
        if texts.get(choice):
            return texts[choice]
    return next((t for t in texts.values() if t), "")


def texts_out(texts: dict[str, str]) -> list[LocalizedText]:
    return [LocalizedText(language=k, text=v) for k, v in sorted(texts.items())]


def texts_in(field: str, texts: list[LocalizedTextInput] | None) -> dict[str, str]:
    """{language: text}; a language given twice is a mistake the caller should hear about."""
    result: dict[str, str] = {}
    invalid = Invalid()
    for item in texts or []:
        invalid.check(item.language not in result and len(item.language) <= 12, field,
                      N_("Give each language once, with a short code such as th or en."))
        result[item.language] = item.text
    invalid.raise_if_any()
    return result


def translations_out(translations: dict[str, dict[str, str]] | None) -> list[Translation]:
    return [Translation(language=lang, field=name, text=text)
            for lang, texts in sorted((translations or {}).items()) for name, text in sorted(texts.items())]


def translations_in(items: list[TranslationInput] | None) -> dict[str, dict[str, str]]:
    result: dict[str, dict[str, str]] = {}
    for item in items or []:
        result.setdefault(item.language, {})[item.field] = item.text
    return result


def language(value: str, field: str = "language") -> str:
    """A language code (server/validation.py language), or a ValidationError on `field`."""
    invalid = Invalid()
    validation.language(invalid, field, value)
    invalid.raise_if_any()
    return value


def row_field(attribute: str, *, description: str | None = None) -> Any:
    """A field read straight from the node's row: `title: str = row_field("title")`. Its GraphQL type is
    the annotation's."""

    def resolve(root: Any) -> Any:
        return getattr(root.row, attribute)

    return strawberry.field(resolver=resolve, description=description)
