"""Exclusion data, with its own consent: documents, welfare and disability cards, services not reached and why.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 22:05:00.000000
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_constraint(op.f('ck_consent_records_purpose'), 'consent_records', type_='check')
    op.create_check_constraint(op.f('ck_consent_records_purpose'), 'consent_records',
                               "purpose IN ('data_processing', 'sensitive_data', 'exclusion_data')")
    op.create_table('exclusion_records',
    sa.Column('participant_id', sa.UUID(), nullable=False),
    sa.Column('id_document', sa.String(length=12), nullable=True),
    sa.Column('welfare_card', sa.String(length=12), nullable=True),
    sa.Column('disability_card', sa.String(length=20), nullable=True),
    sa.Column('services_missed', postgresql.ARRAY(sa.String(length=20)), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('reasons', postgresql.ARRAY(sa.String(length=20)), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('area_code', sa.String(length=6), nullable=True),
    sa.Column('recorded_by_id', sa.UUID(), nullable=False),
    sa.Column('proxy_id', sa.UUID(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("id_document IN ('thai_id', 'pink_card', 'none', 'prefer_not')", name=op.f('ck_exclusion_records_id_document')),
    sa.CheckConstraint("welfare_card IN ('has', 'not', 'dont_know')", name=op.f('ck_exclusion_records_welfare_card')),
    sa.CheckConstraint("disability_card IN ('has', 'eligible_not_held', 'no')", name=op.f('ck_exclusion_records_disability_card')),
    sa.CheckConstraint("services_missed <@ ARRAY['health', 'school', 'welfare', 'water', 'electricity', 'legal']::varchar[]", name=op.f('ck_exclusion_records_services_missed')),
    sa.CheckConstraint("reasons <@ ARRAY['language', 'distance', 'documents', 'cost', 'other']::varchar[]", name=op.f('ck_exclusion_records_reasons')),
    sa.ForeignKeyConstraint(['area_code'], ['admin_areas.code'], name=op.f('fk_exclusion_records_area_code_admin_areas')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_exclusion_records_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proxy_id'], ['proxy_records.id'], name=op.f('fk_exclusion_records_proxy_id_proxy_records')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['participants.id'], name=op.f('fk_exclusion_records_recorded_by_id_participants')),
    sa.PrimaryKeyConstraint('participant_id', name=op.f('pk_exclusion_records'))
    )


def downgrade() -> None:
    op.drop_table('exclusion_records')
    op.execute("DELETE FROM consent_records WHERE purpose = 'exclusion_data'")
    op.drop_constraint(op.f('ck_consent_records_purpose'), 'consent_records', type_='check')
    op.create_check_constraint(op.f('ck_consent_records_purpose'), 'consent_records',
                               "purpose IN ('data_processing', 'sensitive_data')")
