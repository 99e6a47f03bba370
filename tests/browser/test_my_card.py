"""A participant's card and data on a 360 px phone, JavaScript on and off: join, keep the card, come back on
another phone with it, take a copy of their data, and leave Ruam."""

import asyncio
import json
import re
from pathlib import Path

from server.auth.service import create_invites
from server.database import make_sessionmaker, unit_of_work
from server.people.models import Participant
from tests.browser.conftest import _phone_page, check_page
from tests.factories import make_round


async def test_join_keep_the_card_come_back_on_another_phone_take_a_copy_and_leave(page, browser, base_url, engine):
    async with unit_of_work(make_sessionmaker(engine)) as session:
        round_ = await make_round(session, title={"th": "รอบบัตรของฉัน", "en": "My card round"})
        facilitator = await session.get(Participant, round_.created_by_id)
        [(_, invite)] = await create_invites(session, facilitator, round_.id, group_key="villagers")

    await page.goto(f"/j/{invite}")
    await page.fill("#display_name", "จันทร์เพ็ญ")
    await page.click("main button[type=submit]")
    await page.wait_for_url(re.compile(r"/consent"))
    await page.check("input[name=data_processing]")
    await page.click("main form button[type=submit]")
    await page.wait_for_url(re.compile(r"/me/card\?next="))
    assert "จันทร์เพ็ญ" in await page.inner_text(".reentry")
    assert await page.locator(".reentry svg.qr").count() == 1
    code = (await page.inner_text(".reentry .code")).strip()
    await check_page(page, "my-card")
    await page.click("main form button[type=submit]")  # I have saved it
    await page.wait_for_url(re.compile(rf"://[^/?]+/rounds/{round_.slug}$"))

    phone = await _phone_page(browser, base_url, page.js)  # another phone: no cookies
    try:
        await phone.goto("/card")
        await check_page(phone, "card-enter")
        await phone.fill("#code", code.replace("-", "").lower())
        await phone.click("main form button[type=submit]")
        await phone.wait_for_url(re.compile(r"://[^/?]+/$"))
        assert round_.title["th"] in await phone.inner_text("#my-rounds + ul")

        await phone.goto("/me")
        await check_page(phone, "my-data")
        assert "จันทร์เพ็ญ" in await phone.inner_text("main")
        async with phone.expect_download() as downloading:
            await phone.click("a[href='/me/data.json']")
        saved = await (await downloading.value).path()
        copy = json.loads(await asyncio.to_thread(Path(saved).read_text, encoding="utf-8"))
        assert copy["profile"]["display_name"] == "จันทร์เพ็ญ"
        assert [r["round"]["slug"] for r in copy["rounds"]] == [round_.slug]

        await phone.click("a[href='/me/withdraw']")
        await phone.wait_for_url(re.compile(r"/me/withdraw$"))
        await check_page(phone, "withdraw")
        await phone.check("input[name=confirm]")
        await phone.click("main form button[type=submit]")
        await phone.wait_for_url(re.compile(r"/me/withdrawn$"))
        await phone.goto("/me")
        await phone.wait_for_url(re.compile(r"/card$"))  # signed out: the page asks for a card
        assert phone.refused == []
    finally:
        await phone.context.close()
    await page.goto("/me")  # the first phone's session ended too
    await page.wait_for_url(re.compile(r"/card$"))
