"""The batcher behind castVote's fast lane (server/deliberation/batching.py): how writes are grouped."""

from __future__ import annotations

import asyncio

import pytest

from server.deliberation.batching import Batcher


class Recorder:
    """A run function that takes a while, as a statement does, and remembers each batch."""

    def __init__(self, fail_when=lambda items: False):
        self.batches: list[list] = []
        self.fail_when = fail_when
        self.running = self.most_at_once = 0

    async def __call__(self, items):
        self.batches.append(list(items))
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        await asyncio.sleep(0.01)
        self.running -= 1
        if self.fail_when(items):
            raise RuntimeError("statement failed")
        return [f"row {key}:{value}" for key, value in items]


async def test_a_lone_write_goes_at_once_and_later_ones_leave_together():
    run = Recorder()
    batcher = Batcher(run, key=lambda item: item[0], in_flight=1)
    first = asyncio.create_task(batcher.write(("a", 1)))
    await asyncio.sleep(0)  # the first is on its way alone
    rest = [asyncio.create_task(batcher.write((key, 1))) for key in "bcd"]
    assert await asyncio.gather(first, *rest) == ["row a:1", "row b:1", "row c:1", "row d:1"]
    assert run.batches == [[("a", 1)], [("b", 1), ("c", 1), ("d", 1)]]


async def test_one_key_never_twice_in_a_batch_and_its_order_is_kept():
    run = Recorder()
    batcher = Batcher(run, key=lambda item: item[0], in_flight=1)
    results = await asyncio.gather(*(batcher.write(item) for item in [("a", 1), ("a", 2), ("b", 1), ("a", 3)]))
    assert results == ["row a:1", "row a:2", "row b:1", "row a:3"]
    assert [[k for k, _ in batch] for batch in run.batches] == [["a", "b"], ["a"], ["a"]]
    assert [v for batch in run.batches for k, v in batch if k == "a"] == [1, 2, 3]


async def test_a_write_arriving_as_a_batch_finishes_is_not_left_behind():
    """Regression: a caller woken by its result writes again before the finished batch's task is gone."""
    run = Recorder()
    batcher = Batcher(run, key=lambda item: item, in_flight=1)
    for i in range(5):
        assert await asyncio.wait_for(batcher.write((i, 0)), timeout=2) == f"row {i}:0"


async def test_a_failed_batch_fails_each_of_its_writes_and_no_other():
    run = Recorder(fail_when=lambda items: len(items) > 1)
    batcher = Batcher(run, key=lambda item: item[0], in_flight=1)
    alone = asyncio.create_task(batcher.write(("a", 1)))
    await asyncio.sleep(0)
    together = [asyncio.create_task(batcher.write((key, 1))) for key in "bc"]
    assert await alone == "row a:1"
    for task in together:
        with pytest.raises(RuntimeError, match="statement failed"):
            await task
    assert await batcher.write(("d", 1)) == "row d:1"  # the batcher goes on


async def test_batches_run_side_by_side_up_to_in_flight():
    run = Recorder()
    batcher = Batcher(run, key=lambda item: item, in_flight=3, largest=2)
    await asyncio.gather(*(batcher.write((i, 0)) for i in range(9)))
    assert run.most_at_once == 3
    assert [len(b) for b in run.batches] == [2, 2, 2, 2, 1]
