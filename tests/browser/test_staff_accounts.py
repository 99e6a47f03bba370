"""An administrator invites a facilitator in the browser; the facilitator opens the link in a browser of
their own, chooses a passphrase, signs in and finds their round. On a 360 px phone, JavaScript on and off."""

import re
import uuid

import pytest

from server.database import make_sessionmaker, unit_of_work
from server.staff import service as staff
from tests.browser.conftest import _phone_page, check_page
from tests.factories import make_round

PASSPHRASE = "เรือหางยาว ออกทะเล ตอนเช้า"


@pytest.fixture
def committed(engine):
    return make_sessionmaker(engine)


async def test_an_administrator_invites_a_facilitator_who_signs_in_and_sees_their_round(page, browser, base_url,
                                                                                         committed):
    tag = uuid.uuid4().hex[:6]
    async with unit_of_work(committed) as session:
        _, code = await staff.invite(session, None, role="admin")
        joined = await staff.accept_invitation(session, code, display_name=f"ผู้ดูแล {tag}", method="passphrase",
                                               passphrase=PASSPHRASE, confirm=PASSPHRASE)
        round_ = await make_round(session, joined.person, slug=f"staff-{tag}",
                                  title={"th": f"รอบเกาะลิบง {tag}", "en": f"Libong {tag}"})
        other = await make_round(session, joined.person, slug=f"other-{tag}",
                                 title={"th": f"รอบอื่น {tag}", "en": f"Other {tag}"})

    await page.goto("/admin/staff")
    await page.wait_for_url(re.compile(r"/facilitate/sign-in\?next=/admin/staff$"))
    await check_page(page, "staff-sign-in")
    await page.fill("#who", f"ผู้ดูแล {tag}")
    await page.fill("#passphrase", PASSPHRASE)
    await page.click("main form:has(#who) button[type=submit]")
    await page.wait_for_url(re.compile(r"/admin/staff$"))
    await check_page(page, "admin-staff")

    await page.click("a[href='/admin/staff/invite']")
    await page.wait_for_url(re.compile(r"/admin/staff/invite$"))
    await check_page(page, "admin-staff-invite")
    await page.select_option("#organisation", "new")
    await page.fill("#organisation_th", f"กรมทรัพยากรทางทะเล {tag}")
    await page.fill("#organisation_en", f"Marine Resources {tag}")
    await page.check(f"input[name=rounds][value='{round_.id}']")
    await page.click("main form button[type=submit]")
    await page.wait_for_selector("#one-time-url")
    await check_page(page, "admin-staff-invitation-link")
    link = await page.input_value("#one-time-url")
    path = re.search(r"/staff/invite/[A-Za-z0-9_-]+$", link).group(0)

    invited = await _phone_page(browser, base_url, page.js)
    try:
        await invited.goto(path)
        await check_page(invited, "staff-invitation")
        await invited.fill("#display_name", f"ครูมานพ {tag}")
        await invited.fill("#passphrase", PASSPHRASE)
        await invited.fill("#confirm", PASSPHRASE)
        await invited.click("main form button[type=submit]")
        await invited.wait_for_url(re.compile(r"/facilitate$"))
        await invited.wait_for_selector(f"a[href='/facilitate/{round_.slug}']")
        assert await invited.locator(f"a[href='/facilitate/{other.slug}']").count() == 0
        await check_page(invited, "staff-facilitator-rounds")
        await invited.click(f"a[href='/facilitate/{round_.slug}']")
        await invited.wait_for_url(re.compile(rf"/facilitate/{round_.slug}$"))
    finally:
        await invited.context.close()
    assert invited.refused == []

    await page.goto("/admin/staff")
    await page.click(f"text=ครูมานพ {tag}")
    await page.wait_for_url(re.compile(r"/admin/staff/[0-9a-f-]+$"))
    await check_page(page, "admin-staff-person")
