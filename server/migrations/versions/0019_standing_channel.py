"""A standing channel for needs outside any round: organisations, areas, triage and what became of a need.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 22:05:00.000000
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a channel is a round of its own kind, for one organisation (server/channels/service.py says why)
    op.add_column('rounds', sa.Column('kind', sa.String(length=12), server_default='round', nullable=False))
    op.add_column('rounds', sa.Column('organisation_id', sa.Uuid(), nullable=True))
    op.create_foreign_key(op.f('fk_rounds_organisation_id_organisations'), 'rounds', 'organisations',
                          ['organisation_id'], ['id'])
    op.create_index(op.f('ix_rounds_organisation_id'), 'rounds', ['organisation_id'], unique=False)
    op.create_check_constraint(op.f('ck_rounds_kind'), 'rounds', "kind IN ('round', 'channel')")
    op.create_check_constraint(op.f('ck_rounds_channel_organisation'), 'rounds',
                               "kind <> 'channel' OR organisation_id IS NOT NULL")

    op.add_column('needs', sa.Column('duplicate_of_id', sa.Uuid(), nullable=True))
    op.add_column('needs', sa.Column('origin_id', sa.Uuid(), nullable=True))
    op.add_column('needs', sa.Column('tags', postgresql.ARRAY(sa.String(length=30)), server_default='{}',
                                     nullable=False))
    op.create_foreign_key(op.f('fk_needs_duplicate_of_id_needs'), 'needs', 'needs', ['duplicate_of_id'], ['id'])
    op.create_foreign_key(op.f('fk_needs_origin_id_needs'), 'needs', 'needs', ['origin_id'], ['id'])
    op.create_index(op.f('ix_needs_duplicate_of_id'), 'needs', ['duplicate_of_id'], unique=False)
    op.create_index('ix_needs_origin_round', 'needs', ['origin_id', 'round_id'], unique=True,
                    postgresql_where=sa.text('origin_id IS NOT NULL'))
    op.drop_constraint(op.f('ck_needs_status'), 'needs', type_='check')
    op.create_check_constraint(op.f('ck_needs_status'), 'needs',
                               "status IN ('open', 'hidden', 'withdrawn', 'merged')")
    op.create_check_constraint(op.f('ck_needs_merged'), 'needs',
                               "(status = 'merged') = (duplicate_of_id IS NOT NULL)")

    op.create_table(
        'need_answers',
        sa.Column('need_id', sa.Uuid(), nullable=False),
        sa.Column('body', sa.String(), nullable=False),
        sa.Column('public', sa.Boolean(), nullable=False),
        sa.Column('answered_by_id', sa.Uuid(), nullable=False),
        sa.Column('answered_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.ForeignKeyConstraint(['answered_by_id'], ['participants.id'],
                                name=op.f('fk_need_answers_answered_by_id_participants')),
        sa.ForeignKeyConstraint(['need_id'], ['needs.id'], name=op.f('fk_need_answers_need_id_needs'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('need_id', name=op.f('pk_need_answers')),
    )


def downgrade() -> None:
    op.drop_table('need_answers')
    op.drop_constraint(op.f('ck_needs_merged'), 'needs', type_='check')
    op.drop_constraint(op.f('ck_needs_status'), 'needs', type_='check')
    # a merged need was a duplicate kept elsewhere: before channels it would have been hidden
    op.execute("UPDATE needs SET status = 'hidden' WHERE status = 'merged'")
    op.create_check_constraint(op.f('ck_needs_status'), 'needs', "status IN ('open', 'hidden', 'withdrawn')")
    op.drop_index('ix_needs_origin_round', table_name='needs', postgresql_where=sa.text('origin_id IS NOT NULL'))
    op.drop_index(op.f('ix_needs_duplicate_of_id'), table_name='needs')
    op.drop_constraint(op.f('fk_needs_origin_id_needs'), 'needs', type_='foreignkey')
    op.drop_constraint(op.f('fk_needs_duplicate_of_id_needs'), 'needs', type_='foreignkey')
    op.drop_column('needs', 'tags')
    op.drop_column('needs', 'origin_id')
    op.drop_column('needs', 'duplicate_of_id')
    op.drop_constraint(op.f('ck_rounds_channel_organisation'), 'rounds', type_='check')
    op.drop_constraint(op.f('ck_rounds_kind'), 'rounds', type_='check')
    op.drop_index(op.f('ix_rounds_organisation_id'), table_name='rounds')
    op.drop_constraint(op.f('fk_rounds_organisation_id_organisations'), 'rounds', type_='foreignkey')
    op.drop_column('rounds', 'organisation_id')
    op.drop_column('rounds', 'kind')
