"""Open data: a licence per round for its published exports.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04 22:05:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

# server/opendata/licences.py holds the same list, with each licence's name and address
LICENCES = ("CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "ODC-By-1.0")


def upgrade() -> None:
    op.add_column("rounds", sa.Column("open_data_licence", sa.String(20), nullable=False,
                                      server_default="CC-BY-4.0"))
    op.create_check_constraint(op.f("ck_rounds_open_data_licence"), "rounds", f"open_data_licence IN {LICENCES}")


def downgrade() -> None:
    op.drop_constraint(op.f("ck_rounds_open_data_licence"), "rounds", type_="check")
    op.drop_column("rounds", "open_data_licence")
