"""Replaying a Pol.is export's timestamped votes through the groups' history.

A live Pol.is conversation's groups are the end of a history: its math worker polled for
new votes about once a second and updated the groups from the last update's (history.py).
The export keeps every vote with its time (votes.csv), so that history can be replayed
and its last groups compared with, or stored instead of, the groups Pol.is exported.

Cadence. Pol.is updated on every poll that found new votes: with its one-second poll, a
busy conversation updated hundreds of times an hour. Replaying every poll costs one
clustering per poll (vtaiwan.uberx: about 40,000), so the replay updates at the end of
each poll window, as Pol.is did, but no more often than every ``growth`` × the votes so
far (1% by default): every poll while a conversation is small, when its groups move most,
and about 100 updates per tenfold growth after that.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .history import GroupsWithHistory, groups_with_history
from .matrix import VoteMatrix, from_votes
from .polis_export import PolisExport

POLL_MS = 1_000  # Pol.is's math poller looked for new votes once a second
GROWTH = 0.01
# Pol.is changed k on the fourth win in a row however small the gap, and moved anyone whom
# k-means moved: the replay does the same, to end where Pol.is ended.
POLIS = {"k_margin": 0.0, "stick": 0.0}


@dataclass(frozen=True)
class VoteLog:
    """Every vote event in time order (re-votes included), on the export's rows; the columns
    are the export's statements, then those moderated out (``hidden``)."""

    participant: np.ndarray
    statement: np.ndarray
    value: np.ndarray
    time_ms: np.ndarray
    n_participants: int
    hidden: np.ndarray  # bool per column

    def matrix(self, n_events: int) -> tuple[VoteMatrix, np.ndarray]:
        """The votes after the first ``n_events`` events as Pol.is's math saw them, and each
        participant's number of votes.

        Pol.is kept the columns of moderated-out statements and set them to 0 for every
        voter (``zero-out-columns``): they carry no opinion but count as votes in the
        projection's sqrt(n_statements / n_votes), and votes on them count towards the 7
        that put someone in conversation. Both are reproduced here.
        """
        n_columns = len(self.hidden)
        latest = from_votes(self.participant[:n_events], self.statement[:n_events],
                            self.value[:n_events], self.n_participants, n_columns)
        counts = latest.votes_per_participant()
        if not self.hidden.any():
            return latest, counts
        shown = ~self.hidden[latest.statement]
        voters = np.flatnonzero(counts > 0)
        hidden_cols = np.flatnonzero(self.hidden & (latest.votes_per_statement() > 0))
        zero_p = np.repeat(voters, len(hidden_cols))
        zero_s = np.tile(hidden_cols, len(voters))
        matrix = from_votes(np.concatenate([latest.participant[shown], zero_p]),
                            np.concatenate([latest.statement[shown], zero_s]),
                            np.concatenate([latest.value[shown], np.zeros(len(zero_p), np.int8)]),
                            self.n_participants, n_columns)
        return matrix, counts


def read_vote_log(folder: str | Path, export: PolisExport) -> VoteLog:
    """votes.csv as events on the export's rows; statements the export leaves out
    (moderated out) become hidden columns after the export's own."""
    row_of = {int(pid): i for i, pid in enumerate(export.participant_ids.tolist())}
    col_of = {int(cid): j for j, cid in enumerate(export.statement_ids.tolist())}
    participant, statement, value, time_ms = [], [], [], []
    with (Path(folder) / "votes.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            person = row_of.get(int(row["voter-id"]))
            if person is None:
                continue
            col = col_of.setdefault(int(row["comment-id"]), len(col_of))
            participant.append(person)
            statement.append(col)
            value.append(int(row["vote"]))
            time_ms.append(int(row["timestamp"]))
    order = np.argsort(np.asarray(time_ms, dtype=np.int64), kind="stable")  # same-ms events keep file order
    hidden = np.arange(len(col_of)) >= len(export.statement_ids)
    return VoteLog(
        participant=np.asarray(participant, dtype=np.int64)[order],
        statement=np.asarray(statement, dtype=np.int64)[order],
        value=np.asarray(value, dtype=np.int8)[order],
        time_ms=np.asarray(time_ms, dtype=np.int64)[order],
        n_participants=export.votes.n_participants,
        hidden=hidden,
    )


def update_points(time_ms: np.ndarray, poll_ms: int = POLL_MS, growth: float = GROWTH) -> list[int]:
    """Event counts after which the replay updates: the end of a poll window (the next vote
    comes more than ``poll_ms`` later) once at least ``growth`` × the votes so far have come
    in since the last update; always the last event."""
    n = len(time_ms)
    if n == 0:
        return []
    window_ends = np.flatnonzero(np.diff(time_ms) > poll_ms) + 1
    points, last = [], 0
    for end in window_ends.tolist():  # one pass over the poll windows
        if end - last >= max(1.0, growth * last):
            points.append(end)
            last = end
    if not points or points[-1] != n:
        points.append(n)
    return points


def replay(log: VoteLog, points: list[int], on_update: Callable[[int, GroupsWithHistory], None] | None = None,
           **params: object) -> GroupsWithHistory:
    """Groups after each update point in turn, each started from the last; returns the final one.
    ``params`` go to history.groups_with_history, over Pol.is's own (``POLIS``)."""
    params = {**POLIS, **params}
    state: GroupsWithHistory | None = None
    for end in points:
        votes, counts = log.matrix(end)
        state = groups_with_history(votes, state.prior if state else None, keep_base=True,
                                    vote_counts=counts, dense_cells=0, **params)  # type: ignore[arg-type]
        if on_update is not None:
            on_update(end, state)
    if state is None:
        return groups_with_history(log.matrix(0)[0], None, keep_base=True, **params)  # type: ignore[arg-type]
    return state
