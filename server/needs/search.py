"""What full-text search sees of a need: its words, segmented, in every language it has."""

from __future__ import annotations

from server.text import segment


def search_text(title: str, body: str, translations: dict[str, dict[str, str]] | None) -> str:
    parts = [title, body]
    for texts in (translations or {}).values():
        parts.extend(texts.values())
    return " ".join(segment(" ".join(p for p in parts if p)))
