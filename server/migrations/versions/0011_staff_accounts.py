"""Staff accounts without the command line: one-time invitations, passphrases and sign-in links, drafters.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 21:20:00.000000
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

OLD_ROLES = "role IN ('participant', 'facilitator', 'admin', 'integrator')"
NEW_ROLES = "role IN ('participant', 'facilitator', 'admin', 'integrator', 'drafter')"

# Rounds keep their phases as data: where a phase opens drafting to facilitators, it opens it to the round's
# drafters too, as the templates now do (server/rounds/phases.py).
OPEN_TO_DRAFTERS = """
UPDATE rounds SET phases = (
    SELECT jsonb_agg(CASE WHEN phase ? 'opens' THEN jsonb_set(phase, '{opens}', (
        SELECT coalesce(jsonb_object_agg(action, CASE
            WHEN action IN ('propose_draft', 'edit_draft') AND roles ? 'facilitator' AND NOT roles ? 'drafter'
            THEN roles || '["drafter"]'::jsonb ELSE roles END), '{}'::jsonb)
        FROM jsonb_each(phase -> 'opens') AS o(action, roles))) ELSE phase END ORDER BY n)
    FROM jsonb_array_elements(phases) WITH ORDINALITY AS p(phase, n))
WHERE jsonb_typeof(phases) = 'array' AND jsonb_array_length(phases) > 0
"""
CLOSE_TO_DRAFTERS = """
UPDATE rounds SET phases = (
    SELECT jsonb_agg(CASE WHEN phase ? 'opens' THEN jsonb_set(phase, '{opens}', (
        SELECT coalesce(jsonb_object_agg(action, roles - 'drafter'), '{}'::jsonb)
        FROM jsonb_each(phase -> 'opens') AS o(action, roles))) ELSE phase END ORDER BY n)
    FROM jsonb_array_elements(phases) WITH ORDINALITY AS p(phase, n))
WHERE jsonb_typeof(phases) = 'array' AND jsonb_array_length(phases) > 0
"""


def upgrade() -> None:
    op.drop_constraint(op.f('ck_participants_role'), 'participants', type_='check')
    op.create_check_constraint(op.f('ck_participants_role'), 'participants', NEW_ROLES)
    op.add_column('memberships', sa.Column('drafts', sa.Boolean(), server_default='false', nullable=False))
    op.create_table('staff_accounts',
    sa.Column('participant_id', sa.UUID(), nullable=False),
    sa.Column('sign_in_name', sa.String(length=120), nullable=False),
    sa.Column('passphrase_hash', sa.String(), nullable=True),
    sa.Column('created_by_id', sa.UUID(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['participants.id'], name=op.f('fk_staff_accounts_created_by_id_participants')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_staff_accounts_participant_id_participants')),
    sa.PrimaryKeyConstraint('participant_id', name=op.f('pk_staff_accounts')),
    sa.UniqueConstraint('sign_in_name', name=op.f('uq_staff_accounts_sign_in_name'))
    )
    op.create_table('staff_links',
    sa.Column('purpose', sa.String(length=12), nullable=False),
    sa.Column('link_hash', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=True),
    sa.Column('organisation_id', sa.UUID(), nullable=True),
    sa.Column('round_ids', postgresql.ARRAY(sa.UUID()), nullable=False),
    sa.Column('participant_id', sa.UUID(), nullable=True),
    sa.Column('created_by_id', sa.UUID(), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("purpose IN ('invitation', 'sign_in')", name=op.f('ck_staff_links_purpose')),
    sa.CheckConstraint("role IS NULL OR role IN ('facilitator', 'drafter', 'admin')", name=op.f('ck_staff_links_role')),
    sa.CheckConstraint("purpose = 'invitation' OR participant_id IS NOT NULL", name=op.f('ck_staff_links_whose')),
    sa.ForeignKeyConstraint(['created_by_id'], ['participants.id'], name=op.f('fk_staff_links_created_by_id_participants')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_staff_links_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_staff_links_participant_id_participants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_links')),
    sa.UniqueConstraint('link_hash', name=op.f('uq_staff_links_link_hash'))
    )
    op.create_index(op.f('ix_staff_links_participant_id'), 'staff_links', ['participant_id'], unique=False)
    op.execute(OPEN_TO_DRAFTERS)


def downgrade() -> None:
    op.execute(CLOSE_TO_DRAFTERS)
    op.drop_index(op.f('ix_staff_links_participant_id'), table_name='staff_links')
    op.drop_table('staff_links')
    op.drop_table('staff_accounts')
    op.drop_column('memberships', 'drafts')
    op.execute("UPDATE participants SET role = 'participant' WHERE role = 'drafter'")
    op.drop_constraint(op.f('ck_participants_role'), 'participants', type_='check')
    op.create_check_constraint(op.f('ck_participants_role'), 'participants', OLD_ROLES)
