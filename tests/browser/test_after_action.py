"""Follow-through on a phone, JavaScript on and off: a facilitator reads the round's after-action report
and the promises to chase, and chooses after how many days a silent promise is chased."""

import re
import uuid
from datetime import date

import pytest
from playwright.async_api import expect

from server.database import make_sessionmaker, unit_of_work
from server.deliberation.service import cast_vote
from server.i18n import translations
from server.rounds.service import move_phase
from tests.browser.conftest import check_page
from tests.factories import make_clause, make_commitment, make_member, make_need, make_round, publish_round


def th(message: str, **params) -> str:
    text = translations("th").gettext(message)
    return text % params if params else text


@pytest.fixture
def committed(engine):
    return make_sessionmaker(engine)


async def test_after_action_report_and_promises_to_chase(facilitator_page, facilitator, committed):
    page = facilitator_page
    async with unit_of_work(committed) as session:
        round_ = await make_round(session, facilitator.person, slug=f"after-{uuid.uuid4().hex[:8]}")
        villagers = [await make_member(session, round_) for _ in range(3)]
        officials = [await make_member(session, round_, "government") for _ in range(2)]
        need = await make_need(session, round_, villagers[0], title="ไม่มีโฉนดที่ดิน")
        clause = await make_clause(session, round_, answers=[need.id])
        await move_phase(session, facilitator.person, round_.id, "deliberation")
        for person in villagers + officials:
            await cast_vote(session, person, clause.id, "agree")
        await publish_round(session, round_)
        late = await make_commitment(session, clause, agency="กรมที่ดิน", due_date=date(2021, 3, 31))

    await page.goto(f"/facilitate/{round_.slug}")
    await page.click(f"nav.tools a[href='/facilitate/{round_.slug}/after-action']")
    await page.wait_for_url(re.compile(r"/after-action$"))
    main = page.locator("main")
    await expect(main.locator("h1")).to_have_text(th("After-action report"))
    await expect(main).to_contain_text("ปัญหา 1 จาก 1 เรื่อง")
    await expect(main.locator("a[href$='/after-action.pdf']")).to_be_visible()
    await check_page(page, "facilitator-after-action")

    await page.click(f"main a[href='/facilitate/{round_.slug}/follow-up']")
    await page.wait_for_url(re.compile(r"/follow-up$"))
    card = page.locator(f"#late-{late.id}")
    await expect(card).to_contain_text("กรมที่ดิน")
    await expect(card).to_contain_text(th("Late: the due date has passed"))
    await page.fill("#stale_after_days", "0")
    await page.click("main form:has(#stale_after_days) button")
    await expect(page.locator("#stale_after_days-error")).to_be_visible()
    await expect(page.locator("#stale_after_days")).to_have_value("0")
    await check_page(page, "facilitator-follow-up-refused")
    await page.fill("#stale_after_days", "45")
    await page.click("main form:has(#stale_after_days) button")
    await expect(page.locator("main [role=status]")).to_have_text(th("Saved."))
    await expect(page.locator("#stale_after_days")).to_have_value("45")
    await check_page(page, "facilitator-follow-up")
