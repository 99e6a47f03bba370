"""Writes that arrive together, sent to PostgreSQL together (group commit).

Under load, many castVote requests wait for the database at the same moment. Sent one by one, each
pays a round trip, a statement's parse-bind-execute and a commit (a WAL flush); sent as one statement
over arrays, they pay those once. The batcher never waits to fill a batch: when fewer than
`in_flight` batches are running, a write is sent at once, alone; writes that arrive while all are
running are queued and leave together with the next free one. So a lone vote costs what it did, and
the busier the server, the larger the batches and the cheaper each write.

Each write gets the result of its own row, or the exception of its batch (nothing of a failed batch
is written: it is one statement).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any

Run = Callable[[Sequence[Any]], Awaitable[Sequence[Any]]]
Waiting = tuple[Any, asyncio.Future[Any]]  # an item and the future its writer awaits


class Batcher:
    def __init__(self, run: Run, key: Callable[[Any], Hashable], *, in_flight: int, largest: int = 256):
        """`run(items)` writes the items in one statement and returns one result per item, in order.
        Two items with the same `key` never share a batch (an upsert cannot touch one row twice in a
        statement): the later one waits for the next."""
        self._run, self._key = run, key
        self._in_flight, self._largest = in_flight, largest
        self._queue: list[Waiting] = []
        self._draining = 0  # counted by _drain itself: a finished task's done-callbacks run too late
        self._tasks: set[asyncio.Task[None]] = set()

    async def write(self, item: Any) -> Any:
        future = asyncio.get_running_loop().create_future()
        self._queue.append((item, future))
        if self._draining < self._in_flight:
            self._draining += 1
            task = asyncio.create_task(self._drain())
            self._tasks.add(task)  # held: the loop keeps only a weak reference to tasks
            task.add_done_callback(self._tasks.discard)
        return await future

    async def _drain(self) -> None:
        try:
            await self._send()
        finally:
            self._draining -= 1  # no await between the empty queue and this: no write is left behind

    async def _send(self) -> None:
        while self._queue:
            batch = self._take()
            try:
                results = await self._run([item for item, _ in batch])
            except BaseException as error:  # every waiter learns its write failed
                for _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                if not isinstance(error, Exception):
                    raise
                continue
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():  # a caller that gave up (a closed connection) still had its write
                    future.set_result(result)

    def _take(self) -> list[Waiting]:
        batch: list[Waiting] = []
        later: list[Waiting] = []
        seen: set[Hashable] = set()
        for entry in self._queue:
            key = self._key(entry[0])
            if key in seen or len(batch) == self._largest:
                later.append(entry)
            else:
                seen.add(key)
                batch.append(entry)
        self._queue = later
        return batch
