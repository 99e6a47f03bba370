"""Staff accounts without the command line: one-time invitations, passphrases and sign-in links, drafters.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 21:20:00.000000
"""

from alembic import op
import sqlalchemy as sa

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
