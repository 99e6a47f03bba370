"""API tokens for integrators and invite codes for joining a round.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 22:26:43.232311
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('api_tokens',
    sa.Column('participant_id', sa.UUID(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('scopes', postgresql.ARRAY(sa.String(length=20)), nullable=False),
    sa.Column('created_by_id', sa.UUID(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("scopes <@ ARRAY['read','participate','facilitate','admin']::varchar[]", name=op.f('ck_api_tokens_scopes')),
    sa.ForeignKeyConstraint(['created_by_id'], ['participants.id'], name=op.f('fk_api_tokens_created_by_id_participants')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_api_tokens_participant_id_participants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    op.create_index(op.f('ix_api_tokens_participant_id'), 'api_tokens', ['participant_id'], unique=False)
    op.create_table('invite_codes',
    sa.Column('round_id', sa.UUID(), nullable=False),
    sa.Column('group_id', sa.UUID(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.UUID(), nullable=False),
    sa.Column('max_uses', sa.Integer(), nullable=False),
    sa.Column('uses', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('uses <= max_uses', name=op.f('ck_invite_codes_uses')),
    sa.ForeignKeyConstraint(['created_by_id'], ['participants.id'], name=op.f('fk_invite_codes_created_by_id_participants')),
    sa.ForeignKeyConstraint(['group_id'], ['stakeholder_groups.id'], name=op.f('fk_invite_codes_group_id_stakeholder_groups')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_invite_codes_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invite_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_invite_codes_code_hash'))
    )
    op.create_index(op.f('ix_invite_codes_round_id'), 'invite_codes', ['round_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_invite_codes_round_id'), table_name='invite_codes')
    op.drop_table('invite_codes')
    op.drop_index(op.f('ix_api_tokens_participant_id'), table_name='api_tokens')
    op.drop_table('api_tokens')
