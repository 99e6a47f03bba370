"""Web Push: phones that asked to be told of news, what each person was last told, rounds with news to
tell, and the installation's VAPID key.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 10:00:00.000000
"""

from alembic import op
import sqlalchemy as sa

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('push_subscriptions',
    sa.Column('participant_id', sa.UUID(), nullable=False),
    sa.Column('endpoint', sa.String(length=1000), nullable=False),
    sa.Column('p256dh', sa.String(length=100), nullable=False),
    sa.Column('auth', sa.String(length=40), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_push_subscriptions_participant_id_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_push_subscriptions')),
    sa.UniqueConstraint('endpoint', name=op.f('uq_push_subscriptions_endpoint'))
    )
    op.create_index(op.f('ix_push_subscriptions_participant_id'), 'push_subscriptions', ['participant_id'], unique=False)
    op.create_table('push_marks',
    sa.Column('participant_id', sa.UUID(), nullable=False),
    sa.Column('round_id', sa.UUID(), nullable=False),
    sa.Column('told_until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('pushed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_push_marks_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_push_marks_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('participant_id', 'round_id', name=op.f('pk_push_marks'))
    )
    op.create_table('push_due',
    sa.Column('round_id', sa.UUID(), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_push_due_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', name=op.f('pk_push_due'))
    )
    op.create_table('vapid_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('private_key', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_vapid_keys_one')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vapid_keys'))
    )


def downgrade() -> None:
    op.drop_table('vapid_keys')
    op.drop_table('push_due')
    op.drop_table('push_marks')
    op.drop_index(op.f('ix_push_subscriptions_participant_id'), table_name='push_subscriptions')
    op.drop_table('push_subscriptions')
