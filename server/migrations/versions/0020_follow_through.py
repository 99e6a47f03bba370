"""Follow-through: commitments flagged when overdue or silent, per-round settings.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04 22:05:00.000000
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # the flags the worker last recorded, so that becoming overdue or stale is told once
    op.add_column('commitments', sa.Column('flags', postgresql.ARRAY(sa.String(length=12)),
                                           server_default='{}', nullable=False))
    op.create_table('commitment_settings',
    sa.Column('round_id', sa.UUID(), nullable=False),
    sa.Column('stale_after_days', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('stale_after_days BETWEEN 1 AND 730', name=op.f('ck_commitment_settings_stale_after_days')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_commitment_settings_round_id_rounds'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', name=op.f('pk_commitment_settings'))
    )


def downgrade() -> None:
    op.drop_table('commitment_settings')
    op.drop_column('commitments', 'flags')
