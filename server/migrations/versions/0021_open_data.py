"""Open data: a licence per round for its published exports.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04 22:05:00.000000
"""

from alembic import op
import sqlalchemy as sa

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
