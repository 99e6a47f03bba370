"""What changed among a round's votes since a read, exactly.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-05 00:15:00.000000
"""

from alembic import op  # noqa: F401

revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
