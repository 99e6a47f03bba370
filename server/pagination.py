"""Keyset pagination: pages that stay right while rows are added, and cost the same on page 1 or 100.

A page continues after the sort key of the last row seen (never OFFSET), so a new need or
vote arriving between two requests neither repeats nor skips a row. Every ordering ends with
the row's id, which is unique and time-ordered (UUIDv7), so the key always decides.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, literal, tuple_
from sqlalchemy.orm import InstrumentedAttribute

from server.errors import Invalid
from server.i18n import N_

MAX_PAGE = 100


@dataclass(frozen=True)
class Order:
    columns: tuple[InstrumentedAttribute[Any], ...]  # the last one is the unique id
    descending: bool = False

    def key(self, row: object) -> list[Any]:
        """The row's sort key, as JSON-ready values (what a cursor carries)."""
        return [_jsonable(getattr(row, column.key)) for column in self.columns]

    def page(self, statement: Select[Any], after: Sequence[Any] | None, limit: int) -> Select[Any]:
        """`statement` ordered, continuing after the key `after`, with one row more than `limit`
        so the caller can tell whether another page follows."""
        if after is not None:
            values = self._parse(after)
            left = tuple_(*self.columns)
            right = tuple_(*(literal(v, column.type) for v, column in zip(values, self.columns, strict=True)))
            statement = statement.where(left < right if self.descending else left > right)
        ordering = [column.desc() if self.descending else column.asc() for column in self.columns]
        return statement.order_by(*ordering).limit(limit + 1)

    def _parse(self, values: Sequence[Any]) -> list[Any]:
        if not isinstance(values, (list, tuple)) or len(values) != len(self.columns):
            bad_cursor()
        try:
            return [_from_json(v, column.type.python_type) for v, column in zip(values, self.columns, strict=True)]
        except (TypeError, ValueError, AttributeError):
            bad_cursor()


def check_limit(first: int) -> int:
    invalid = Invalid()
    invalid.check(1 <= first <= MAX_PAGE, "first", N_("Enter a whole number from {minimum} to {maximum}."),
                  minimum=1, maximum=MAX_PAGE)
    invalid.raise_if_any()
    return first


def split_page(rows: Sequence[Any], limit: int) -> tuple[list[Any], bool]:
    """The rows of this page, and whether there are more."""
    return list(rows[:limit]), len(rows) > limit


def bad_cursor() -> None:
    invalid = Invalid()
    invalid.add("after", N_("This cursor is not valid here; start again without it."))
    invalid.raise_if_any()


def _jsonable(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _from_json(value: Any, python_type: type) -> Any:
    if python_type is uuid.UUID:
        return uuid.UUID(str(value))
    if python_type is datetime:
        return datetime.fromisoformat(str(value))
    if python_type is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise TypeError("not an integer")
    if python_type is str and not isinstance(value, str):
        raise TypeError("not a string")
    return value
