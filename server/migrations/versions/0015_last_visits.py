"""What is new since a person's last visit to a round, and the public outcome page.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 21:20:00.000000
"""

from alembic import op
import sqlalchemy as sa

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('last_visits',
    sa.Column('participant_id', sa.UUID(), nullable=False),
    sa.Column('round_id', sa.UUID(), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_last_visits_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_last_visits_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('participant_id', 'round_id', name=op.f('pk_last_visits'))
    )


def downgrade() -> None:
    op.drop_table('last_visits')
