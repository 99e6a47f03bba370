"""Commitments on published clauses, their append-only updates, and members' checks of delivery.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 02:20:00.000000
"""

from alembic import op
import sqlalchemy as sa

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

STATUSES = "('pending', 'accepted', 'in_progress', 'done', 'rejected')"


def upgrade() -> None:
    op.create_table('commitments',
    sa.Column('round_id', sa.UUID(), nullable=False),
    sa.Column('clause_id', sa.UUID(), nullable=False),
    sa.Column('agency', sa.String(length=200), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('reason', sa.String(), nullable=True),
    sa.Column('created_by_id', sa.UUID(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint(f"status IN {STATUSES}", name=op.f('ck_commitments_status')),
    sa.CheckConstraint("status <> 'rejected' OR length(btrim(coalesce(reason, ''))) > 0",
                       name=op.f('ck_commitments_rejected_reason')),
    sa.ForeignKeyConstraint(['clause_id'], ['clauses.id'], name=op.f('fk_commitments_clause_id_clauses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['participants.id'], name=op.f('fk_commitments_created_by_id_participants')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_commitments_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitments')),
    sa.UniqueConstraint('clause_id', 'agency', name=op.f('uq_commitments_clause_id_agency'))
    )
    op.create_index(op.f('ix_commitments_round_id'), 'commitments', ['round_id'], unique=False)
    op.create_table('commitment_updates',
    sa.Column('commitment_id', sa.UUID(), nullable=False),
    sa.Column('previous_status', sa.String(length=12), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('note', sa.String(), nullable=False),
    sa.Column('evidence_url', sa.String(), nullable=True),
    sa.Column('recorded_by_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint(f"status IN {STATUSES}", name=op.f('ck_commitment_updates_status')),
    sa.CheckConstraint(f"previous_status IS NULL OR previous_status IN {STATUSES}",
                       name=op.f('ck_commitment_updates_previous_status')),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitments.id'], name=op.f('fk_commitment_updates_commitment_id_commitments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['participants.id'], name=op.f('fk_commitment_updates_recorded_by_id_participants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitment_updates'))
    )
    op.create_index(op.f('ix_commitment_updates_commitment_id'), 'commitment_updates', ['commitment_id'], unique=False)
    op.create_table('commitment_checks',
    sa.Column('commitment_id', sa.UUID(), nullable=False),
    sa.Column('participant_id', sa.UUID(), nullable=False),
    sa.Column('answer', sa.String(length=16), nullable=False),
    sa.Column('comment', sa.String(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("answer IN ('delivered', 'partly', 'not_delivered')", name=op.f('ck_commitment_checks_answer')),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitments.id'], name=op.f('fk_commitment_checks_commitment_id_commitments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_commitment_checks_participant_id_participants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitment_checks')),
    sa.UniqueConstraint('commitment_id', 'participant_id', name=op.f('uq_commitment_checks_commitment_id_participant_id'))
    )
    op.create_index(op.f('ix_commitment_checks_participant_id'), 'commitment_checks', ['participant_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_commitment_checks_participant_id'), table_name='commitment_checks')
    op.drop_table('commitment_checks')
    op.drop_index(op.f('ix_commitment_updates_commitment_id'), table_name='commitment_updates')
    op.drop_table('commitment_updates')
    op.drop_index(op.f('ix_commitments_round_id'), table_name='commitments')
    op.drop_table('commitments')
