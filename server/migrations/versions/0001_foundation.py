"""Foundation: every table of the domain, and the reference data they point at.

Revision ID: 0001
Revises: 
Create Date: 2026-11-25 22:05:29.318509
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from server.reference import loader

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('admin_areas',
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('level', sa.String(length=12), nullable=False),
    sa.Column('parent_code', sa.String(length=6), nullable=True),
    sa.Column('name_th', sa.String(), nullable=False),
    sa.Column('name_en', sa.String(), nullable=False),
    sa.Column('postal_code', sa.String(length=5), nullable=True),
    sa.Column('lat', sa.Double(), nullable=True),
    sa.Column('lon', sa.Double(), nullable=True),
    sa.ForeignKeyConstraint(['parent_code'], ['admin_areas.code'], name=op.f('fk_admin_areas_parent_code_admin_areas')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_admin_areas'))
    )
    op.create_index(op.f('ix_admin_areas_parent_code'), 'admin_areas', ['parent_code'], unique=False)
    op.create_table('hazards',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name_th', sa.String(), nullable=False),
    sa.Column('name_en', sa.String(), nullable=False),
    sa.Column('climate', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_hazards'))
    )
    op.create_table('organisations',
    sa.Column('name_th', sa.String(), nullable=False),
    sa.Column('name_en', sa.String(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("kind IN ('government', 'cso', 'community', 'academic')", name=op.f('ck_organisations_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations'))
    )
    op.create_table('sectors',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name_th', sa.String(), nullable=False),
    sa.Column('name_en', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_sectors'))
    )
    op.create_table('communities',
    sa.Column('name_th', sa.String(), nullable=False),
    sa.Column('name_en', sa.String(), nullable=False),
    sa.Column('area_code', sa.String(length=6), nullable=True),
    sa.Column('languages', postgresql.ARRAY(sa.String(length=12)), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['area_code'], ['admin_areas.code'], name=op.f('fk_communities_area_code_admin_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_communities'))
    )
    op.create_table('participants',
    sa.Column('display_name', sa.String(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('languages', postgresql.ARRAY(sa.String(length=12)), nullable=False),
    sa.Column('contact', sa.String(), nullable=True),
    sa.Column('community_id', sa.UUID(), nullable=True),
    sa.Column('organisation_id', sa.UUID(), nullable=True),
    sa.Column('external_source', sa.String(), nullable=True),
    sa.Column('external_id', sa.String(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("role IN ('participant', 'facilitator', 'admin', 'integrator')", name=op.f('ck_participants_role')),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_participants_community_id_communities')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_participants_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participants')),
    sa.UniqueConstraint('external_source', 'external_id', name=op.f('uq_participants_external_source_external_id'))
    )
    op.create_table('rounds',
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('description', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('area_codes', postgresql.ARRAY(sa.String(length=6)), nullable=False),
    sa.Column('phases', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('current_phase', sa.String(length=40), nullable=False),
    sa.Column('threshold', sa.Double(), nullable=False),
    sa.Column('created_by_id', sa.UUID(), nullable=True),
    sa.Column('external_source', sa.String(), nullable=True),
    sa.Column('external_id', sa.String(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('threshold > 0 AND threshold < 1', name=op.f('ck_rounds_threshold')),
    sa.ForeignKeyConstraint(['created_by_id'], ['participants.id'], name=op.f('fk_rounds_created_by_id_participants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rounds')),
    sa.UniqueConstraint('external_source', 'external_id', name=op.f('uq_rounds_external_source_external_id')),
    sa.UniqueConstraint('slug', name=op.f('uq_rounds_slug'))
    )
    op.create_table('sensitive_data',
    sa.Column('participant_id', sa.UUID(), nullable=False),
    sa.Column('ethnicity', sa.String(), nullable=True),
    sa.Column('disability', sa.String(), nullable=True),
    sa.Column('health', sa.String(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_sensitive_data_participant_id_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('participant_id', name=op.f('pk_sensitive_data'))
    )
    op.create_table('drafts',
    sa.Column('round_id', sa.UUID(), nullable=False),
    sa.Column('organisation_id', sa.UUID(), nullable=True),
    sa.Column('created_by_id', sa.UUID(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('summary', sa.String(), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('translations', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('open', 'withdrawn')", name=op.f('ck_drafts_status')),
    sa.ForeignKeyConstraint(['created_by_id'], ['participants.id'], name=op.f('fk_drafts_created_by_id_participants')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_drafts_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_drafts_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drafts'))
    )
    op.create_index(op.f('ix_drafts_round_id'), 'drafts', ['round_id'], unique=False)
    op.create_table('events',
    sa.Column('type', sa.String(length=60), nullable=False),
    sa.Column('round_id', sa.UUID(), nullable=True),
    sa.Column('actor_id', sa.UUID(), nullable=True),
    sa.Column('subject_id', sa.UUID(), nullable=True),
    sa.Column('payload', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['participants.id'], name=op.f('fk_events_actor_id_participants')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_events_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    op.create_index('ix_events_round', 'events', ['round_id', 'id'], unique=False)
    op.create_index('ix_events_unpublished', 'events', ['id'], unique=False, postgresql_where=sa.text('published_at IS NULL'))
    op.create_table('proxy_records',
    sa.Column('round_id', sa.UUID(), nullable=False),
    sa.Column('entered_by_id', sa.UUID(), nullable=False),
    sa.Column('participant_id', sa.UUID(), nullable=True),
    sa.Column('people_count', sa.Integer(), nullable=True),
    sa.Column('meeting', sa.String(), nullable=True),
    sa.Column('method', sa.String(length=12), nullable=False),
    sa.Column('consent', sa.String(length=12), nullable=False),
    sa.Column('consent_note', sa.String(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("consent IN ('verbal', 'written', 'thumbprint')", name=op.f('ck_proxy_records_consent')),
    sa.CheckConstraint("method IN ('meeting', 'phone', 'paper')", name=op.f('ck_proxy_records_method')),
    sa.CheckConstraint('participant_id IS NOT NULL OR (people_count > 0 AND meeting IS NOT NULL)', name=op.f('ck_proxy_records_on_behalf_of')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['participants.id'], name=op.f('fk_proxy_records_entered_by_id_participants')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_proxy_records_participant_id_participants')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_proxy_records_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proxy_records'))
    )
    op.create_index(op.f('ix_proxy_records_round_id'), 'proxy_records', ['round_id'], unique=False)
    op.create_table('stakeholder_groups',
    sa.Column('round_id', sa.UUID(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('name', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('quorum', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.UUID(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.CheckConstraint('quorum >= 0', name=op.f('ck_stakeholder_groups_quorum')),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_stakeholder_groups_community_id_communities')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_stakeholder_groups_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stakeholder_groups')),
    sa.UniqueConstraint('round_id', 'key', name=op.f('uq_stakeholder_groups_round_id_key'))
    )
    op.create_table('clauses',
    sa.Column('draft_id', sa.UUID(), nullable=False),
    sa.Column('round_id', sa.UUID(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('translations', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('external_id', sa.String(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['draft_id'], ['drafts.id'], name=op.f('fk_clauses_draft_id_drafts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_clauses_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clauses')),
    sa.UniqueConstraint('draft_id', 'position', deferrable=True, initially='DEFERRED', name=op.f('uq_clauses_draft_id_position')),
    sa.UniqueConstraint('round_id', 'external_id', name=op.f('uq_clauses_round_id_external_id'))
    )
    op.create_index(op.f('ix_clauses_round_id'), 'clauses', ['round_id'], unique=False)
    op.create_table('consent_records',
    sa.Column('participant_id', sa.UUID(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('granted', sa.Boolean(), nullable=False),
    sa.Column('method', sa.String(length=12), nullable=False),
    sa.Column('notice_version', sa.String(length=20), nullable=False),
    sa.Column('recorded_by_id', sa.UUID(), nullable=False),
    sa.Column('proxy_id', sa.UUID(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("method IN ('online', 'verbal', 'written', 'thumbprint')", name=op.f('ck_consent_records_method')),
    sa.CheckConstraint("purpose IN ('data_processing', 'sensitive_data')", name=op.f('ck_consent_records_purpose')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_consent_records_participant_id_participants')),
    sa.ForeignKeyConstraint(['proxy_id'], ['proxy_records.id'], name=op.f('fk_consent_records_proxy_id_proxy_records')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['participants.id'], name=op.f('fk_consent_records_recorded_by_id_participants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_records'))
    )
    op.create_index(op.f('ix_consent_records_participant_id'), 'consent_records', ['participant_id'], unique=False)
    op.create_table('memberships',
    sa.Column('round_id', sa.UUID(), nullable=False),
    sa.Column('participant_id', sa.UUID(), nullable=False),
    sa.Column('group_id', sa.UUID(), nullable=True),
    sa.Column('facilitates', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['stakeholder_groups.id'], name=op.f('fk_memberships_group_id_stakeholder_groups')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_memberships_participant_id_participants')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_memberships_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', 'participant_id', name=op.f('pk_memberships'))
    )
    op.create_index(op.f('ix_memberships_group_id'), 'memberships', ['group_id'], unique=False)
    op.create_index(op.f('ix_memberships_participant_id'), 'memberships', ['participant_id'], unique=False)
    op.create_table('needs',
    sa.Column('round_id', sa.UUID(), nullable=False),
    sa.Column('author_id', sa.UUID(), nullable=True),
    sa.Column('entered_by_id', sa.UUID(), nullable=False),
    sa.Column('proxy_id', sa.UUID(), nullable=True),
    sa.Column('group_id', sa.UUID(), nullable=True),
    sa.Column('community_id', sa.UUID(), nullable=True),
    sa.Column('area_code', sa.String(length=6), nullable=False),
    sa.Column('sector_code', sa.String(length=40), nullable=False),
    sa.Column('hazards', postgresql.ARRAY(sa.String(length=40)), nullable=False),
    sa.Column('severity', sa.SmallInteger(), nullable=False),
    sa.Column('people_affected', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('body', sa.String(), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('translations', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('open', 'hidden', 'withdrawn')", name=op.f('ck_needs_status')),
    sa.CheckConstraint('people_affected >= 0', name=op.f('ck_needs_people_affected')),
    sa.CheckConstraint('severity BETWEEN 1 AND 5', name=op.f('ck_needs_severity')),
    sa.ForeignKeyConstraint(['area_code'], ['admin_areas.code'], name=op.f('fk_needs_area_code_admin_areas')),
    sa.ForeignKeyConstraint(['author_id'], ['participants.id'], name=op.f('fk_needs_author_id_participants')),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_needs_community_id_communities')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['participants.id'], name=op.f('fk_needs_entered_by_id_participants')),
    sa.ForeignKeyConstraint(['group_id'], ['stakeholder_groups.id'], name=op.f('fk_needs_group_id_stakeholder_groups')),
    sa.ForeignKeyConstraint(['proxy_id'], ['proxy_records.id'], name=op.f('fk_needs_proxy_id_proxy_records')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_needs_round_id_rounds')),
    sa.ForeignKeyConstraint(['sector_code'], ['sectors.code'], name=op.f('fk_needs_sector_code_sectors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_needs'))
    )
    op.create_index(op.f('ix_needs_area_code'), 'needs', ['area_code'], unique=False)
    op.create_index(op.f('ix_needs_author_id'), 'needs', ['author_id'], unique=False)
    op.create_index(op.f('ix_needs_group_id'), 'needs', ['group_id'], unique=False)
    op.create_index('ix_needs_hazards', 'needs', ['hazards'], unique=False, postgresql_using='gin')
    op.create_index(op.f('ix_needs_round_id'), 'needs', ['round_id'], unique=False)
    op.create_index(op.f('ix_needs_sector_code'), 'needs', ['sector_code'], unique=False)
    op.create_table('amendments',
    sa.Column('clause_id', sa.UUID(), nullable=False),
    sa.Column('round_id', sa.UUID(), nullable=False),
    sa.Column('proposed_by_id', sa.UUID(), nullable=True),
    sa.Column('entered_by_id', sa.UUID(), nullable=False),
    sa.Column('proxy_id', sa.UUID(), nullable=True),
    sa.Column('text', sa.String(), nullable=False),
    sa.Column('rationale', sa.String(), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['clause_id'], ['clauses.id'], name=op.f('fk_amendments_clause_id_clauses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entered_by_id'], ['participants.id'], name=op.f('fk_amendments_entered_by_id_participants')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['participants.id'], name=op.f('fk_amendments_proposed_by_id_participants')),
    sa.ForeignKeyConstraint(['proxy_id'], ['proxy_records.id'], name=op.f('fk_amendments_proxy_id_proxy_records')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_amendments_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_amendments'))
    )
    op.create_index(op.f('ix_amendments_clause_id'), 'amendments', ['clause_id'], unique=False)
    op.create_index(op.f('ix_amendments_round_id'), 'amendments', ['round_id'], unique=False)
    op.create_table('clause_needs',
    sa.Column('clause_id', sa.UUID(), nullable=False),
    sa.Column('need_id', sa.UUID(), nullable=False),
    sa.ForeignKeyConstraint(['clause_id'], ['clauses.id'], name=op.f('fk_clause_needs_clause_id_clauses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['need_id'], ['needs.id'], name=op.f('fk_clause_needs_need_id_needs')),
    sa.PrimaryKeyConstraint('clause_id', 'need_id', name=op.f('pk_clause_needs'))
    )
    op.create_index(op.f('ix_clause_needs_need_id'), 'clause_needs', ['need_id'], unique=False)
    op.create_table('comments',
    sa.Column('round_id', sa.UUID(), nullable=False),
    sa.Column('need_id', sa.UUID(), nullable=True),
    sa.Column('draft_id', sa.UUID(), nullable=True),
    sa.Column('clause_id', sa.UUID(), nullable=True),
    sa.Column('parent_id', sa.UUID(), nullable=True),
    sa.Column('author_id', sa.UUID(), nullable=True),
    sa.Column('entered_by_id', sa.UUID(), nullable=False),
    sa.Column('proxy_id', sa.UUID(), nullable=True),
    sa.Column('stance', sa.String(length=12), nullable=False),
    sa.Column('body', sa.String(), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('moderation', sa.String(length=12), nullable=False),
    sa.Column('moderation_reason', sa.String(), nullable=True),
    sa.Column('moderated_by_id', sa.UUID(), nullable=True),
    sa.Column('moderated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("moderation IN ('visible', 'pending', 'hidden')", name=op.f('ck_comments_moderation')),
    sa.CheckConstraint("stance IN ('support', 'oppose', 'question', 'amend')", name=op.f('ck_comments_stance')),
    sa.CheckConstraint('num_nonnulls(need_id, draft_id, clause_id) = 1', name=op.f('ck_comments_one_target')),
    sa.ForeignKeyConstraint(['author_id'], ['participants.id'], name=op.f('fk_comments_author_id_participants')),
    sa.ForeignKeyConstraint(['clause_id'], ['clauses.id'], name=op.f('fk_comments_clause_id_clauses')),
    sa.ForeignKeyConstraint(['draft_id'], ['drafts.id'], name=op.f('fk_comments_draft_id_drafts')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['participants.id'], name=op.f('fk_comments_entered_by_id_participants')),
    sa.ForeignKeyConstraint(['moderated_by_id'], ['participants.id'], name=op.f('fk_comments_moderated_by_id_participants')),
    sa.ForeignKeyConstraint(['need_id'], ['needs.id'], name=op.f('fk_comments_need_id_needs')),
    sa.ForeignKeyConstraint(['parent_id'], ['comments.id'], name=op.f('fk_comments_parent_id_comments')),
    sa.ForeignKeyConstraint(['proxy_id'], ['proxy_records.id'], name=op.f('fk_comments_proxy_id_proxy_records')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_comments_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comments'))
    )
    op.create_index(op.f('ix_comments_clause_id'), 'comments', ['clause_id'], unique=False)
    op.create_index(op.f('ix_comments_draft_id'), 'comments', ['draft_id'], unique=False)
    op.create_index(op.f('ix_comments_need_id'), 'comments', ['need_id'], unique=False)
    op.create_index(op.f('ix_comments_parent_id'), 'comments', ['parent_id'], unique=False)
    op.create_index(op.f('ix_comments_round_id'), 'comments', ['round_id'], unique=False)
    op.create_table('endorsements',
    sa.Column('need_id', sa.UUID(), nullable=False),
    sa.Column('participant_id', sa.UUID(), nullable=False),
    sa.Column('proxy_id', sa.UUID(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['need_id'], ['needs.id'], name=op.f('fk_endorsements_need_id_needs')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_endorsements_participant_id_participants')),
    sa.ForeignKeyConstraint(['proxy_id'], ['proxy_records.id'], name=op.f('fk_endorsements_proxy_id_proxy_records')),
    sa.PrimaryKeyConstraint('need_id', 'participant_id', name=op.f('pk_endorsements'))
    )
    op.create_table('votes',
    sa.Column('round_id', sa.UUID(), nullable=False),
    sa.Column('participant_id', sa.UUID(), nullable=False),
    sa.Column('clause_id', sa.UUID(), nullable=False),
    sa.Column('amendment_id', sa.UUID(), nullable=True),
    sa.Column('value', sa.SmallInteger(), nullable=False),
    sa.Column('entered_by_id', sa.UUID(), nullable=False),
    sa.Column('proxy_id', sa.UUID(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('value IN (-1, 0, 1)', name=op.f('ck_votes_value')),
    sa.ForeignKeyConstraint(['amendment_id'], ['amendments.id'], name=op.f('fk_votes_amendment_id_amendments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['clause_id'], ['clauses.id'], name=op.f('fk_votes_clause_id_clauses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entered_by_id'], ['participants.id'], name=op.f('fk_votes_entered_by_id_participants')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_votes_participant_id_participants')),
    sa.ForeignKeyConstraint(['proxy_id'], ['proxy_records.id'], name=op.f('fk_votes_proxy_id_proxy_records')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_votes_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_votes'))
    )
    op.create_index('ix_votes_round', 'votes', ['round_id'], unique=False)
    op.create_index('uq_votes_participant_target', 'votes', ['participant_id', 'clause_id', 'amendment_id'], unique=True, postgresql_nulls_not_distinct=True)

    _load_reference_data()


def _load_reference_data() -> None:
    areas = sa.table(
        "admin_areas",
        *(sa.column(c) for c in ("code", "level", "parent_code", "name_th", "name_en", "postal_code", "lat", "lon")),
    )
    op.bulk_insert(areas, loader.admin_areas())
    op.bulk_insert(sa.table("sectors", *(sa.column(c) for c in ("code", "name_th", "name_en"))), loader.sectors())
    op.bulk_insert(
        sa.table("hazards", *(sa.column(c) for c in ("code", "name_th", "name_en", "climate"))), loader.hazards()
    )

def downgrade() -> None:
    op.drop_index('uq_votes_participant_target', table_name='votes', postgresql_nulls_not_distinct=True)
    op.drop_index('ix_votes_round', table_name='votes')
    op.drop_table('votes')
    op.drop_table('endorsements')
    op.drop_index(op.f('ix_comments_round_id'), table_name='comments')
    op.drop_index(op.f('ix_comments_parent_id'), table_name='comments')
    op.drop_index(op.f('ix_comments_need_id'), table_name='comments')
    op.drop_index(op.f('ix_comments_draft_id'), table_name='comments')
    op.drop_index(op.f('ix_comments_clause_id'), table_name='comments')
    op.drop_table('comments')
    op.drop_index(op.f('ix_clause_needs_need_id'), table_name='clause_needs')
    op.drop_table('clause_needs')
    op.drop_index(op.f('ix_amendments_round_id'), table_name='amendments')
    op.drop_index(op.f('ix_amendments_clause_id'), table_name='amendments')
    op.drop_table('amendments')
    op.drop_index(op.f('ix_needs_sector_code'), table_name='needs')
    op.drop_index(op.f('ix_needs_round_id'), table_name='needs')
    op.drop_index('ix_needs_hazards', table_name='needs', postgresql_using='gin')
    op.drop_index(op.f('ix_needs_group_id'), table_name='needs')
    op.drop_index(op.f('ix_needs_author_id'), table_name='needs')
    op.drop_index(op.f('ix_needs_area_code'), table_name='needs')
    op.drop_table('needs')
    op.drop_index(op.f('ix_memberships_participant_id'), table_name='memberships')
    op.drop_index(op.f('ix_memberships_group_id'), table_name='memberships')
    op.drop_table('memberships')
    op.drop_index(op.f('ix_consent_records_participant_id'), table_name='consent_records')
    op.drop_table('consent_records')
    op.drop_index(op.f('ix_clauses_round_id'), table_name='clauses')
    op.drop_table('clauses')
    op.drop_table('stakeholder_groups')
    op.drop_index(op.f('ix_proxy_records_round_id'), table_name='proxy_records')
    op.drop_table('proxy_records')
    op.drop_index('ix_events_unpublished', table_name='events', postgresql_where=sa.text('published_at IS NULL'))
    op.drop_index('ix_events_round', table_name='events')
    op.drop_table('events')
    op.drop_index(op.f('ix_drafts_round_id'), table_name='drafts')
    op.drop_table('drafts')
    op.drop_table('sensitive_data')
    op.drop_table('rounds')
    op.drop_table('participants')
    op.drop_table('communities')
    op.drop_table('sectors')
    op.drop_table('organisations')
    op.drop_table('hazards')
    op.drop_index(op.f('ix_admin_areas_parent_code'), table_name='admin_areas')
    op.drop_table('admin_areas')
