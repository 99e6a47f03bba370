"""A refusal says why, keeps what was typed and offers the next step; what was sent is confirmed; what cannot be
sent now is said before the form is filled in (with the services' own phase rule)."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from server.auth.models import InviteCode
from server.auth.service import create_invites, hash_secret
from server.database import unit_of_work
from server.deliberation.models import Comment
from server.drafts.models import Amendment
from server.needs.models import Need
from server.people.models import Participant
from server.rounds.service import move_phase
from tests.factories import make_round
from tests.web.conftest import csrf_of, join_round

HX = {"HX-Request": "true", "HX-Boosted": "true"}
NEED = {"sector": "water", "title": "น้ำประปาไม่ไหลสามเดือน", "area_code": "910106", "severity": "4",
        "body": "ต้องซื้อน้ำทุกวัน", "people_affected": "120", "hazards": ["drought"]}


def shown(page) -> str:
    """The page's text as read: <wbr> marks where Thai may wrap, between words."""
    return page.text.replace("<wbr>", "")


async def _move(committed, round_, phase):
    async with unit_of_work(committed) as session:
        facilitator = await session.get(Participant, round_.created_by_id)
        await move_phase(session, facilitator, round_.id, phase)


async def test_a_need_sent_when_needs_are_closed_comes_back_with_why_and_every_value(client, committed):
    round_, _, _ = await join_round(client, committed, phase="needs")
    form = await client.get(f"/rounds/{round_.slug}/needs/new")
    await _move(committed, round_, "deliberation")  # closed while the form was being filled in
    for headers in ({}, HX):  # without JavaScript, and through htmx (which now swaps a 409 in)
        sent = await client.post(f"/rounds/{round_.slug}/needs", data={**NEED, "csrf_token": csrf_of(form)},
                                 headers=headers)
        assert sent.status_code == 409
        assert "ไม่เปิดให้เสนอความต้องการ" in sent.text and 'role="alert"' in sent.text
        assert 'value="น้ำประปาไม่ไหลสามเดือน"' in sent.text and ">ต้องซื้อน้ำทุกวัน</textarea>" in sent.text
        assert 'value="120"' in sent.text and 'value="910106" selected' in sent.text
        assert 'value="water" required checked' in sent.text and 'value="drought" checked' in sent.text
        assert 'value="4" checked' in sent.text
        assert sent.headers.get("hx-push-url") == "false"  # history keeps the form's address, not the POST's
    async with unit_of_work(committed) as session:
        assert await session.scalar(select(Need).where(Need.round_id == round_.id)) is None


async def test_what_cannot_be_sent_now_is_said_before_with_the_reason(client, committed):
    round_, clause, _ = await join_round(client, committed, phase="deliberation")
    home = await client.get(f"/rounds/{round_.slug}")
    assert f'href="/rounds/{round_.slug}/needs/new"' not in home.text
    assert 'aria-disabled="true" aria-describedby="need-closed">บอกความต้องการ' in home.text
    assert "ไม่เปิดให้เสนอความต้องการ" in home.text
    form = await client.get(f"/rounds/{round_.slug}/needs/new")
    assert "ไม่เปิดให้เสนอความต้องการ" in form.text and 'name="title"' not in form.text
    draft = await client.get(f"/drafts/{clause.draft_id}")
    assert f'action="/clauses/{clause.id}/comments"' in draft.text  # deliberation opens both
    assert f'action="/clauses/{clause.id}/amendments"' in draft.text

    await _move(committed, round_, "consolidation")
    draft = await client.get(f"/drafts/{clause.draft_id}")
    assert f'action="/clauses/{clause.id}/comments"' not in draft.text
    assert f'action="/clauses/{clause.id}/amendments"' not in draft.text
    assert "ตอนนี้ยังแสดงความคิดเห็นไม่ได้" in draft.text and "ไม่เปิดให้แสดงความคิดเห็น" in draft.text

    await _move(committed, round_, "needs")
    home = await client.get(f"/rounds/{round_.slug}")
    assert f'href="/rounds/{round_.slug}/needs/new"' in home.text and "need-closed" not in home.text


async def test_a_refused_comment_and_wording_come_back_in_their_form(client, committed):
    round_, clause, _ = await join_round(client, committed, phase="deliberation")
    page = await client.get(f"/drafts/{clause.draft_id}")
    token = csrf_of(page)
    await _move(committed, round_, "consolidation")
    for headers in ({}, HX):
        comment = await client.post(f"/clauses/{clause.id}/comments", headers=headers, data={
            "stance": "question", "body": "ใครจะออกโฉนดให้", "csrf_token": token})
        assert comment.status_code == 409 and "ไม่เปิดให้แสดงความคิดเห็น" in comment.text
        assert ">ใครจะออกโฉนดให้</textarea>" in comment.text and 'value="question" required checked' in comment.text
        assert comment.headers.get("hx-push-url") == "false"
    amended = await client.post(f"/clauses/{clause.id}/amendments", data={
        "text": "รัฐจะออกโฉนดชุมชนภายในหกเดือน", "rationale": "หนึ่งปีนานไป", "csrf_token": token})
    assert amended.status_code == 409
    assert ">รัฐจะออกโฉนดชุมชนภายในหกเดือน</textarea>" in amended.text and ">หนึ่งปีนานไป</textarea>" in amended.text
    await _move(committed, round_, "deliberation")
    empty = await client.post(f"/clauses/{clause.id}/amendments", data={"text": " ", "rationale": "เพราะ",
                                                                        "csrf_token": token})
    assert empty.status_code == 422 and "ช่องนี้ต้องไม่ว่าง" in empty.text and ">เพราะ</textarea>" in empty.text
    async with unit_of_work(committed) as session:
        assert await session.scalar(select(Comment).where(Comment.clause_id == clause.id)) is None
        assert await session.scalar(select(Amendment).where(Amendment.clause_id == clause.id)) is None


