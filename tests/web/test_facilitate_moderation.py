"""The moderation queue: newest first, hide / hold / restore with a reason, and the audit trail."""

from sqlalchemy import select

from server.database import unit_of_work
from server.deliberation.models import Comment
from server.deliberation.service import post_comment
from server.rounds.service import move_phase
from tests.factories import make_clause, make_member
from tests.web.conftest import join_round
from tests.web.facilitation import htmx, my_round, token_of


async def _comments(client, committed):
    round_, me = await my_round(client, committed)
    async with unit_of_work(committed) as session:
        member = await make_member(session, round_, display_name="สมศรี")
        clause = await make_clause(session, round_, text="รัฐจะจัดหาน้ำประปาให้ทุกหมู่บ้าน")
        await move_phase(session, me, round_.id, "deliberation")
        older = await post_comment(session, member, clause_id=clause.id, stance="support", body="ความเห็นแรก")
        newer = await post_comment(session, member, clause_id=clause.id, stance="oppose", body="ความเห็นหลัง")
    return round_, me, older, newer


async def test_queue_newest_first_and_hiding_needs_a_reason(client, committed):
    round_, me, _older, newer = await _comments(client, committed)
    page = await client.get(f"/facilitate/{round_.slug}/moderation")
    assert page.status_code == 200 and page.text.index("ความเห็นหลัง") < page.text.index("ความเห็นแรก")
    assert "สมศรี" in page.text and "รัฐจะจัดหาน้ำประปา" in page.text and 'for="reason-' in page.text
    token = await token_of(client, f"/facilitate/{round_.slug}/moderation")
    no_reason = await client.post(f"/facilitate/comments/{newer.id}/moderate",
                                  data={"state": "hidden", "reason": "", "csrf_token": token})
    assert no_reason.status_code == 422 and f'id="reason-{newer.id}-error"' in no_reason.text
    hidden = await client.post(f"/facilitate/comments/{newer.id}/moderate",
                               data={"state": "hidden", "reason": "ข้อมูลส่วนตัวของผู้อื่น", "csrf_token": token})
    assert hidden.status_code == 303 and hidden.headers["location"].endswith(f"#comment-{newer.id}")
    restored = await client.post(f"/facilitate/comments/{newer.id}/moderate",
                                 data={"state": "visible", "reason": "", "csrf_token": token})
    assert restored.status_code == 303
    page = await client.get(f"/facilitate/{round_.slug}/moderation")
    trail = page.text.split('id="trail"')[1]
    assert trail.index("ข้อมูลส่วนตัวของผู้อื่น") > trail.index("ความเห็นหลัง")  # newest decision first
    assert me.display_name in trail and trail.count("<li>") == 2
    filtered = await client.get(f"/facilitate/{round_.slug}/moderation?state=hidden")
    assert "ความเห็นหลัง" not in filtered.text.split('id="trail"')[0]


async def test_htmx_swaps_the_comment_and_the_trail(client, committed):
    round_, _, older, _ = await _comments(client, committed)
    token = await token_of(client, f"/facilitate/{round_.slug}/moderation")
    fragment = await client.get(f"/facilitate/{round_.slug}/moderation?state=visible", headers=htmx())
    assert fragment.status_code == 200 and "<html" not in fragment.text and 'id="queue"' in fragment.text
    held = await client.post(f"/facilitate/comments/{older.id}/moderate", headers=htmx(token),
                             data={"state": "pending", "reason": "รอตรวจสอบ", "shown": "visible"})
    assert held.status_code == 200 and "<html" not in held.text
    assert f'<li id="comment-{older.id}"' in held.text and 'hx-swap-oob="true"' in held.text
    assert "รอตรวจสอบ" in held.text
    async with unit_of_work(committed) as session:
        comment = await session.get(Comment, older.id)
    assert (comment.moderation, comment.moderation_reason) == ("pending", "รอตรวจสอบ")
    missing = await client.post(f"/facilitate/comments/{older.id}/moderate", headers=htmx(token),
                                data={"state": "hidden", "reason": " "})
    assert missing.status_code == 200 and 'aria-invalid="true"' in missing.text


async def test_participants_cannot_moderate(client, committed):
    round_, clause, _ = await join_round(client, committed)
    page = await client.get(f"/drafts/{clause.draft_id}")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    await client.post(f"/clauses/{clause.id}/comments", data={"stance": "support", "body": "ดีมาก", "csrf_token": token})
    async with unit_of_work(committed) as session:
        comment_id = await session.scalar(select(Comment.id).where(Comment.clause_id == clause.id))
    refused = await client.post(f"/facilitate/comments/{comment_id}/moderate",
                                data={"state": "hidden", "reason": "x", "csrf_token": token})
    assert refused.status_code == 403
    assert (await client.get(f"/facilitate/{round_.slug}/moderation")).status_code == 403
