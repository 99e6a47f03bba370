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
from typing import Any, NoReturn, TypeVarTuple

from sqlalchemy import Select, func, literal, tuple_
from sqlalchemy.orm import InstrumentedAttribute

from server.errors import Invalid, ValidationError
from server.i18n import N_

MAX_PAGE = 100
Columns = TypeVarTuple("Columns")  # what the paged statement selects, kept for its rows' types


@dataclass(frozen=True)
class Order:
    columns: tuple[InstrumentedAttribute[Any], ...]  # the last one is the unique id
    descending: bool = False
    # what a NULL in a column sorts as, by column name: NULL never compares, so a key holding one would
    # end the page there; the value is one the column never holds, placing the unknown after (or before) all
    unknown_as: tuple[tuple[str, Any], ...] = ()

    def key(self, row: object) -> list[Any]:
        """The row's sort key, as JSON-ready values (what a cursor carries)."""
        unknown = dict(self.unknown_as)
        return [_jsonable(_known(getattr(row, column.key), unknown.get(column.key))) for column in self.columns]

    def _sorted(self) -> list[Any]:
        unknown = dict(self.unknown_as)
        return [func.coalesce(column, unknown[column.key]) if column.key in unknown else column
                for column in self.columns]

    def page(self, statement: Select[*Columns], after: Sequence[Any] | None, limit: int, *,
             before: Sequence[Any] | None = None, backward: bool = False) -> Select[*Columns]:
        """`statement` ordered, between the keys `after` and `before` (either may be absent), with one
        row more than `limit` so the caller can tell whether another page follows. `backward` reads
        from the `before` end, in reverse: split_page puts the rows back in order."""
        if after is not None:
            statement = statement.where(self._beyond(after, "after", forward=True))
        if before is not None:
            statement = statement.where(self._beyond(before, "before", forward=False))
        descending = self.descending != backward
        ordering = [column.desc() if descending else column.asc() for column in self._sorted()]
        return statement.order_by(*ordering).limit(limit + 1)

    def window(self, statement: Select[*Columns], window: Window) -> Select[*Columns]:
        return self.page(statement, window.after, window.limit, before=window.before, backward=window.backward)

    def _beyond(self, values: Sequence[Any], field: str, *, forward: bool) -> Any:
        left = tuple_(*self._sorted())
        right = tuple_(*(literal(v, column.type)
                         for v, column in zip(self._parse(values, field), self.columns, strict=True)))
        return left > right if forward != self.descending else left < right

    def _parse(self, values: Sequence[Any], field: str) -> list[Any]:
        if not isinstance(values, (list, tuple)) or len(values) != len(self.columns):
            bad_cursor(field)
        try:
            return [_from_json(v, column.type.python_type) for v, column in zip(values, self.columns, strict=True)]
        except (TypeError, ValueError, AttributeError):
            bad_cursor(field)


@dataclass(frozen=True)
class Window:
    """Which page to read: the rows after one sort key and before another (either may be absent),
    the first `limit` of them or, `backward`, the last `limit`."""

    limit: int
    after: Sequence[Any] | None = None
    before: Sequence[Any] | None = None
    backward: bool = False

    @property
    def opening(self) -> bool:
        """The first page, read forwards from the start."""
        return self.after is None and self.before is None and not self.backward

    def split(self, rows: Sequence[Any]) -> tuple[list[Any], bool]:
        return split_page(rows, self.limit, backward=self.backward)


def check_limit(first: int, field: str = "first") -> int:
    invalid = Invalid()
    invalid.check(1 <= first <= MAX_PAGE, field, N_("Enter a whole number from {minimum} to {maximum}."),
                  minimum=1, maximum=MAX_PAGE)
    invalid.raise_if_any()
    return first


def split_page(rows: Sequence[Any], limit: int, *, backward: bool = False) -> tuple[list[Any], bool]:
    """The rows of this page, in order, and whether there are more beyond it (before it, `backward`)."""
    page = list(rows[:limit])
    return (page[::-1] if backward else page), len(rows) > limit


def bad_cursor(field: str = "after") -> NoReturn:
    invalid = Invalid()
    invalid.add(field, N_("This cursor is not valid here; start again without it."))
    raise ValidationError(invalid.fields)


def _known(value: Any, unknown_as: Any) -> Any:
    return unknown_as if value is None else value


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
