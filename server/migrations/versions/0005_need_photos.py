"""An optional photo on needs: the SHA-256 of its file under DATA_DIR.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 09:12:03.418211
"""

from alembic import op
import sqlalchemy as sa

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('needs', sa.Column('photo', sa.String(length=64), nullable=True))
    op.create_index(op.f('ix_needs_photo'), 'needs', ['photo'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_needs_photo'), table_name='needs')
    op.drop_column('needs', 'photo')
