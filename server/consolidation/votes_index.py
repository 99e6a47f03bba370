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


def halves(ids: list[uuid.UUID]) -> tuple[np.ndarray, np.ndarray]:
    """Each id's two 64-bit halves, as two arrays."""
    return halves_of_bytes(b"".join(i.bytes for i in ids))


def halves_of_bytes(ids: bytes) -> tuple[np.ndarray, np.ndarray]:
    """halves() of ids given as one run of their 16-byte values (as PostgreSQL's uuid_send gives them)."""
    both = np.frombuffer(ids, dtype=">u8").reshape(-1, 2).astype(np.uint64)
    return np.ascontiguousarray(both[:, 0]), np.ascontiguousarray(both[:, 1])


# Odd 64-bit constant (2^64 / golden ratio): multiplying by it spreads the folded ids' bits over the top
# bits, which pick a bucket. uuid7's first bits are a timestamp, nearly the same for every id of a round.
MIX = np.uint64(0x9E3779B97F4A7C15)


class IdIndex:
    """Position of each uuid in `ids`, -1 for one not there.

    A hash table in numpy: the ids' folded keys sorted, and where each bucket of keys (by their top
    bits, about one id a bucket) starts; a look-up goes to its bucket and steps through it, all votes at
    once, usually in one or two steps. A sorted search (np.searchsorted) took ten times as long: 17
    dependent steps a vote, each a cache miss."""

    def __init__(self, ids: list[uuid.UUID]) -> None:
        self.hi, self.lo = halves(ids)
        keys = (self.hi ^ self.lo) * MIX
        self.order = np.argsort(keys, kind="stable").astype(np.int32)
        self.keys = keys[self.order]
        self.bits = max(len(ids) - 1, 1).bit_length()
        edges = np.arange(2**self.bits + 1, dtype=np.uint64) << np.uint64(64 - self.bits)
        self.start = np.searchsorted(self.keys, edges).astype(np.int32)
        self.start[-1] = len(self.keys)  # the last edge wraps to 0
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
        found = np.full(len(hi), -1, dtype=np.int32)
        key = (hi ^ lo) * MIX
        bucket = (key >> np.uint64(64 - self.bits)).astype(np.intp)
        at, end = self.start[bucket], self.start[bucket + 1]
        todo = np.flatnonzero(at < end)
        at, end, key = at[todo], end[todo], key[todo]
        while len(todo):
            hit = self.keys[at] == key
            found[todo[hit]] = self.order[at[hit]]
            at += 1
            going = ~hit & (at < end)
            todo, at, end, key = todo[going], at[going], end[going], key[going]
        # a key says where to look; only both halves say it is the same id
        known = np.flatnonzero(found >= 0)
        wrong = (self.hi[found[known]] != hi[known]) | (self.lo[found[known]] != lo[known])
        found[known[wrong]] = -1
        return found


class VoteReader:
    """The sink of a binary COPY of (participant_id, statement id, value); `finish` gives the votes of
    `participants` on `statements` as row and column numbers and values, sorted by row then column (the
    inputs hash depends on a fixed order). Votes of anyone or on anything else are left out."""

    def __init__(self, participants: list[uuid.UUID], statements: list[uuid.UUID],
                 indexes: tuple[IdIndex, IdIndex] | None = None) -> None:
        """``indexes``: those of the same two lists, already built (a worker's cache keeps them)."""
        self.participants, self.statements = indexes or (IdIndex(participants), IdIndex(statements))
        self.n_participants, self.n_statements = len(participants), len(statements)
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
        return sort_votes(participant, statement, value, self.n_participants, self.n_statements)


def sort_votes(participant: np.ndarray, statement: np.ndarray, value: np.ndarray, n_participants: int,
               n_statements: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The votes sorted by row, then column."""
    # one sort of a key that carries the value too (row, column, value + 1 in bit fields), rather than
    # an argsort and three gathers; 32 bits while they fit (100,000 × 5,000 does), which sorts faster
    column_bits = max(n_statements - 1, 1).bit_length()
    width = max(n_participants - 1, 1).bit_length() + column_bits + 2
    kind = np.uint32 if width <= 32 else np.uint64
    key = np.left_shift(participant.astype(kind), column_bits + 2)
    key |= np.left_shift(statement.astype(kind), 2)
    key |= (value + 1).astype(kind)
    key.sort()
    row = np.right_shift(key, column_bits + 2).astype(np.int32)
    column = np.bitwise_and(np.right_shift(key, 2), (1 << column_bits) - 1).astype(np.int32)
    return row, column, np.bitwise_and(key, 3).astype(np.int8) - 1
