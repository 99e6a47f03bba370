"""Everything consolidation reads about a round, taken from PostgreSQL in a few bulk queries.

Votes come out through binary COPY as they lie in the table, straight into numpy arrays: no row
objects and no Python loop per vote, which is what keeps a 5-million-vote round within seconds.
Their participant and statement ids become row and column numbers here, in numpy (votes_index.py),
not by a join in PostgreSQL: a join's plan depends on statistics, and on a freshly imported round
the planner, expecting a dozen members, scanned every vote of the round once per member (6 s for
2,000 × 900). A scan of one table by one column has no plan to get wrong.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from server.consolidation.matrix import VoteMatrix
from server.consolidation.vote_cache import CachedVotes, VoteCache, catchup, merge
from server.consolidation.votes_index import VoteReader
from server.database import driver_connection
from server.deliberation import comment_rules
from server.needs import rules as need_rules

# Statements are a round's current clauses, then their amendments, each in a fixed order. Earlier versions
# of a clause (and clauses withdrawn) keep their votes in the database, but are no longer part of what is
# proposed: a vote on an earlier text says nothing about the new one (drafts/rules.py).
STATEMENTS = """
    SELECT s.id, s.clause_id, s.kind, s.external_id, s.text, s.draft_id, s.position
    FROM (
        SELECT c.id, c.id AS clause_id, 'clause' AS kind, c.external_id, c.text, c.draft_id, c.position,
               0 AS sort_kind, d.created_at AS sort_time, d.id AS sort_draft
        FROM clauses c JOIN drafts d ON d.id = c.draft_id
        WHERE c.round_id = :round_id AND d.status = 'open' AND c.status = 'current'
        UNION ALL
        SELECT a.id, a.clause_id, 'amendment', NULL, a.text, c.draft_id, c.position,
               1, a.created_at, a.id
        FROM amendments a JOIN clauses c ON c.id = a.clause_id JOIN drafts d ON d.id = c.draft_id
        WHERE a.round_id = :round_id AND d.status = 'open' AND c.status = 'current'
    ) s
    ORDER BY s.sort_kind, s.sort_time, s.sort_draft, s.position, s.id
"""

PARTICIPANTS = """
    SELECT m.participant_id, p.external_id, COALESCE(g.key, '') AS group_key
    FROM memberships m
    JOIN participants p ON p.id = m.participant_id
    LEFT JOIN stakeholder_groups g ON g.id = m.group_id
    WHERE m.round_id = $1 AND m.group_id IS NOT NULL
    ORDER BY m.participant_id
"""

# Every vote of the round; which of them count (members in a group, current statements) is decided
# by the arrays they are matched against. COALESCE is never NULL: every vote has its clause.
VOTES_COPY = "SELECT participant_id, COALESCE(amendment_id, clause_id), value FROM votes WHERE round_id = $1"
# The votes a snapshot ($2) did not see (vote_cache.py), and every vote of the people in $3. Both halves of the
# OR have an index (ix_votes_round_changed, uq_votes_participant_target).
VOTES_SINCE_COPY = """
    SELECT participant_id, COALESCE(amendment_id, clause_id), value FROM votes
    WHERE round_id = $1 AND ((changed_xid >= pg_snapshot_xmin($2::text::pg_snapshot)
                              AND NOT pg_visible_in_snapshot(changed_xid, $2::text::pg_snapshot))
                             OR participant_id = ANY($3::uuid[]))
"""
DELETED_SINCE = """
    SELECT EXISTS (SELECT 1 FROM vote_deletions WHERE round_id = :round_id
                   AND xid >= pg_snapshot_xmin(CAST(CAST(:snapshot AS text) AS pg_snapshot))
                   AND NOT pg_visible_in_snapshot(xid, CAST(CAST(:snapshot AS text) AS pg_snapshot)))
