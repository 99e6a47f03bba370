"""Consolidation results cheap to read: per-participant opinion-group membership kept apart from a proposal's summary.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04 22:30:00.000000
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

# A stored version keyed each clustered person by their external id (imported rounds) or else their id, as
# compute.py did; among the round's members that key names one person. A list is moved only whole: one
# naming someone no longer in the round stays in the JSON, where the readers still find it
# (server/consolidation/memberships.py).
MOVE = """
    INSERT INTO proposal_memberships (proposal_id, participant_ids, opinion_groups)
    SELECT cp.id, array_agg(m.participant_id ORDER BY m.participant_id),
           array_agg(e.value::smallint ORDER BY m.participant_id)
    FROM consolidated_proposals cp
    CROSS JOIN LATERAL jsonb_each_text(cp.result -> 'opinion_groups') AS e(key, value)
    JOIN memberships m ON m.round_id = cp.round_id
    JOIN participants p ON p.id = m.participant_id AND COALESCE(p.external_id, p.id::text) = e.key
    WHERE jsonb_typeof(cp.result -> 'opinion_groups') = 'object'
    GROUP BY cp.id
    HAVING count(*) = (SELECT count(*) FROM jsonb_object_keys(cp.result -> 'opinion_groups'))
    ON CONFLICT DO NOTHING
"""
STRIP = """
    UPDATE consolidated_proposals cp SET result = cp.result - 'opinion_groups'
    WHERE cp.result -> 'opinion_groups' = '{}'::jsonb
       OR EXISTS (SELECT 1 FROM proposal_memberships pm WHERE pm.proposal_id = cp.id)
"""
PUT_BACK = """
    UPDATE consolidated_proposals cp SET result = cp.result || jsonb_build_object('opinion_groups', g.members)
    FROM (SELECT pm.proposal_id,
                 jsonb_object_agg(COALESCE(p.external_id, p.id::text), m.opinion_group) AS members
          FROM proposal_memberships pm
          CROSS JOIN LATERAL unnest(pm.participant_ids, pm.opinion_groups) AS m(participant_id, opinion_group)
          JOIN participants p ON p.id = m.participant_id
          GROUP BY pm.proposal_id) g
    WHERE g.proposal_id = cp.id
"""


def upgrade() -> None:
    op.create_table('proposal_memberships',
    sa.Column('proposal_id', sa.UUID(), nullable=False),
    sa.Column('participant_ids', postgresql.ARRAY(sa.UUID()), nullable=False),
    sa.Column('opinion_groups', postgresql.ARRAY(sa.SmallInteger()), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['consolidated_proposals.id'],
                            name=op.f('fk_proposal_memberships_proposal_id_consolidated_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('proposal_id', name=op.f('pk_proposal_memberships'))
    )
    op.execute(MOVE)
    op.execute(STRIP)


def downgrade() -> None:
    op.execute("UPDATE consolidated_proposals SET result = result || '{\"opinion_groups\": {}}'::jsonb "
               "WHERE result -> 'opinion_groups' IS NULL")
    op.execute(PUT_BACK)
    op.drop_table('proposal_memberships')
