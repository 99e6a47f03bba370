"""What changed among a round's votes since a read, exactly; and what a version's groups start the next from.

A worker that keeps a round's vote matrix in memory (server/consolidation/vote_cache.py) reads only the votes
written since its last read. Event ids and timestamps cannot say which those are: both are taken before the
commit, and a transaction that began first can commit last. The id of the transaction that wrote a vote can,
against a snapshot taken before the read (pg_visible_in_snapshot), so each vote keeps it, set by a trigger on
every insert and update whatever the path (the service, the fast lane, an import's COPY). A deleted vote
(its clause or amendment deleted) leaves a row in vote_deletions, so that a reader knows to read all again.

proposal_memberships also keeps each clustered person's base cluster and the version's two principal axes,
so that the next version's PCA and k-means start from them (history.py), whichever worker computes it; and the
large values written at every recompute take lz4 where the server has it.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-05 00:15:00.000000
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # no default on the existing rows (a volatile default would rewrite the table): NULL is "before any read"
    op.execute("ALTER TABLE votes ADD COLUMN changed_xid xid8")
    op.execute("ALTER TABLE votes ALTER COLUMN changed_xid SET DEFAULT pg_current_xact_id()")
    op.execute("""
        CREATE FUNCTION votes_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.changed_xid := pg_current_xact_id();
            RETURN NEW;
        END $$""")
    op.execute("CREATE TRIGGER votes_changed BEFORE INSERT OR UPDATE ON votes "
               "FOR EACH ROW EXECUTE FUNCTION votes_changed()")
    op.execute("CREATE INDEX ix_votes_round_changed ON votes (round_id, changed_xid)")
    op.execute("CREATE TABLE vote_deletions (round_id uuid NOT NULL, "
               "xid xid8 NOT NULL DEFAULT pg_current_xact_id())")
    op.execute("CREATE INDEX ix_vote_deletions_round ON vote_deletions (round_id, xid)")
    op.execute("""
        CREATE FUNCTION votes_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO vote_deletions (round_id) SELECT DISTINCT round_id FROM gone;
            RETURN NULL;
        END $$""")
    op.execute("CREATE TRIGGER votes_deleted AFTER DELETE ON votes REFERENCING OLD TABLE AS gone "
               "FOR EACH STATEMENT EXECUTE FUNCTION votes_deleted()")
    op.add_column("proposal_memberships", sa.Column("base_clusters", postgresql.ARRAY(sa.SmallInteger())))
    op.add_column("proposal_memberships", sa.Column("axis_statement_ids", postgresql.ARRAY(sa.Uuid())))
    op.add_column("proposal_memberships", sa.Column("axes", sa.LargeBinary()))
    # A version's details and memberships are megabytes written at every recompute: lz4 compresses them twice as
    # fast as PostgreSQL's default, for about 7% more room. Only where the server was built with it.
    op.execute("""
        DO $$ BEGIN
            IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression'
                       AND 'lz4' = ANY (enumvals)) THEN
                ALTER TABLE proposal_details ALTER COLUMN clauses SET COMPRESSION lz4,
                    ALTER COLUMN statements SET COMPRESSION lz4;
                ALTER TABLE proposal_memberships ALTER COLUMN participant_ids SET COMPRESSION lz4,
                    ALTER COLUMN opinion_groups SET COMPRESSION lz4, ALTER COLUMN base_clusters SET COMPRESSION lz4;
            END IF;
        END $$""")


def downgrade() -> None:
    # the compression of values already written stays as it is; new ones take the default again
    op.execute("ALTER TABLE proposal_details ALTER COLUMN clauses SET COMPRESSION DEFAULT, "
               "ALTER COLUMN statements SET COMPRESSION DEFAULT")
    op.execute("ALTER TABLE proposal_memberships ALTER COLUMN participant_ids SET COMPRESSION DEFAULT, "
               "ALTER COLUMN opinion_groups SET COMPRESSION DEFAULT")
    op.drop_column("proposal_memberships", "axes")
    op.drop_column("proposal_memberships", "axis_statement_ids")
    op.drop_column("proposal_memberships", "base_clusters")
    op.execute("DROP TRIGGER votes_deleted ON votes")
    op.execute("DROP FUNCTION votes_deleted()")
    op.drop_table("vote_deletions")
    op.execute("DROP TRIGGER votes_changed ON votes")
    op.execute("DROP FUNCTION votes_changed()")
    op.execute("DROP INDEX ix_votes_round_changed")
    op.execute("ALTER TABLE votes DROP COLUMN changed_xid")
