"""Turning a round's votes, as PostgreSQL's binary COPY sends them, into matrix row and column numbers.

Each vote comes with its participant's and its statement's uuid. They are matched here against the
round's members and current statements with numpy (a sorted search over a 64-bit key folded from each
uuid, then both halves compared), so PostgreSQL only scans one table and never joins. The stream is
parsed as it arrives, a few MiB at a time, while PostgreSQL goes on sending on the other core, and
only the three small arrays are kept: 9 bytes a vote rather than the 48 that crossed the wire.
"""

from __future__ import annotations

import uuid

import numpy as np

SIGNATURE = b"PGCOPY\n\xff\r\n\0"
HEADER = len(SIGNATURE) + 8  # flags, header extension length (always 0 from PostgreSQL)
TRAILER = b"\xff\xff"
# participant_id uuid, statement uuid, value int2: each field preceded by its length
ROW = np.dtype([("n", ">i2"), ("l1", ">i4"), ("p", ">u8", (2,)), ("l2", ">i4"), ("s", ">u8", (2,)),
                ("l3", ">i4"), ("v", ">i2")])
BATCH = 8 * 1024 * 1024


def _halves(ids: list[uuid.UUID]) -> tuple[np.ndarray, np.ndarray]:
    both = np.frombuffer(b"".join(i.bytes for i in ids), dtype=">u8").reshape(-1, 2).astype(np.uint64)
    return np.ascontiguousarray(both[:, 0]), np.ascontiguousarray(both[:, 1])


class IdIndex:
    """Position of each uuid in `ids`, -1 for one not there."""

    def __init__(self, ids: list[uuid.UUID]) -> None:
        self.hi, self.lo = _halves(ids)
        keys = self.hi ^ self.lo
        self.order = np.argsort(keys, kind="stable").astype(np.int32)
        self.keys = keys[self.order]
        # Ids made in one millisecond share their first half, so the key folds in both. Two ids whose
        # halves fold to one key (never seen with random ids, but possible) are told apart exactly,
        # one Python look-up per vote: slow, but right.
        self.exact: dict[tuple[int, int], int] | None = None
        if len(self.keys) > 1 and bool((self.keys[1:] == self.keys[:-1]).any()):
            self.exact = {(h, lo): i for i, (h, lo) in enumerate(zip(self.hi.tolist(), self.lo.tolist(), strict=True))}

    def find(self, hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
        if self.exact is not None:
            exact = self.exact
            return np.array([exact.get(pair, -1) for pair in zip(hi.tolist(), lo.tolist(), strict=True)],
                            dtype=np.int32)
        if not len(self.keys):
            return np.full(len(hi), -1, dtype=np.int32)
        at = np.searchsorted(self.keys, hi ^ lo)
        np.minimum(at, len(self.keys) - 1, out=at)
        found = self.order[at]
        return np.where((self.hi[found] == hi) & (self.lo[found] == lo), found, np.int32(-1))


class VoteReader:
    """The sink of a binary COPY of (participant_id, statement id, value); `finish` gives the votes of
    `participants` on `statements` as row and column numbers and values, sorted by row then column (the
    inputs hash depends on a fixed order). Votes of anyone or on anything else are left out."""

    def __init__(self, participants: list[uuid.UUID], statements: list[uuid.UUID]) -> None:
        self.participants, self.statements = IdIndex(participants), IdIndex(statements)
        self.n_statements = len(statements)
        self.pending: list[bytes] = []
        self.pending_size = 0
        self.started = False
        self.parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    async def feed(self, chunk: bytes) -> None:
        self.pending.append(chunk)
        self.pending_size += len(chunk)
        if self.pending_size >= BATCH:
            self._parse()

    def _parse(self) -> None:
        data = b"".join(self.pending)
        offset = 0
        if not self.started:
            if len(data) < HEADER:
                self.pending = [data]
                return
            if not data.startswith(SIGNATURE) or data[len(SIGNATURE) + 4:HEADER] != bytes(4):
                raise ValueError("not a binary COPY stream")
            offset, self.started = HEADER, True
        count = (len(data) - offset) // ROW.itemsize
        rows = np.frombuffer(data, dtype=ROW, count=count, offset=offset)
        rest = data[offset + count * ROW.itemsize:]
        self.pending, self.pending_size = [rest], len(rest)
        if not count:
            return
        if not ((rows["n"] == 3).all() and (rows["l1"] == 16).all() and (rows["l2"] == 16).all()
                and (rows["l3"] == 2).all()):
            raise ValueError("a vote row is not (uuid, uuid, smallint)")
        participant = self.participants.find(rows["p"][:, 0].astype(np.uint64), rows["p"][:, 1].astype(np.uint64))
        statement = self.statements.find(rows["s"][:, 0].astype(np.uint64), rows["s"][:, 1].astype(np.uint64))
        keep = (participant >= 0) & (statement >= 0)
        self.parts.append((participant[keep], statement[keep], rows["v"][keep].astype(np.int8)))

    def finish(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        self._parse()
        if b"".join(self.pending) != TRAILER:
            raise ValueError("the binary COPY stream ended early")
        if not self.parts:
            empty = np.zeros(0, dtype=np.int32)
            return empty, empty.copy(), np.zeros(0, dtype=np.int8)
        participant, statement, value = (np.concatenate(column) for column in zip(*self.parts, strict=True))
        self.parts = []
        # one sort of a key that carries the value too: cheaper than an argsort and three gathers
        width = max(self.n_statements, 1)
        key = (participant.astype(np.int64) * width + statement) * 3 + (value + 1)
        key.sort()
        cell, value_code = np.divmod(key, 3)
        row, column = np.divmod(cell, width)
        return row.astype(np.int32), column.astype(np.int32), (value_code - 1).astype(np.int8)
