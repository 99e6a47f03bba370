"""Read a Pol.is export folder (comments.csv, participants-votes.csv) into arrays.

Formats: tests/data/polis/README.md. participants-votes.csv already holds each
participant's final vote per comment (the latest row of votes.csv), so it is read as is.
Comments moderated out (``moderated`` = -1) are dropped, as Ruam never shows rejected
statements; comments that nobody voted on are kept as empty columns.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .matrix import VoteMatrix

# Columns of participants-votes.csv before the one-per-comment vote columns.
_META_COLUMNS = {"participant", "xid", "group-id", "n-comments", "n-votes", "n-agree",
                 "n-disagree"}


@dataclass(frozen=True)
class PolisExport:
    statement_ids: np.ndarray  # Pol.is comment-id per column, ascending
    participant_ids: np.ndarray  # Pol.is participant id per row, file order
    votes: VoteMatrix
    polis_group: np.ndarray  # Pol.is's own group-id per row, -1 where blank


def _read_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def read_polis_export(folder: str | Path) -> PolisExport:
    folder = Path(folder)
    with (folder / "comments.csv").open(newline="", encoding="utf-8") as handle:
        comments = list(csv.DictReader(handle))
    kept = np.array(sorted(int(c["comment-id"]) for c in comments if int(c["moderated"]) != -1),
                    dtype=np.int64)

    header, *rows = _read_rows(folder / "participants-votes.csv")
    first_vote_col = max(i for i, name in enumerate(header) if name in _META_COLUMNS) + 1
    column_ids = np.array([int(c) for c in header[first_vote_col:]], dtype=np.int64)
    group_col = header.index("group-id")

    # Map each vote column to its statement index, or -1 if moderated out / unknown.
    pos = np.searchsorted(kept, column_ids)
    pos_clipped = np.minimum(pos, max(len(kept) - 1, 0))
    found = (pos < len(kept)) & (kept[pos_clipped] == column_ids) if len(kept) else pos < 0
    column_statement = np.where(found, pos_clipped, -1)

    width = len(column_ids)
    cells = np.array(  # short rows (trailing blanks cut off) are padded with blanks
        [(row[first_vote_col:] + [""] * width)[:width] for row in rows], dtype=object
    ).reshape(len(rows), width)
    voted = (cells != "") & (column_statement >= 0)[None, :]
    participant, column = np.nonzero(voted)
    value = cells[participant, column].astype(np.float64).astype(np.int8)
    # Canonical order (participant, statement), whatever the order of the columns.
    order = np.lexsort((column_statement[column], participant))

    votes = VoteMatrix(
        participant=participant[order].astype(np.int32),
        statement=column_statement[column][order].astype(np.int32),
        value=value[order],
        n_participants=len(rows),
        n_statements=len(kept),
    )
    polis_group = np.array([int(r[group_col]) if r[group_col] != "" else -1 for r in rows],
                           dtype=np.int64)
    return PolisExport(
        statement_ids=kept,
        participant_ids=np.array([int(r[0]) for r in rows], dtype=np.int64),
        votes=votes,
        polis_group=polis_group,
    )
