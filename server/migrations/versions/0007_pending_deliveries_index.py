"""Pending webhook deliveries, by when their next attempt is due: what the sweep looks for.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 03:05:00.000000
"""

from alembic import op
import sqlalchemy as sa

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_webhook_deliveries_pending', 'webhook_deliveries',
                    [sa.text('coalesce(next_attempt_at, created_at)')], unique=False,
                    postgresql_where=sa.text("status = 'pending'"))


def downgrade() -> None:
    op.drop_index('ix_webhook_deliveries_pending', table_name='webhook_deliveries',
                  postgresql_where=sa.text("status = 'pending'"))
