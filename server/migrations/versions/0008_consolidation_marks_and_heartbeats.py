"""Consolidation marks (a round's proposal behind its inputs, kept in PostgreSQL) and workers' heartbeats.

Every existing round is marked once, so that a round whose recompute was waiting in Redis at the upgrade
is recomputed (a round whose inputs did not change stores nothing new).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 18:40:00.000000
"""

from alembic import op
import sqlalchemy as sa

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'consolidation_marks',
        sa.Column('round_id', sa.Uuid(), nullable=False),
        sa.Column('asked', sa.BigInteger(), server_default='0', nullable=False),
        sa.Column('done', sa.BigInteger(), server_default='0', nullable=False),
        sa.Column('dirty_since', sa.DateTime(timezone=True), nullable=True),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('computed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('duration_ms', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_consolidation_marks_round_id_rounds'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('round_id', name=op.f('pk_consolidation_marks')),
    )
    op.create_index('ix_consolidation_marks_due', 'consolidation_marks', ['due_at'], unique=False,
                    postgresql_where=sa.text('asked > done'))
    op.create_table(
        'worker_heartbeats',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('host', sa.String(length=255), nullable=False),
        sa.Column('pid', sa.Integer(), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('beat_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('redis_ok', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_worker_heartbeats')),
    )
    op.execute("INSERT INTO consolidation_marks (round_id, asked, done, dirty_since, due_at) "
               "SELECT id, 1, 0, now(), now() FROM rounds")


def downgrade() -> None:
    op.drop_table('worker_heartbeats')
    op.drop_index('ix_consolidation_marks_due', table_name='consolidation_marks',
                  postgresql_where=sa.text('asked > done'))
    op.drop_table('consolidation_marks')
