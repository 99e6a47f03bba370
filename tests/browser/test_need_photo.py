"""A need with a photo from a 360 px phone, with JavaScript on and off: a wrong file is said on the
form with everything else kept, a photo goes through and shows on "My input"; with JavaScript a
camera's several-MB photo is made small on the phone before it is sent."""

import re
from io import BytesIO

from PIL import Image
from sqlalchemy import select

from server.auth.service import create_invites
from server.database import make_sessionmaker, unit_of_work
from server.needs.models import Need
from server.people.models import Participant
from tests.browser.conftest import check_page, join_with_code
from tests.factories import make_round
from tests.images import phone_jpeg
from web.photos import FORM_LIMIT


async def _member_of_a_new_round(page, engine):
    async with unit_of_work(make_sessionmaker(engine)) as session:
        round_ = await make_round(session, title={"th": "รอบทดสอบรูปถ่าย", "en": "Photo test round"})
        facilitator = await session.get(Participant, round_.created_by_id)
        [(_, code)] = await create_invites(session, facilitator, round_.id, group_key="villagers")
    await join_with_code(page, code)
    assert page.url.endswith(f"/rounds/{round_.slug}")
    return round_


async def test_a_need_with_a_photo(page, engine):
    round_ = await _member_of_a_new_round(page, engine)
    await page.goto(f"/rounds/{round_.slug}/needs/new")
    await page.check("input[value=land_housing]")
    await page.fill("#title", "บ้านริมทะเลถูกคลื่นกัดเซาะ")
    await page.select_option("#area_code", "910106")
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


async def test_a_camera_photo_is_made_small_on_the_phone_before_it_is_sent(page, engine):
    round_ = await _member_of_a_new_round(page, engine)
    original = phone_jpeg(4000, 3000, orientation=6, grain=40)  # held sideways, as a camera saves it
    assert len(original) > 3_000_000
    await page.goto(f"/rounds/{round_.slug}/needs/new")
    await page.check("input[value=water]")
    await page.fill("#title", "น้ำประปาไม่ไหลสามวัน")
    await page.select_option("#area_code", "910106")
    camera = [{"name": "IMG_2042.JPG", "mimeType": "image/jpeg", "buffer": original}]
    if page.js:
        await page.set_input_files("#photo_file", files=camera)
        await page.wait_for_function(
            "() => /รูปพร้อมส่ง: \\d+ KB/.test(document.getElementById('photo-status').textContent)")
        chosen = await page.evaluate("() => { const f = document.getElementById('photo_file').files[0];"
                                     " return [f.name, f.type, f.size]; }")
        assert chosen[:2] == ["IMG_2042.jpg", "image/jpeg"] and chosen[2] < len(original) / 4
        await check_page(page, "need-form-photo-shrunk")
        await page.set_input_files("#photo_file", files=[])
        assert await page.inner_text("#photo-status") == ""
    sent = []
    page.on("request", lambda request: sent.append(request) if request.method == "POST" else None)
    await page.set_input_files("#photo", files=camera)
    await page.click("form button")  # at once: the send waits for the photo to be made smaller
    await page.wait_for_url(re.compile(r"/mine"))
    [request] = [r for r in sent if r.url.endswith("/needs")]
    # Chromium does not hand over a body with a file in it, but says how long it was
    body = int(await request.header_value("content-length"))
    if page.js:
        assert body < len(original) / 4, f"{body} B sent for a {len(original)} B photo"
    else:
        assert body > len(original)
    print(f"\n{'js' if page.js else 'no-js'}: a {len(original)} B photo, {body} B sent")

    async with unit_of_work(make_sessionmaker(engine)) as session:
        need = await session.scalar(select(Need).where(Need.round_id == round_.id))
    assert need.photo and need.title == "น้ำประปาไม่ไหลสามวัน"
    stored = await page.request.get(f"/photos/{need.photo}.jpg")
    with Image.open(BytesIO(await stored.body())) as image:
        assert image.size == (960, 1280)  # upright: portrait
        assert image.getpixel((image.width - 5, 5))[2] > 150  # the blue corner, turned to the top right
        assert image.getpixel((5, 5))[0] > 120


async def test_a_photo_too_large_to_send_comes_back_on_the_form_with_what_was_typed(page, engine):
    round_ = await _member_of_a_new_round(page, engine)
    await page.goto(f"/rounds/{round_.slug}/needs/new")
    await page.check("input[value=water]")
    await page.fill("#title", "น้ำประปาไม่ไหลมาสามวัน")
    await page.select_option("#area_code", "910106")
    await page.click("summary")
    await page.fill("#body", "ต้องซื้อน้ำขวดทุกวัน")
    # past what the server reads of a form (and not a picture the phone can make smaller): sent as it is
    await page.set_input_files("#photo_file", files=[{"name": "IMG_9999.jpg", "mimeType": "image/jpeg",
                                                      "buffer": bytes(FORM_LIMIT + 1)}])
    await page.click("form button")
    await page.wait_for_selector("#photo-error")
    assert "10 MB" in await page.inner_text("#photo-error")
    assert await page.input_value("#title") == "น้ำประปาไม่ไหลมาสามวัน"
    assert await page.input_value("#body") == "ต้องซื้อน้ำขวดทุกวัน"
    assert await page.input_value("#area_code") == "910106"
    assert page.url.endswith("/needs/new") or page.url.endswith("/needs")
    await check_page(page, "need-form-photo-too-large")
