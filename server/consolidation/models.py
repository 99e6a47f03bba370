"""Stored consolidation results: one row per version of a round's proposal (its summary), and apart from it
which opinion group each person was placed in and, per clause, the figures and texts behind the summary."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, SmallInteger, String, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from server.database import Base, HasId, Timestamped


class ConsolidatedProposal(HasId, Timestamped, Base):
    __tablename__ = "consolidated_proposals"
    __table_args__ = (UniqueConstraint("round_id", "version"),)

    round_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    version: Mapped[int]
    algorithm_version: Mapped[str] = mapped_column(String(20))
    parameters: Mapped[dict[str, Any]] = mapped_column(JSONB)
    # sha256 of the inputs: the same inputs give the same result, so an unchanged hash stores nothing new
    inputs_hash: Mapped[str] = mapped_column(String(64))
    last_event_id: Mapped[uuid.UUID | None]
    input_counts: Mapped[dict[str, int]] = mapped_column(JSONB)
    # the summary: everything but the per-statement and per-clause parts, which are in ProposalDetails (details.py)
    result: Mapped[dict[str, Any]] = mapped_column(JSONB)
    changes: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    published_at: Mapped[datetime | None]


class ProposalMembership(Base):
    """Who one version placed in which opinion group: one row per version, two arrays in step (the people
    not clustered are not in them).

    Kept out of the version's `result`, which every page and the API read whole and which would otherwise
    grow with the number of people (4.3 of 11.7 MB for 100,000 people); only a person's own group and the
    full listing need it (memberships.py). Arrays rather than a row per person: PostgreSQL compresses them
    to about 0.4 MB for 100,000 people, where rows take about 12 MB, for every version stored. Versions
    stored before it existed keep theirs in `result["opinion_groups"]` unless migration 0022 moved it; the
    readers look there first."""

    __tablename__ = "proposal_memberships"

    proposal_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("consolidated_proposals.id", ondelete="CASCADE"), primary_key=True)
    participant_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID(as_uuid=True)))
    opinion_groups: Mapped[list[int]] = mapped_column(ARRAY(SmallInteger))
    # What the next version's groups start from (history.py), so that whichever worker computes it gets the
    # same: each clustered person's base cluster, in step with participant_ids, and the two principal axes
    # (float64, 2 × len(axis_statement_ids), row-major) over the statements named. NULL in older versions.
    base_clusters: Mapped[list[int] | None] = mapped_column(ARRAY(SmallInteger))
    axis_statement_ids: Mapped[list[uuid.UUID] | None] = mapped_column(ARRAY(UUID(as_uuid=True)))
    axes: Mapped[bytes | None]


class ProposalDetails(Base):
    """A block of a version's clauses (details.BLOCK of them, in the version's order): what was adopted for each
    (`clauses`: the text, whether amended, the needs it answers, the voices for and against; in step with
    `clause_ids`) and the figures of their statements, each clause then its amendments, per declared and
    opinion group (`statements`, each at `statement_ranks`' place in the version's list of statements).

    Kept out of the version's summary, which every page and the API read: for 5,000 clauses these parts were
    7.3 of its 8.7 MB. In blocks rather than one value, so that a page of the report or a few clauses read
    their blocks only; rather than a row per clause, so that TOAST compresses each block as a whole (a row per
    clause took 7 times the disk: benchmarks/README.md). `clause_ids` (1.6 kB) stays in the row once the
    two large values have gone to TOAST: finding a clause's block or the report's reading order reads no detail. A clause entry is null where the block holds
    only amendments of a clause the version did not list, which no version computed since amendments follow
    their clause has."""

    __tablename__ = "proposal_details"

    proposal_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("consolidated_proposals.id", ondelete="CASCADE"), primary_key=True)
    block: Mapped[int] = mapped_column(Integer, primary_key=True)
    clause_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID(as_uuid=True)))
    clauses: Mapped[list[dict[str, Any] | None]] = mapped_column(JSONB)
    statements: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    statement_ranks: Mapped[list[int]] = mapped_column(ARRAY(Integer))


class ConsolidationMark(Base):
    """Whether a round's proposal is behind its inputs: the worker's to-do list, kept in PostgreSQL.

    The outbox relay counts `asked` up once for every input event it publishes (in the same transaction);
    a recompute records the count it read in `done` (in the transaction that stores its proposal). The round
    is due while asked > done. Nothing in Redis can hide that: no job id, result or in-progress key stands
    between a round and its next recompute, and a worker that dies mid-run leaves the mark as it was."""

    __tablename__ = "consolidation_marks"
    __table_args__ = (Index("ix_consolidation_marks_due", "due_at", postgresql_where=text("asked > done")),)

    round_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    asked: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    done: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    dirty_since: Mapped[datetime | None]  # the oldest input the latest proposal may not include yet
    due_at: Mapped[datetime | None]  # dirty_since plus the debounce: when a worker takes it
    computed_at: Mapped[datetime | None]
    duration_ms: Mapped[int | None]
