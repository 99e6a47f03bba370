"""How many people a need affects may be unknown: NULL, where 0 stood for "not said" before.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 10:00:00.000000
"""

from alembic import op
import sqlalchemy as sa

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.alter_column('needs', 'people_affected', existing_type=sa.Integer(), nullable=True)
    op.execute("UPDATE needs SET people_affected = NULL WHERE people_affected = 0")
    # a count someone gives is at least 1; "not said" is NULL, never 0
    op.drop_constraint(op.f('ck_needs_people_affected'), 'needs', type_='check')
    op.create_check_constraint(op.f('ck_needs_people_affected'), 'needs', 'people_affected >= 1')


def downgrade() -> None:
    op.drop_constraint(op.f('ck_needs_people_affected'), 'needs', type_='check')
    op.create_check_constraint(op.f('ck_needs_people_affected'), 'needs', 'people_affected >= 0')
    op.execute("UPDATE needs SET people_affected = 0 WHERE people_affected IS NULL")
    op.alter_column('needs', 'people_affected', existing_type=sa.Integer(), nullable=False)
