"""On a phone, JavaScript on and off: a refusal shows its reason where the form is and keeps what was typed;
a comment sent is confirmed."""

import re

from server.auth.service import create_invites
from server.database import make_sessionmaker, unit_of_work
from server.people.models import Participant
from server.rounds.service import move_phase
from tests.browser.conftest import check_page, join_with_code
from tests.factories import make_clause, make_round


async def _member(page, engine, phase: str):
    async with unit_of_work(make_sessionmaker(engine)) as session:
        round_ = await make_round(session, title={"th": "รอบทดสอบการปฏิเสธ", "en": "Refusal test round"})
        facilitator = await session.get(Participant, round_.created_by_id)
        clause = await make_clause(session, round_, text="รัฐจะรับรองวัฒนธรรมและภาษาของชาวเล")
        await move_phase(session, facilitator, round_.id, phase)
        [(_, code)] = await create_invites(session, facilitator, round_.id, group_key="villagers")
    await join_with_code(page, code)
    return round_, clause, facilitator


async def _move(engine, facilitator, round_, phase):
    async with unit_of_work(make_sessionmaker(engine)) as session:
        await move_phase(session, await session.get(Participant, facilitator.id), round_.id, phase)


async def test_a_need_refused_midway_says_why_and_keeps_what_was_typed(page, engine):
    round_, _, facilitator = await _member(page, engine, "needs")
    await page.goto(f"/rounds/{round_.slug}/needs/new")
    await page.check("input[value=culture]")
    await page.fill("#title", "อยากให้สอนภาษาอูรักลาโว้ยในโรงเรียน")
    await page.select_option("#area_code", "910106")
    await page.click("form details > summary")
    await page.fill("#body", "เด็กๆ พูดภาษาของตัวเองไม่ได้แล้ว")
    await _move(engine, facilitator, round_, "deliberation")  # the phase closes while the phone is typing
    await page.click("form button")
    alert = page.locator("main [role=alert]")
    await alert.wait_for()
    assert "ไม่เปิดให้เสนอความต้องการ" in await alert.inner_text()
    assert await page.input_value("#title") == "อยากให้สอนภาษาอูรักลาโว้ยในโรงเรียน"
    assert await page.input_value("#body") == "เด็กๆ พูดภาษาของตัวเองไม่ได้แล้ว"
    assert await page.is_checked("input[value=culture]")
    await check_page(page, "need-refused")

    await page.goto(f"/rounds/{round_.slug}")  # and now the round says so before the form is opened
    assert await page.locator("[aria-disabled=true]", has_text="บอกความต้องการ").count() == 1
    assert "ไม่เปิดให้เสนอความต้องการ" in await page.inner_text("#need-closed")
    await check_page(page, "round-need-closed")


async def test_a_comment_is_confirmed_and_a_refused_one_kept(page, engine):
    round_, clause, facilitator = await _member(page, engine, "deliberation")
    await page.goto(f"/drafts/{clause.draft_id}")
    section = page.locator(f"#clause-{clause.id}")
    form = section.locator(f"form:has(#body-{clause.id})")  # the clause's own comment form, not a reply's
    assert await section.locator("textarea[name=text]").input_value() == "รัฐจะรับรองวัฒนธรรมและภาษาของชาวเล"
    await section.locator("details > summary", has_text="ความคิดเห็น").first.click()
    await form.locator("input[name=stance][value=support]").check()
    await section.locator(f"#body-{clause.id}").fill("เห็นด้วย ขอให้ทำเร็วๆ")
    await section.locator(f"#body-{clause.id} ~ button").click()
    await page.wait_for_selector("[role=status]:has-text('ส่งความคิดเห็นของคุณแล้ว')")
    await page.wait_for_url(re.compile(rf"/drafts/{clause.draft_id}"))
    await check_page(page, "comment-sent")

    await _move(engine, facilitator, round_, "consolidation")
    await section.locator("details > summary", has_text="ความคิดเห็น").first.click()
    await form.locator("input[name=stance][value=question]").check()
    await section.locator(f"#body-{clause.id}").fill("จะเริ่มเมื่อไร")
    await section.locator(f"#body-{clause.id} ~ button").click()
    await page.wait_for_selector(f"#comment-error-{clause.id}")
    assert "ไม่เปิดให้แสดงความคิดเห็น" in await page.inner_text(f"#comment-error-{clause.id}")
    assert await page.input_value(f"#body-{clause.id}") == "จะเริ่มเมื่อไร"
    await check_page(page, "comment-refused")
