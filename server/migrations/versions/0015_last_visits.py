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
    pass


def downgrade() -> None:
    pass
