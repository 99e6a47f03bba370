"""On a phone, JavaScript on and off: after consent a person is offered the questions about public services,
answers some, is told that nothing is kept until they agree (their answers still there), agrees, and finds
them on My data; the round's summary reads on the same phone."""

import re

from server.auth.service import create_invites
from server.database import make_sessionmaker, unit_of_work
from server.people.models import Participant
from tests.browser.conftest import check_page, keep_the_card
from tests.factories import make_round


async def test_a_person_answers_the_questions_offered_after_consent(page, engine):
    async with unit_of_work(make_sessionmaker(engine)) as session:
        round_ = await make_round(session, title={"th": "รอบบริการรัฐ", "en": "Services round"})
        facilitator = await session.get(Participant, round_.created_by_id)
        [(_, code)] = await create_invites(session, facilitator, round_.id, group_key="villagers")
    await page.goto(f"/j/{code}")
    await page.fill("#display_name", "บังหมาด")
    await page.click("button[type=submit]")
    await page.wait_for_url(re.compile(r"/consent"))
    await page.check("input[name=data_processing]")
    await page.check("input[name=exclusion]")
    await page.click("main form button[type=submit]")
    await keep_the_card(page)
    await page.wait_for_url(re.compile(r"/me/exclusion\?next="))
    await check_page(page, "exclusion-form")

    await page.check("input[name=id_document][value=pink_card]")
    await page.check("input[name=disability_card][value=eligible_not_held]")
    await page.check("input[name=services_missed][value=health]")
    await page.check("input[name=reasons][value=distance]")
    await page.select_option("#area_code", "9101")
    await page.click("main form button[type=submit]")
    alert = page.locator("main [role=alert]")
    await alert.wait_for()
    assert "ยินยอม" in await alert.inner_text()
    assert await page.is_checked("input[name=id_document][value=pink_card]")
    assert await page.is_checked("input[name=services_missed][value=health]")
    assert await page.input_value("#area_code") == "9101"
    await check_page(page, "exclusion-refused")

    await page.check("input[name=agree]")
    await page.click("main form button[type=submit]:has-text('บันทึก')")
    await page.locator("main [role=status]").wait_for()
    assert await page.is_checked("input[name=disability_card][value=eligible_not_held]")
    await check_page(page, "exclusion-saved")
    await page.click("main a.button:has-text('ต่อไป')")
    await page.wait_for_url(re.compile(rf"/rounds/{round_.slug}$"))

    await page.goto("/me")
    section = page.locator("section:has(#my-exclusion)")
    assert "บัตรสีชมพู" in await section.inner_text() and "เมืองสตูล" in await section.inner_text()
    await page.goto(f"/rounds/{round_.slug}/exclusion")
    assert "น้อยกว่า 3" in await page.inner_text("#exclusion")  # one person: nothing shown about them
    await check_page(page, "exclusion-summary")
