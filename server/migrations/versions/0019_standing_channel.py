"""A standing channel for needs outside any round: organisations, areas, triage and what became of a need.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 22:05:00.000000
"""

from alembic import op
import sqlalchemy as sa

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
