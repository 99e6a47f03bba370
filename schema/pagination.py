"""Relay connections over keyset pages (server/pagination.py), with opaque cursors.

A cursor is base64 of [ordering, sort key]: opaque to clients, and refused when it was made
for another ordering. Connections page forwards (`first`, `after`), which is what
dashboards and replay need; `hasPreviousPage` says whether `after` was given.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from strawberry import relay

from server.pagination import Order, bad_cursor, check_limit

DEFAULT_PAGE = 20
C = TypeVar("C", bound=relay.Connection[Any])


def encode_cursor(ordering: str, key: list[Any]) -> str:
    raw = json.dumps([ordering, key], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(ordering: str, cursor: str | None) -> list[Any] | None:
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        kind, key = json.loads(raw)
    except (binascii.Error, ValueError, TypeError):
        bad_cursor()
    if kind != ordering or not isinstance(key, list):
        bad_cursor()
    return key


def limit(first: int | None) -> int:
    return check_limit(DEFAULT_PAGE if first is None else first)


def connection(cls: type[C], rows: Sequence[Any], has_next: bool, *, ordering: str, order: Order, after: str | None,
               node: Callable[[Any], Any], key_of: Callable[[Any], Any] | None = None) -> C:
    """A connection (of class `cls`) of `node(row)` for each row, each edge's cursor made from the row's sort key."""
    edges = [relay.Edge(cursor=encode_cursor(ordering, order.key(key_of(row) if key_of else row)), node=node(row))
             for row in rows]
    return cls(
        edges=edges,
        page_info=relay.PageInfo(has_next_page=has_next, has_previous_page=after is not None,
                                 start_cursor=edges[0].cursor if edges else None,
                                 end_cursor=edges[-1].cursor if edges else None),
    )
