"""The climate-risk page on a phone, JavaScript on and off: a member finds it from the round's home, filters with
the GET form, sorts by a column heading's link, and reads the small parts as "fewer than 3"."""

import re

import pytest
from playwright.async_api import expect

from server.auth.service import create_invites
from server.database import make_sessionmaker, unit_of_work
from server.i18n import translations
from tests.browser.conftest import check_page, join_with_code
from tests.risk_fixture import make_picture


def th(message: str, **params) -> str:
    text = translations("th").gettext(message)
    return text % params if params else text


@pytest.fixture
def committed(engine):
    return make_sessionmaker(engine)


async def test_a_member_reads_filters_and_sorts_the_climate_risk(page, committed):
    async with unit_of_work(committed) as session:
        picture = await make_picture(session)
        [(_, code)] = await create_invites(session, picture.facilitator, picture.fishing.id, group_key="fishers")
    slug = picture.fishing.slug
    await join_with_code(page, code)
    await page.click(f"nav a[href='/rounds/{slug}/risk']")
    await page.wait_for_url(re.compile(rf"/rounds/{slug}/risk$"))
    await expect(page.locator("h1")).to_have_text(th("Climate risk"))
    table = page.locator("table.risk")
    await expect(table.locator("tbody tr").first).to_contain_text("116.6")
    await expect(table).to_contain_text("น้อยกว่า 3 คน")
    await expect(page.locator("svg").first).to_be_visible()
    await check_page(page, "risk")

    await page.select_option("#r-level", "district")
    await page.select_option("#r-hazard", "storm")
    await page.click("main form[role=search] button")
    await page.wait_for_url(re.compile(r"level=district.*hazard=storm"))
    await expect(table.locator("tbody tr")).to_have_count(2)
    await expect(table).not_to_contain_text("120.6")  # D's part, alone, is left out

    await page.click("thead a[href*='sort=needs']")
    await page.wait_for_url(re.compile(r"sort=needs"))
    await expect(page.locator("th[aria-sort=descending]")).to_contain_text(th("Needs"))
    await expect(page.locator(f"a[href='/rounds/{slug}/risk.csv?level=district&hazard=storm']")).to_be_visible()
    await check_page(page, "risk-filtered")

    # across the rounds they read: who is left out is a link to each round's own summary
    await page.goto("/risk")
    link = page.locator(f"#exclusion-rounds a[href='/rounds/{slug}/exclusion?level=province']")
    await expect(link).to_be_visible()
    await check_page(page, "risk-everywhere")
    await link.click()
    await page.wait_for_url(re.compile(rf"/rounds/{slug}/exclusion"))
    await expect(page.locator("#exclusion")).to_be_visible()