async def test_a_comment_and_a_wording_sent_are_confirmed_once(client, committed):
    _, clause, _ = await join_round(client, committed, phase="deliberation")
    page = await client.get(f"/drafts/{clause.draft_id}")
    token = csrf_of(page)
    assert "ส่งความคิดเห็นของคุณแล้ว" not in page.text
    sent = await client.post(f"/clauses/{clause.id}/comments", data={"stance": "support", "body": "ดีมาก",
                                                                     "csrf_token": token})
    assert sent.status_code == 303
    back = await client.get(sent.headers["location"])
    assert 'role="status">ส่งความคิดเห็นของคุณแล้ว' in back.text
    assert "ส่งความคิดเห็นของคุณแล้ว" not in (await client.get(sent.headers["location"])).text  # once
    amended = await client.post(f"/clauses/{clause.id}/amendments", headers=HX, data={
        "text": "รัฐจะออกโฉนดชุมชนภายในหกเดือน", "csrf_token": token})
    assert amended.status_code == 303  # a boosted form follows the redirect, as a browser does
    assert "ส่งถ้อยคำของคุณแล้ว" in (await client.get(amended.headers["location"])).text


async def test_the_wording_box_starts_with_the_clause(client, committed):
    _, clause, _ = await join_round(client, committed, phase="deliberation")
    page = await client.get(f"/drafts/{clause.draft_id}")
    assert f'name="text" rows="4" required maxlength="5000" >{clause.text}</textarea>' in page.text


async def _code(committed, **overrides):
    async with unit_of_work(committed) as session:
        round_ = await make_round(session)
        facilitator = await session.get(Participant, round_.created_by_id)
        [(_, code)] = await create_invites(session, facilitator, round_.id, group_key="villagers", **overrides)
    return code


async def _join(client, code):
    form = await client.get("/join")
    return await client.post("/join", data={"code": code, "display_name": "สมชาย", "locale": "th",
                                            "csrf_token": csrf_of(form)})


async def test_an_unknown_code_is_told_apart_from_a_spent_one(client, committed):
    unknown = await _join(client, "ABCD-EFGH")
    assert unknown.status_code == 422 and "ไม่รู้จักรหัสนี้" in unknown.text and 'value="สมชาย"' in unknown.text
    assert 'value="ABCD-EFGH"' in unknown.text

    expired = await _code(committed, expires_at=datetime.now(UTC) - timedelta(days=1))
    assert "หมดอายุแล้ว" in (await _join(client, expired)).text
    withdrawn = await _code(committed)
    async with unit_of_work(committed) as session:
        await session.execute(update(InviteCode).where(InviteCode.code_hash == hash_secret(withdrawn))
                              .values(revoked_at=datetime.now(UTC)))
    assert "ถูกยกเลิกแล้ว" in (await _join(client, withdrawn)).text
    used = await _code(committed)
    assert (await _join(client, used)).status_code == 303
    client.cookies.clear()  # someone else, on another phone
    again = await _join(client, used)
    assert again.status_code == 422 and "ใช้ครบแล้ว" in again.text and "ไม่รู้จัก" not in again.text


async def test_the_error_page_leads_back_to_its_round(client, committed):
    round_, _, _ = await join_round(client, committed, phase="needs")
    refused = await client.post(f"/rounds/{round_.slug}/needs", data=NEED)  # no CSRF token: refused
    assert refused.status_code == 403 and f'href="/rounds/{round_.slug}">กลับไปที่รอบนี้' in refused.text
    missing = await client.get("/rounds/no-such-round")
    assert missing.status_code == 404 and "กลับไปที่รอบนี้" not in missing.text


async def test_htmx_gets_the_reason_alone_where_it_asked_for_a_fragment(client, committed):
    _, clause, _ = await join_round(client, committed, phase="deliberation")
    page = await client.get(f"/drafts/{clause.draft_id}")
    answer = await client.post(f"/clauses/{clause.id}x/vote", data={"choice": "agree"},
                               headers={"HX-Request": "true", "X-CSRF-Token": csrf_of(page)})
    assert answer.status_code == 404 and "<html" not in answer.text and 'role="alert"' in answer.text


async def test_pages_say_how_refusals_and_failures_show_with_javascript(client, committed):
    page = await client.get("/join")
    config = page.text.split('name="htmx-config" content=\'')[1].split("'")[0]
    assert '{"code":"4..","swap":true}' in config  # every refusal is swapped in: none is dropped
    assert '"code":"5..","swap":true,"error":true,"target":"#problem"' in config
    assert 'id="problem"' in page.text and "/static/problems.js" in page.text


async def test_no_favicon_404(client):
    page = await client.get("/")
    assert '<link rel="icon" href="/static/favicon.svg"' in page.text
    for path in ("/favicon.ico", "/static/favicon.svg"):
        icon = await client.get(path)
        assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml"), path
