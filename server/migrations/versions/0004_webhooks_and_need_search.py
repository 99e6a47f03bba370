"""Webhooks with their delivery log; segmented search text for needs.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 22:29:41.051985
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('webhooks',
    sa.Column('round_id', sa.UUID(), nullable=False),
    sa.Column('url', sa.String(), nullable=False),
    sa.Column('event_types', postgresql.ARRAY(sa.String(length=60)), nullable=False),
    sa.Column('secret', sa.String(length=100), nullable=False),
    sa.Column('created_by_id', sa.UUID(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['participants.id'], name=op.f('fk_webhooks_created_by_id_participants')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_webhooks_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhooks'))
    )
    op.create_index(op.f('ix_webhooks_round_id'), 'webhooks', ['round_id'], unique=False)
    op.create_table('webhook_deliveries',
    sa.Column('webhook_id', sa.UUID(), nullable=False),
    sa.Column('event_id', sa.UUID(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_status_code', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.String(), nullable=True),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'delivered', 'failed')", name=op.f('ck_webhook_deliveries_status')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_webhook_deliveries_event_id_events')),
    sa.ForeignKeyConstraint(['webhook_id'], ['webhooks.id'], name=op.f('fk_webhook_deliveries_webhook_id_webhooks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_deliveries')),
    sa.UniqueConstraint('webhook_id', 'event_id', name=op.f('uq_webhook_deliveries_webhook_id_event_id'))
    )
    op.create_index(op.f('ix_webhook_deliveries_webhook_id'), 'webhook_deliveries', ['webhook_id'], unique=False)
    op.add_column('needs', sa.Column('search_text', sa.String(), nullable=False, server_default=''))
    op.alter_column('needs', 'search_text', server_default=None)
    _segment_existing_needs()
    op.create_index('ix_needs_search', 'needs', [sa.literal_column("to_tsvector('simple', search_text)")], unique=False, postgresql_using='gin')
    # Substring search works without it (ILIKE); where the server has pg_trgm, it gets an index.
    op.execute("""
        DO $$ BEGIN
            IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
                CREATE EXTENSION IF NOT EXISTS pg_trgm;
                CREATE INDEX IF NOT EXISTS ix_needs_title_trgm ON needs USING gin (title gin_trgm_ops);
            END IF;
        END $$;
    """)


def _segment_existing_needs() -> None:
    from server.needs.search import search_text

    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, title, body, translations FROM needs")).all()
    for row in rows:
        connection.execute(sa.text("UPDATE needs SET search_text = :t WHERE id = :id"),
                           {"t": search_text(row.title, row.body, row.translations), "id": row.id})


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_needs_title_trgm")
    op.drop_index('ix_needs_search', table_name='needs', postgresql_using='gin')
    op.drop_column('needs', 'search_text')
    op.drop_index(op.f('ix_webhook_deliveries_webhook_id'), table_name='webhook_deliveries')
    op.drop_table('webhook_deliveries')
    op.drop_index(op.f('ix_webhooks_round_id'), table_name='webhooks')
    op.drop_table('webhooks')
