"""Per-statement and per-clause figures of a proposal version kept apart from its summary.

Each version's `result["statements"]` and `result["clauses"]` become rows of proposal_details, 100 clauses to a
row (server/consolidation/details.py), and the summary keeps their digest under "details" in their place.
Downgrading puts them back in the version's order.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-05 00:15:00.000000
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

# Each listed clause with its statements (the clause, then its amendments, each with its place in the version's
# list), in the version's order; statements of a clause not listed, if any, after every listed one. Then 100
# of them to a row (details.BLOCK), in that order.
MOVE = """
    WITH per_clause AS (
        SELECT COALESCE(c.proposal_id, s.proposal_id) AS proposal_id,
               COALESCE(c.position, (SELECT jsonb_array_length(COALESCE(cp.result -> 'clauses', '[]'::jsonb))
                                     FROM consolidated_proposals cp WHERE cp.id = s.proposal_id) + s.ranks[1]) AS position,
               COALESCE(c.clause_id, s.clause_id)::uuid AS clause_id, c.clause,
               COALESCE(s.statements, '[]'::jsonb) AS statements, COALESCE(s.ranks, '{}'::integer[]) AS ranks
        FROM (SELECT cp.id AS proposal_id, e.value ->> 'clause_id' AS clause_id, e.value AS clause,
                     (e.n - 1)::integer AS position
              FROM consolidated_proposals cp
              CROSS JOIN LATERAL jsonb_array_elements(cp.result -> 'clauses') WITH ORDINALITY AS e(value, n)
              WHERE jsonb_typeof(cp.result -> 'clauses') = 'array') c
        FULL JOIN (
              SELECT cp.id AS proposal_id, e.value ->> 'clause_id' AS clause_id,
                     jsonb_agg(e.value ORDER BY e.n) AS statements,
                     array_agg((e.n - 1)::integer ORDER BY e.n) AS ranks
              FROM consolidated_proposals cp
              CROSS JOIN LATERAL jsonb_array_elements(cp.result -> 'statements') WITH ORDINALITY AS e(value, n)
              WHERE jsonb_typeof(cp.result -> 'statements') = 'array'
              GROUP BY cp.id, e.value ->> 'clause_id') s
          ON s.proposal_id = c.proposal_id AND s.clause_id = c.clause_id
    ), placed AS (
        SELECT *, (row_number() OVER (PARTITION BY proposal_id ORDER BY position) - 1) / 100 AS block,
               row_number() OVER (PARTITION BY proposal_id ORDER BY position) AS place
        FROM per_clause
    )
    INSERT INTO proposal_details (proposal_id, block, clause_ids, clauses, statements, statement_ranks)
    SELECT b.proposal_id, b.block, b.clause_ids, b.clauses,
           COALESCE(st.statements, '[]'::jsonb), COALESCE(st.ranks, '{}'::integer[])
    FROM (SELECT proposal_id, block, array_agg(clause_id ORDER BY place) AS clause_ids,
                 jsonb_agg(clause ORDER BY place) AS clauses
          FROM placed GROUP BY proposal_id, block) b
    LEFT JOIN (SELECT p.proposal_id, p.block, jsonb_agg(e.value ORDER BY p.place, e.n) AS statements,
                      array_agg(p.ranks[e.n] ORDER BY p.place, e.n) AS ranks
               FROM placed p CROSS JOIN LATERAL jsonb_array_elements(p.statements) WITH ORDINALITY AS e(value, n)
               GROUP BY p.proposal_id, p.block) st
      ON st.proposal_id = b.proposal_id AND st.block = b.block
"""
# the digest details.summary_of keeps: counts, the fewest voters behind any group's figure, and per group the
# most voters behind its lack of quorum on a statement
SUMMARIZE = """
    UPDATE consolidated_proposals cp SET result = (cp.result - 'statements' - 'clauses') || jsonb_build_object(
        'details', jsonb_build_object(
            'statements', jsonb_array_length(COALESCE(cp.result -> 'statements', '[]'::jsonb)),
            'clauses', jsonb_array_length(COALESCE(cp.result -> 'clauses', '[]'::jsonb)),
            'fewest_voters', (SELECT min((g.value ->> 'seen')::integer)
                              FROM jsonb_array_elements(COALESCE(cp.result -> 'statements', '[]'::jsonb)) s
                              CROSS JOIN LATERAL jsonb_each(COALESCE(s -> 'groups', '{}'::jsonb)) g),
            'under_heard_voters', (SELECT COALESCE(jsonb_object_agg(x.key, x.most), '{}'::jsonb) FROM (
                SELECT l.key, max(COALESCE((s -> 'groups' -> l.key ->> 'seen')::integer, 0)) AS most
                FROM jsonb_array_elements(COALESCE(cp.result -> 'statements', '[]'::jsonb)) s
                CROSS JOIN LATERAL jsonb_array_elements_text(COALESCE(s -> 'groups_lacking_quorum', '[]'::jsonb))
                    AS l(key)
                GROUP BY l.key) x)))
    WHERE cp.result -> 'statements' IS NOT NULL OR cp.result -> 'clauses' IS NOT NULL
"""
PUT_BACK = """
    UPDATE consolidated_proposals cp SET result = (cp.result - 'details') || jsonb_build_object(
        'statements', COALESCE((SELECT jsonb_agg(s.value ORDER BY d.statement_ranks[s.n])
                                FROM proposal_details d
                                CROSS JOIN LATERAL jsonb_array_elements(d.statements) WITH ORDINALITY AS s(value, n)
                                WHERE d.proposal_id = cp.id), '[]'::jsonb),
        'clauses', COALESCE((SELECT jsonb_agg(c.value ORDER BY d.block, c.n) FROM proposal_details d
                             CROSS JOIN LATERAL jsonb_array_elements(d.clauses) WITH ORDINALITY AS c(value, n)
                             WHERE d.proposal_id = cp.id AND jsonb_typeof(c.value) = 'object'), '[]'::jsonb))
    WHERE cp.result -> 'details' IS NOT NULL
"""


def upgrade() -> None:
    op.create_table('proposal_details',
    sa.Column('proposal_id', sa.UUID(), nullable=False),
    sa.Column('block', sa.Integer(), nullable=False),
    sa.Column('clause_ids', postgresql.ARRAY(sa.UUID()), nullable=False),
    sa.Column('clauses', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('statements', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('statement_ranks', postgresql.ARRAY(sa.Integer()), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['consolidated_proposals.id'],
                            name=op.f('fk_proposal_details_proposal_id_consolidated_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('proposal_id', 'block', name=op.f('pk_proposal_details'))
    )
    op.execute(MOVE)
    op.execute(SUMMARIZE)


def downgrade() -> None:
    op.execute(PUT_BACK)
    op.drop_table('proposal_details')
