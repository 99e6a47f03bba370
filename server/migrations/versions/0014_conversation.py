"""Conversation: replies, comments on needs and drafts and me too.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 21:20:00.000000
"""

from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


# Threads are two levels deep, and a reply stays on what its thread is about (comment_rules.thread_of). The
# service keeps to it; this keeps to it too for anything that writes comments another way. Each comment has
# exactly one target (need, draft or clause) by ck_comments_one_target, made with the table in 0001.
THREAD_CHECK = """
CREATE FUNCTION comments_in_one_thread() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    parent comments%ROWTYPE;
BEGIN
    IF NEW.parent_id IS NULL THEN
        RETURN NEW;
    END IF;
    SELECT * INTO parent FROM comments WHERE id = NEW.parent_id;
    IF parent.parent_id IS NOT NULL THEN
        RAISE EXCEPTION 'a reply answers a comment that opens a thread' USING ERRCODE = 'check_violation';
    END IF;
    IF parent.need_id IS DISTINCT FROM NEW.need_id OR parent.draft_id IS DISTINCT FROM NEW.draft_id
            OR parent.clause_id IS DISTINCT FROM NEW.clause_id THEN
        RAISE EXCEPTION 'a reply is on what its thread is on' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$
"""
THREAD_TRIGGER = """
CREATE TRIGGER comments_in_one_thread BEFORE INSERT OR UPDATE OF parent_id, need_id, draft_id, clause_id
    ON comments FOR EACH ROW EXECUTE FUNCTION comments_in_one_thread();
"""


def upgrade() -> None:
    op.execute(THREAD_CHECK)
    op.execute(THREAD_TRIGGER)


def downgrade() -> None:
    op.execute("DROP TRIGGER comments_in_one_thread ON comments")
    op.execute("DROP FUNCTION comments_in_one_thread()")
