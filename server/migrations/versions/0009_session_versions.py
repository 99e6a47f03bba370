"""A session version per person: raising it ends every web session that person holds (sign-out, withdrawal).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 09:00:00.000000
"""

from alembic import op
import sqlalchemy as sa

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('participants', sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    op.drop_column('participants', 'session_version')
