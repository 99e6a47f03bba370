"""One person across rounds: a personal re-entry card, and what the My data page needs.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 21:20:00.000000
"""

from alembic import op
import sqlalchemy as sa

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('re_entry_cards',
    sa.Column('participant_id', sa.UUID(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('issued_by_id', sa.UUID(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['issued_by_id'], ['participants.id'], name=op.f('fk_re_entry_cards_issued_by_id_participants')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_re_entry_cards_participant_id_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_re_entry_cards')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_re_entry_cards_code_hash'))
    )
    op.create_index(op.f('ix_re_entry_cards_participant_id'), 're_entry_cards', ['participant_id'], unique=False)
    op.create_index('uq_re_entry_cards_standing', 're_entry_cards', ['participant_id'], unique=True,
                    postgresql_where=sa.text('revoked_at IS NULL'))


def downgrade() -> None:
    op.drop_index('uq_re_entry_cards_standing', table_name='re_entry_cards', postgresql_where=sa.text('revoked_at IS NULL'))
    op.drop_index(op.f('ix_re_entry_cards_participant_id'), table_name='re_entry_cards')
    op.drop_table('re_entry_cards')
