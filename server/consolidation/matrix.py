"""The participant × statement vote matrix, kept sparse.

A round can have 100,000 participants and 5,000 statements with about 1% of the cells
voted, so the matrix is never materialised densely: it is three parallel arrays (one
entry per final vote) plus its shape. Everything downstream (support counts, PCA,
repness) works from these arrays with ``np.bincount`` or ``scipy.sparse``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

AGREE = 1
PASS = 0
DISAGREE = -1


@dataclass(frozen=True)
class VoteMatrix:
    """Final votes only: at most one entry per (participant, statement).

    Values follow the Pol.is export convention: 1 agree, -1 disagree, 0 pass. (Pol.is's
    math internally flips the sign; only the export convention is used here.)
    """

    participant: np.ndarray  # int32 row index per vote
    statement: np.ndarray  # int32 column index per vote
    value: np.ndarray  # int8 in {-1, 0, 1}
    n_participants: int
    n_statements: int

    def __post_init__(self) -> None:
        n = len(self.value)
        if len(self.participant) != n or len(self.statement) != n:
            raise ValueError("participant, statement and value must have the same length")
        if n and (
            self.participant.min() < 0
            or self.participant.max() >= self.n_participants
            or self.statement.min() < 0
            or self.statement.max() >= self.n_statements
        ):
            raise ValueError("vote index outside the matrix shape")
        if n and np.abs(self.value.astype(np.int16)).max() > 1:
            raise ValueError("vote values must be -1, 0 or 1")

    @property
    def n_votes(self) -> int:
        return len(self.value)

    def votes_per_participant(self) -> np.ndarray:
        """Number of statements each participant voted on (passes included)."""
        return np.bincount(self.participant, minlength=self.n_participants)

    def votes_per_statement(self) -> np.ndarray:
        """Number of distinct voters on each statement (passes included)."""
        return np.bincount(self.statement, minlength=self.n_statements)

    def to_csr(self, data: np.ndarray | None = None) -> sp.csr_matrix:
        """Sparse CSR matrix with ``data`` (default: the vote values) at the voted cells.

        Indices are sorted so that sparse products sum in a fixed order: the same set of
        votes gives bit-identical results whatever order the votes arrived in.
        """
        values = self.value.astype(np.float64) if data is None else data
        mat = sp.csr_matrix(
            (values, (self.participant, self.statement)),
            shape=(self.n_participants, self.n_statements),
        )
        mat.sort_indices()
        return mat


def from_votes(
    participant: np.ndarray,
    statement: np.ndarray,
    value: np.ndarray,
    n_participants: int | None = None,
    n_statements: int | None = None,
) -> VoteMatrix:
    """Build a VoteMatrix from a vote event log, keeping each pair's latest vote.

    Events must be in chronological order (a re-vote replaces the earlier vote, as in
    Pol.is). The result is sorted by (participant, statement), a canonical order.
    """
    participant = np.asarray(participant, dtype=np.int64)
    statement = np.asarray(statement, dtype=np.int64)
    value = np.asarray(value)
    if n_participants is None:
        n_participants = int(participant.max()) + 1 if len(participant) else 0
    if n_statements is None:
        n_statements = int(statement.max()) + 1 if len(statement) else 0
    n_p, n_s = n_participants, n_statements
    key = participant * max(n_s, 1) + statement
    # np.unique on the reversed log gives, per key, the position of its last event.
    _, first_in_reversed = np.unique(key[::-1], return_index=True)
    last = len(key) - 1 - first_in_reversed
    return VoteMatrix(
        participant=participant[last].astype(np.int32),
        statement=statement[last].astype(np.int32),
        value=value[last].astype(np.int8),
        n_participants=n_p,
        n_statements=n_s,
    )


def column_means(votes: VoteMatrix) -> np.ndarray:
    """Mean of the observed votes per statement (passes count as 0); 0 where nobody voted.

    This is the value Pol.is imputes for missing votes before its PCA.
    """
    total = np.bincount(votes.statement, weights=votes.value, minlength=votes.n_statements)
    count = votes.votes_per_statement()
    means: np.ndarray = np.divide(total, count, out=np.zeros(votes.n_statements), where=count > 0)
    return means
