"""Counting the SQL statements a piece of code runs, so that an N+1 regression fails a test."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


class Statements:
    def __init__(self) -> None:
        self.sql: list[str] = []

    @property
    def count(self) -> int:
        return len(self.sql)

    @property
    def queries(self) -> list[str]:
        """The statements without transaction control (BEGIN, SAVEPOINT, RELEASE...)."""
        return [s for s in self.sql if s.split(None, 1)[0].upper() in {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH"}]


@contextmanager
def counting(engine: AsyncEngine) -> Iterator[Statements]:
    """Every statement sent to the database through `engine` while the block runs."""
    seen = Statements()

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.sql.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
