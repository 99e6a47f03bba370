"""Need photos in PostgreSQL (need_photos) instead of files under DATA_DIR, so that web processes share nothing.

Photos already kept as files are copied in with `ruam photos import-files`: a migration does not know DATA_DIR.

Revision ID: 0024
Revises: 0022
Create Date: 2026-12-04 23:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0024'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "need_photos",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("thumbnail", sa.LargeBinary(), nullable=False),
        sa.Column("full", sa.LargeBinary(), nullable=False),
        sa.Column("content_type", sa.String(40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    # the bytes are JPEG already: compressing them again in TOAST costs CPU for nothing
    op.execute("ALTER TABLE need_photos ALTER COLUMN thumbnail SET STORAGE EXTERNAL, "
               "ALTER COLUMN \"full\" SET STORAGE EXTERNAL")


def downgrade() -> None:
    op.drop_table("need_photos")
