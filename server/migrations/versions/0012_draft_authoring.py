"""Draft authoring in the browser: clause versions, order and withdrawal.

A clause changed after voting opened becomes a new row that supersedes the old one: the old row
keeps its votes, comments and amendments (they were given on its text) and leaves the current
proposal; the new row starts with none. Positions are unique among a draft's current clauses only,
checked at commit so that two clauses can swap places.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 21:20:00.000000
"""

from alembic import op
import sqlalchemy as sa

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('clauses', sa.Column('status', sa.String(length=12), server_default='current', nullable=False))
    op.add_column('clauses', sa.Column('supersedes_id', sa.UUID(), nullable=True))
    op.create_foreign_key(op.f('fk_clauses_supersedes_id_clauses'), 'clauses', 'clauses', ['supersedes_id'], ['id'])
    op.create_index(op.f('ix_clauses_supersedes_id'), 'clauses', ['supersedes_id'], unique=True)
    op.create_check_constraint(op.f('ck_clauses_status'), 'clauses', "status IN ('current', 'superseded', 'withdrawn')")
    op.drop_constraint(op.f('uq_clauses_draft_id_position'), 'clauses', type_='unique')
    op.create_exclude_constraint(
        'xc_clauses_current_position', 'clauses', ('draft_id', '='), ('position', '='),
        where=sa.text("status = 'current'"), using='btree', deferrable=True, initially='DEFERRED')


def downgrade() -> None:
    op.drop_constraint('xc_clauses_current_position', 'clauses')
    # earlier versions and withdrawn clauses keep their votes and comments, below the draft's places
    op.execute("""
        UPDATE clauses c SET position = -n.rank
        FROM (SELECT id, row_number() OVER (PARTITION BY draft_id ORDER BY created_at, id) AS rank
              FROM clauses WHERE status <> 'current') n
        WHERE c.id = n.id
    """)
    op.create_unique_constraint(op.f('uq_clauses_draft_id_position'), 'clauses', ['draft_id', 'position'],
                                deferrable=True, initially='DEFERRED')
    op.drop_constraint(op.f('ck_clauses_status'), 'clauses', type_='check')
    op.drop_index(op.f('ix_clauses_supersedes_id'), table_name='clauses')
    op.drop_constraint(op.f('fk_clauses_supersedes_id_clauses'), 'clauses', type_='foreignkey')
    op.drop_column('clauses', 'supersedes_id')
    op.drop_column('clauses', 'status')
