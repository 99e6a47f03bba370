"""Per-statement and per-clause figures of a proposal version kept apart from its summary.

Each version's `result["statements"]` and `result["clauses"]` become rows of proposal_clauses, one per
clause (server/consolidation/details.py), and the summary keeps their digest under "details" in their place.
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

# One row per listed clause with its statements (the clause, then its amendments, each with its place in the
# version's list); statements of a clause not listed, if any, in a row of their own after every listed one.
MOVE = """
    INSERT INTO proposal_clauses (proposal_id, position, clause_id, clause, statements, statement_ranks)
    SELECT COALESCE(c.proposal_id, s.proposal_id),
           COALESCE(c.position, (SELECT jsonb_array_length(COALESCE(cp.result -> 'clauses', '[]'::jsonb))
                                 FROM consolidated_proposals cp WHERE cp.id = s.proposal_id) + s.ranks[1]),
           COALESCE(c.clause_id, s.clause_id)::uuid, c.clause,
           COALESCE(s.statements, '[]'::jsonb), COALESCE(s.ranks, '{}'::integer[])
    FROM (SELECT cp.id AS proposal_id, e.value ->> 'clause_id' AS clause_id, e.value AS clause,
                 (e.n - 1)::integer AS position
          FROM consolidated_proposals cp
          CROSS JOIN LATERAL jsonb_array_elements(cp.result -> 'clauses') WITH ORDINALITY AS e(value, n)
          WHERE jsonb_typeof(cp.result -> 'clauses') = 'array') c
    FULL JOIN (
          SELECT cp.id AS proposal_id, e.value ->> 'clause_id' AS clause_id,
                 jsonb_agg(e.value ORDER BY e.n) AS statements, array_agg((e.n - 1)::integer ORDER BY e.n) AS ranks
          FROM consolidated_proposals cp
          CROSS JOIN LATERAL jsonb_array_elements(cp.result -> 'statements') WITH ORDINALITY AS e(value, n)
          WHERE jsonb_typeof(cp.result -> 'statements') = 'array'
          GROUP BY cp.id, e.value ->> 'clause_id') s
      ON s.proposal_id = c.proposal_id AND s.clause_id = c.clause_id
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
        'statements', COALESCE((SELECT jsonb_agg(s.value ORDER BY pc.statement_ranks[s.n])
                                FROM proposal_clauses pc
                                CROSS JOIN LATERAL jsonb_array_elements(pc.statements) WITH ORDINALITY AS s(value, n)
                                WHERE pc.proposal_id = cp.id), '[]'::jsonb),
        'clauses', COALESCE((SELECT jsonb_agg(pc.clause ORDER BY pc.position) FROM proposal_clauses pc
                             WHERE pc.proposal_id = cp.id AND pc.clause IS NOT NULL), '[]'::jsonb))
    WHERE cp.result -> 'details' IS NOT NULL
"""


def upgrade() -> None:
    op.create_table('proposal_clauses',
    sa.Column('proposal_id', sa.UUID(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('clause_id', sa.UUID(), nullable=False),
    sa.Column('clause', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('statements', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('statement_ranks', postgresql.ARRAY(sa.Integer()), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['consolidated_proposals.id'],
                            name=op.f('fk_proposal_clauses_proposal_id_consolidated_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('proposal_id', 'position', name=op.f('pk_proposal_clauses')),
    sa.UniqueConstraint('proposal_id', 'clause_id', name=op.f('uq_proposal_clauses_proposal_id_clause_id'))
    )
    op.execute(MOVE)
    op.execute(SUMMARIZE)


def downgrade() -> None:
    op.execute(PUT_BACK)
    op.drop_table('proposal_clauses')
