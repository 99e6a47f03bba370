"""Relay connections over keyset pages (server/pagination.py), with opaque cursors.

A cursor is base64 of [ordering, sort key]: opaque to clients, and refused when it was made
for another ordering. Connections page forwards (`first`, `after`), which is what dashboards
and replay need, and backwards (`last`, `before`), for a list read from its newest end.
Both cursors may be given together: the rows between them.

`hasPreviousPage` and `hasNextPage` are exact in the direction of paging (one row more is
read); in the other direction they only say whether a cursor was given, which the Relay
specification allows and which costs no second statement.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from strawberry import relay

from server.errors import Invalid
from server.i18n import N_
from server.pagination import Order, Window, bad_cursor, check_limit

DEFAULT_PAGE = 20
C = TypeVar("C", bound=relay.Connection[Any])


def encode_cursor(ordering: str, key: list[Any]) -> str:
    raw = json.dumps([ordering, key], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(ordering: str, cursor: str | None, field: str = "after") -> list[Any] | None:
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        kind, key = json.loads(raw)
    except (binascii.Error, ValueError, TypeError):
        bad_cursor(field)
    if kind != ordering or not isinstance(key, list):
        bad_cursor(field)
    return key


def limit(first: int | None) -> int:
    return check_limit(DEFAULT_PAGE if first is None else first)


@dataclass(frozen=True)
class Page:
    """A connection's arguments, checked: the window to read and the cursors as the caller gave them."""

    ordering: str
    window: Window
    after: str | None = None
    before: str | None = None


def page(ordering: str, first: int | None, after: str | None, last: int | None = None,
         before: str | None = None) -> Page:
    """`last`, or `before` alone, pages backwards: the rows just before the cursor (or the end)."""
    if first is not None and last is not None:
        invalid = Invalid()
        # the Relay specification allows both, but the answer (the first n, then the last m of those)
        # is never what a client paging through a list means
        invalid.add("last", N_("Give either first or last, not both: first pages forwards, last backwards."))
        invalid.raise_if_any()
    backward = last is not None or (first is None and before is not None and after is None)
    size = check_limit(last, "last") if last is not None else limit(first)
    window = Window(size, decode_cursor(ordering, after), decode_cursor(ordering, before, "before"), backward)
    return Page(ordering, window, after, before)


def connection(cls: type[C], rows: Sequence[Any], more: bool, *, page: Page, order: Order,
               node: Callable[[Any], Any], key_of: Callable[[Any], Any] | None = None, **extra: Any) -> C:
    """A connection (of class `cls`) of `node(row)` for each row, each edge's cursor made from the row's
    sort key; `more` says whether rows lie beyond the page in the direction it was read."""
    edges = [relay.Edge(cursor=encode_cursor(page.ordering, order.key(key_of(row) if key_of else row)),
                        node=node(row))
             for row in rows]
    backward = page.window.backward
    return cls(
        edges=edges,
        page_info=relay.PageInfo(has_next_page=(more and not backward) or page.before is not None,
                                 has_previous_page=(more and backward) or page.after is not None,
                                 start_cursor=edges[0].cursor if edges else None,
                                 end_cursor=edges[-1].cursor if edges else None),
        **extra,
    )
