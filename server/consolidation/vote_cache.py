"""A worker's copy of each round's votes, brought up to date by reading only what was written since.

Re-reading every vote of a 5-million-vote round costs seconds (PostgreSQL scans and sends 240 MB) while a
recompute after a few thousand new votes needs only those. So a worker keeps, per round, the vote matrix it
last read and the snapshot (`pg_current_snapshot()`) taken just before that read. The next read asks
PostgreSQL for the votes whose writing transaction that snapshot did not see (each vote keeps it in
`changed_xid`, set by a trigger: migration 0026). That is exact where a timestamp or an id is not: a
transaction that began before the last read and commits after it is not visible in its snapshot, so its
votes come with the next read, whatever their ids or times.

Also read whole again: the votes of people who were not in the matrix before (a member newly placed in a
group may have voted already), and everything when a statement joined the matrix or a vote was deleted
(vote_deletions). A vote read twice (committed between the snapshot and the read) is the same vote twice.

`merge` gives the arrays a full read would give, in the same order (tests/consolidation/test_vote_cache.py
compares them after every kind of change); the inputs hash proves it for each version.
"""

from __future__ import annotations

import uuid
from collections import Counter, OrderedDict
from dataclasses import dataclass

import numpy as np

from server.consolidation.votes_index import IdIndex, halves, sort_votes

# At 9 bytes a vote, with its ids and the read's working copies about 12, 10 M votes is some 120 MB of a worker:
# two rounds of 5 M votes, or many small ones (the setting CONSOLIDATION_CACHE_VOTES).
MAX_VOTES = 10_000_000


@dataclass(frozen=True)
class CachedVotes:
    snapshot: str  # pg_current_snapshot() taken before the read that gave these votes
    participant_ids: list[uuid.UUID]
    statement_ids: list[uuid.UUID]
    participant: np.ndarray  # row, column and value per vote, sorted by row then column
    statement: np.ndarray
    value: np.ndarray
    indexes: tuple[IdIndex, IdIndex]  # of participant_ids and statement_ids, for the next read's matching

    def same_rows(self, participant_ids: list[uuid.UUID], statement_ids: list[uuid.UUID]) -> bool:
        return participant_ids == self.participant_ids and statement_ids == self.statement_ids


@dataclass(frozen=True)
class Catchup:
    """What a read since `cached` must ask for beyond the votes written since its snapshot."""

    cached: CachedVotes
    new_participants: list[uuid.UUID]  # not in the cached matrix: all their votes
    same_rows: bool  # the same participants and statements, in the same order: nothing to renumber


def catchup(cached: CachedVotes | None, participant_ids: list[uuid.UUID],
            statement_ids: list[uuid.UUID]) -> Catchup | None:
    """How to bring `cached` up to these rows and columns; None when only a full read will do (nothing cached,
    or a statement the cached matrix has no column for)."""
    if cached is None:
        return None
    if cached.same_rows(participant_ids, statement_ids):  # most reads
        return Catchup(cached, [], same_rows=True)
    if set(statement_ids) - set(cached.statement_ids):
        return None
    known = set(cached.participant_ids)
    return Catchup(cached, [p for p in participant_ids if p not in known], same_rows=False)


def _positions(old: list[uuid.UUID], new: list[uuid.UUID]) -> np.ndarray:
    """Each old id's position among the new ids, -1 where it is gone."""
    if not old:
        return np.zeros(0, dtype=np.int32)
    if not new:
        return np.full(len(old), -1, dtype=np.int32)
    hi, lo = halves(old)
    return IdIndex(new).find(hi, lo)


def merge(plan: Catchup, participant_ids: list[uuid.UUID], statement_ids: list[uuid.UUID],
          since: tuple[np.ndarray, np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The cached votes moved to the new rows and columns (people and statements no longer there left out),
    with the votes read since (already numbered against the new rows and columns) written over them."""
    cached = plan.cached
    n_s = max(len(statement_ids), 1)
    if plan.same_rows:
        row, column, value = cached.participant, cached.statement, cached.value
        key = row.astype(np.int64) * n_s + column
    else:
        row_of = _positions(cached.participant_ids, participant_ids)
        column_of = _positions(cached.statement_ids, statement_ids)
        row = row_of[cached.participant] if len(cached.participant) else cached.participant
        column = column_of[cached.statement] if len(cached.statement) else cached.statement
        keep = (row >= 0) & (column >= 0)
        row, column, value = row[keep], column[keep], cached.value[keep]
        key = row.astype(np.int64) * n_s + column
        if len(key) > 1 and not bool((key[1:] > key[:-1]).all()):  # a clause moved: columns changed order
            row, column, value = sort_votes(row, column, value, len(participant_ids), len(statement_ids))
            key = row.astype(np.int64) * n_s + column
    new_row, new_column, new_value = since
    if not len(new_value):
        return row, column, value
    new_key = new_row.astype(np.int64) * n_s + new_column
    at = np.searchsorted(key, new_key)
    found = at < len(key)
    found[found] = key[at[found]] == new_key[found]
    value = value.copy()
    value[at[found]] = new_value[found]
    fresh = ~found
    # positions in the old arrays, ascending because new_key is sorted: np.insert keeps the order
    return (np.insert(row, at[fresh], new_row[fresh]), np.insert(column, at[fresh], new_column[fresh]),
            np.insert(value, at[fresh], new_value[fresh]))


class VoteCache:
    """The rounds a worker read last, least recently used first out, at most `max_votes` votes in all."""

    def __init__(self, max_votes: int = MAX_VOTES) -> None:
        self.max_votes = max_votes
        self.rounds: OrderedDict[uuid.UUID, CachedVotes] = OrderedDict()
        self.reads: Counter[str] = Counter()  # "full" and "since": how each read went

    def get(self, round_id: uuid.UUID) -> CachedVotes | None:
        found = self.rounds.get(round_id)
        if found is not None:
            self.rounds.move_to_end(round_id)
        return found

    def keep(self, round_id: uuid.UUID, votes: CachedVotes) -> None:
        self.rounds.pop(round_id, None)
        if len(votes.value) > self.max_votes:
            return
        self.rounds[round_id] = votes
        while sum(len(v.value) for v in self.rounds.values()) > self.max_votes:
            self.rounds.popitem(last=False)