"""


@dataclass
class RoundInputs:
    round_id: uuid.UUID
    threshold: float
    group_keys: list[str]
    group_quorum: np.ndarray
    participant_ids: list[uuid.UUID]
    participant_external: list[str | None]
    participant_group: np.ndarray  # index into group_keys per participant
    statement_ids: list[uuid.UUID]
    statement_clause: list[uuid.UUID]  # the clause itself, or the clause an amendment amends
    statement_kind: list[str]
    statement_external: list[str | None]
    statement_text: list[str]
    votes: VoteMatrix
    comments: list[dict[str, Any]] = field(default_factory=list)
    needs: list[dict[str, Any]] = field(default_factory=list)
    clause_needs: list[tuple[uuid.UUID, uuid.UUID]] = field(default_factory=list)
    last_event_id: uuid.UUID | None = None

    def digest(self) -> str:
        """sha256 of everything the result depends on, in a fixed order."""
        h = hashlib.sha256()
        h.update(f"{self.threshold}|{self.group_keys}|{self.group_quorum.tolist()}".encode())
        for ids in (self.participant_ids, self.statement_ids, self.statement_clause):
            h.update(b"".join(i.bytes for i in ids))
        h.update(self.participant_group.astype("<i4").tobytes())
        for array in (self.votes.participant, self.votes.statement, self.votes.value):
            h.update(np.ascontiguousarray(array).tobytes())
        for c in self.comments:
            h.update(f"{c['id']}|{c['clause_id']}|{c['stance']}|{c['body']}".encode())
        for n in self.needs:
            h.update(f"{n['id']}|{n['status']}".encode())
        for pair in self.clause_needs:
            h.update(pair[0].bytes + pair[1].bytes)
        return h.hexdigest()

    def counts(self) -> dict[str, int]:
        return {"participants": len(self.participant_ids), "statements": len(self.statement_ids),
                "votes": self.votes.n_votes, "comments": len(self.comments), "needs": len(self.needs)}


async def load_inputs(session: AsyncSession, round_id: uuid.UUID, cache: VoteCache | None = None) -> RoundInputs:
    """Reads the round in a few statements. Under READ COMMITTED they may see a vote or two that
    arrived in between (a vote for a statement read after the statements is left out); the inputs
    hash says exactly what was read, and the next recompute includes the rest.

    With a `cache` (a worker's), only the votes written since its last read of the round are read."""
    params = {"round_id": round_id}
    round_row = (await session.execute(text("SELECT threshold FROM rounds WHERE id = :round_id"), params)).one()
    groups = (await session.execute(text(
        "SELECT key, quorum FROM stakeholder_groups WHERE round_id = :round_id ORDER BY key"), params)).all()
    group_index = {key: i for i, (key, _) in enumerate(groups)}
    # a round's members can be 100,000: fetched by the driver, without a SQLAlchemy row each (0.5 s at that size)
    people = await (await driver_connection(session)).fetch(PARTICIPANTS, round_id)
    statements = (await session.execute(text(STATEMENTS), params)).all()

    participant_ids = [row[0] for row in people]
    statement_ids = [row.id for row in statements]
    participant, statement, value = await _votes(session, round_id, participant_ids, statement_ids, cache)

    # a proposal is read by everyone: it is made of what everyone may read (the comments' and needs' rules)
    comments = [dict(row._mapping) for row in (await session.execute(text(
        "SELECT id, clause_id, stance, body, author_id FROM comments WHERE round_id = :round_id "
        "AND clause_id IS NOT NULL AND moderation = ANY(:shown) ORDER BY id"),
        {**params, "shown": list(comment_rules.SHOWN_TO_EVERYONE)}))]
    needs = [dict(row._mapping) for row in (await session.execute(text(
        "SELECT n.id, n.title, n.status, n.community_id, g.key AS group_key, n.area_code, n.sector_code "
        "FROM needs n LEFT JOIN stakeholder_groups g ON g.id = n.group_id "
        "WHERE n.round_id = :round_id AND n.status = ANY(:shown) ORDER BY n.id"),
        {**params, "shown": list(need_rules.SHOWN_TO_EVERYONE)}))]
    links = (await session.execute(text(
        "SELECT cn.clause_id, cn.need_id FROM clause_needs cn JOIN clauses c ON c.id = cn.clause_id "
        "WHERE c.round_id = :round_id ORDER BY 1, 2"), params)).all()
    last_event = await session.scalar(text(
        "SELECT id FROM events WHERE round_id = :round_id ORDER BY id DESC LIMIT 1"), params)

    return RoundInputs(
        round_id=round_id,
        threshold=float(round_row.threshold),
        group_keys=[key for key, _ in groups],
        group_quorum=np.array([q for _, q in groups], dtype=np.int64),
        participant_ids=participant_ids,
        participant_external=[row[1] for row in people],
        participant_group=np.array([group_index.get(row[2], -1) for row in people], dtype=np.int64),
        statement_ids=statement_ids,
        statement_clause=[row.clause_id for row in statements],
        statement_kind=[row.kind for row in statements],
        statement_external=[row.external_id for row in statements],
        statement_text=[row.text for row in statements],
        votes=VoteMatrix(participant, statement, value, len(participant_ids), len(statement_ids)),
        comments=comments,
        needs=needs,
        clause_needs=[(a, b) for a, b in links],
        last_event_id=last_event,
    )


async def _votes(session: AsyncSession, round_id: uuid.UUID, participant_ids: list[uuid.UUID],
                 statement_ids: list[uuid.UUID], cache: VoteCache | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    raw = await driver_connection(session)
    # before the read: whatever it does not see, the next read since this snapshot will
    snapshot = await session.scalar(text("SELECT pg_current_snapshot()::text")) if cache is not None else None
    plan = catchup(cache.get(round_id), participant_ids, statement_ids) if cache is not None else None
    if plan is not None and await session.scalar(text(DELETED_SINCE), {"round_id": round_id,
                                                                      "snapshot": plan.cached.snapshot}):
        plan = None
    reader = VoteReader(participant_ids, statement_ids, plan.cached.indexes if plan and plan.same_rows else None)
    if plan is None:
        await raw.copy_from_query(VOTES_COPY, round_id, output=reader.feed, format="binary")
        votes = reader.finish()
    else:
        await raw.copy_from_query(VOTES_SINCE_COPY, round_id, plan.cached.snapshot, plan.new_participants,
                                  output=reader.feed, format="binary")
        votes = merge(plan, participant_ids, statement_ids, reader.finish())
    if cache is not None and snapshot is not None:
        cache.reads["full" if plan is None else "since"] += 1
        cache.keep(round_id, CachedVotes(snapshot, participant_ids, statement_ids, *votes,
                                         indexes=(reader.participants, reader.statements)))
    return votes
