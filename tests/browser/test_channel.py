"""A standing channel on a phone, JavaScript on and off: a villager joins by the QR link and tells a need, the
channel's facilitator answers it and brings it into a round from the triage page, and the villager reads on
"My input" what became of it."""

from __future__ import annotations

import re
import uuid

from server.auth.service import create_invites
from server.channels import service as channels
from server.database import make_sessionmaker, unit_of_work
from server.i18n import translations
from server.people.models import Participant
from tests.browser.conftest import _phone_page, check_page, join_with_code
from tests.channels import make_organisation
from tests.factories import make_round


def th(message: str, **params) -> str:
    text = translations("th").gettext(message)
    return text % params if params else text


async def test_raise_triage_and_the_person_sees_the_outcome(page, browser, base_url, engine, facilitator,
                                                          facilitator_cookies):
    mark = f"{'js' if page.js else 'nojs'}-{uuid.uuid4().hex[:6]}"
    async with unit_of_work(make_sessionmaker(engine)) as session:
        organisation = await make_organisation(session)
        me = await session.get_one(Participant, facilitator.person.id)
        me.organisation_id = organisation.id
        channel = await channels.create_channel(session, me, organisation_id=organisation.id,
                                                slug=f"channel-{mark}", title={"th": "บอกเรื่องกรมทะเล"},
                                                area_codes=["91"])
        round_ = await make_round(session, me, title={"th": f"รอบท่าเรือ {mark}"})
        [(_, code)] = await create_invites(session, me, channel.id, group_key=channels.HEARD[0])

    await join_with_code(page, code)
    await check_page(page, "channel-home")
    await page.click(f"a[href='/rounds/{channel.slug}/needs/new']")
    await page.wait_for_url(re.compile(r"/needs/new$"))
    await page.check("input[value=water]")
    await page.fill("#title", "ท่าเรือพังเรือเข้าไม่ได้")
    await page.select_option("#area_code", "910106")
    await page.click("form button")
    await page.wait_for_url(re.compile(r"/mine"))
    assert th("Received: the organisation has your need.") in await page.content()
    await check_page(page, "channel-mine-received")

    staff = await _phone_page(browser, base_url, page.js, storage_state=facilitator_cookies)
    try:
        await staff.goto(f"/facilitate/{channel.slug}/triage")
        assert "ท่าเรือพังเรือเข้าไม่ได้" in await staff.content()
        await check_page(staff, "facilitator-triage")
        await staff.click(f"summary:has-text('{th('Answer')}')")
        await staff.fill("textarea[name=answer]", "ช่างจะไปซ่อมวันจันทร์")
        await staff.click(f"button:has-text('{th('Send the answer')}')")
        await staff.wait_for_url(re.compile(r"done=answer"))
        await staff.click(f"summary:has-text('{th('Bring into a round')}')")
        await staff.select_option("select[name=round]", str(round_.id))
        await staff.click(f"button:has-text('{th('Bring into this round')}')")
        await staff.wait_for_url(re.compile(r"done=bring"))
        taken = th("Taken into round %(round)s", round=f"รอบท่าเรือ {mark}")
        assert taken in await staff.content()
        await check_page(staff, "facilitator-triage-done")
        assert staff.refused == []
    finally:
        await staff.context.close()

    await page.goto(f"/rounds/{channel.slug}/mine")
    content = await page.content()
    assert "ช่างจะไปซ่อมวันจันทร์" in content and taken in content
    await check_page(page, "channel-mine-outcome")
