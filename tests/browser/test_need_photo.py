"""A need with a photo from a 360 px phone, with JavaScript on and off: a wrong file is said on the
form with everything else kept, a photo goes through and shows on "My input"."""

import re

from sqlalchemy import select

from server.auth.service import create_invites
from server.database import make_sessionmaker, unit_of_work
from server.needs.models import Need
from server.people.models import Participant
from tests.browser.conftest import check_page
from tests.factories import make_round
from tests.images import phone_jpeg


async def _member_of_a_new_round(page, engine):
    async with unit_of_work(make_sessionmaker(engine)) as session:
        round_ = await make_round(session, title={"th": "รอบทดสอบรูปถ่าย", "en": "Photo test round"})
        facilitator = await session.get(Participant, round_.created_by_id)
        [(_, code)] = await create_invites(session, facilitator, round_.id, group_key="villagers")
    await page.goto(f"/j/{code}")
    await page.fill("#display_name", "มาลี")
    await page.click("button[type=submit]")
    await page.wait_for_url(re.compile(r"/consent"))
    await page.check("input[name=data_processing]")
    await page.click("form button")
    await page.wait_for_url(re.compile(rf"/rounds/{round_.slug}$"))
    return round_


async def test_a_need_with_a_photo(page, engine):
    round_ = await _member_of_a_new_round(page, engine)
    await page.goto(f"/rounds/{round_.slug}/needs/new")
    await page.check("input[value=land_housing]")
    await page.fill("#title", "บ้านริมทะเลถูกคลื่นกัดเซาะ")
    await page.select_option("#area_code", "910106")
    await page.fill("#people_affected", "48")
    await page.set_input_files("#photo_file", files=[{"name": "notes.txt", "mimeType": "text/plain",
                                                      "buffer": b"not a photo"}])
    await page.click("form button")
    await page.wait_for_selector("#photo-error")
    assert "JPEG, PNG หรือ WebP" in await page.inner_text("#photo-error")
    assert await page.input_value("#title") == "บ้านริมทะเลถูกคลื่นกัดเซาะ"
    assert await page.input_value("#area_code") == "910106"
    await check_page(page, "need-form-photo-error")

    await page.set_input_files("#photo", files=[{"name": "IMG_2041.jpg", "mimeType": "image/jpeg",
                                                 "buffer": phone_jpeg(3000, 2000, orientation=6)}])
    await page.click("form button")
    await page.wait_for_url(re.compile(r"/mine"))
    thumbnail = page.locator("img[src$='.thumb.jpg']")
    await thumbnail.wait_for()
    assert await thumbnail.get_attribute("alt") == "รูปถ่าย: บ้านริมทะเลถูกคลื่นกัดเซาะ"
    await page.wait_for_function("() => document.querySelector(\"img[src$='.thumb.jpg']\").naturalWidth === 320")
    await check_page(page, "my-input-photo")
    async with unit_of_work(make_sessionmaker(engine)) as session:
        need = await session.scalar(select(Need).where(Need.round_id == round_.id))
    assert need.photo and need.title == "บ้านริมทะเลถูกคลื่นกัดเซาะ"
