"""Talking about needs on a 360 px phone, with JavaScript on and off: finding needs by what they are about,
saying "me too", and replying to a comment."""

import re

from sqlalchemy import func, select

from server.auth.service import create_invites
from server.database import make_sessionmaker, unit_of_work
from server.deliberation.models import Comment
from server.deliberation.service import post_comment
from server.needs.models import Endorsement
from server.people.models import Participant
from tests.browser.conftest import check_page, join_with_code
from tests.factories import make_member, make_need, make_round


async def _round_with_needs(engine):
    async with unit_of_work(make_sessionmaker(engine)) as session:
        round_ = await make_round(session, title={"th": "รอบคุยเรื่องความต้องการ", "en": "Needs talk round"})
        facilitator = await session.get(Participant, round_.created_by_id)
        neighbour = await make_member(session, round_)
        water = await make_need(session, round_, neighbour, title="น้ำประปาไม่ไหลสามเดือน", sector="water",
                                area_code="910201", hazards=["drought"])
        await make_need(session, round_, neighbour, title="เรือประมงเสียหายจากพายุ", sector="fisheries",
                        hazards=["storm"])
        comment = await post_comment(session, neighbour, need_id=water.id, stance="support",
                                     body="หมู่ 3 ก็ไม่มีน้ำใช้")
        [(_, code)] = await create_invites(session, facilitator, round_.id, group_key="villagers")
    return round_, water, comment, code


async def test_find_needs_say_me_too_and_reply(page, engine):
    round_, water, comment, code = await _round_with_needs(engine)
    await join_with_code(page, code)
    await page.click(f"a[href='/rounds/{round_.slug}/needs']")
    await page.wait_for_url(re.compile(rf"/rounds/{round_.slug}/needs$"))
    await check_page(page, "needs")

    await page.select_option("#f-sector", "water")
    if not page.js:
        await page.click("form[role=search] button")
    await page.wait_for_selector("text=เรือประมงเสียหายจากพายุ", state="detached")
    assert await page.locator(".needs > li").count() == 1
    assert "sector=water" in page.url  # the address keeps the filter, to share or come back to

    await page.click(f"#me-too-{water.id} button")
    await page.wait_for_selector(f"#me-too-{water.id} button[aria-pressed=true]")
    await check_page(page, "needs-me-too")

    await page.click(f"#need-{water.id} > details > summary")
    await page.click(f"#comment-{comment.id} details.reply summary")
    reply = page.locator(f"#comment-{comment.id} details.reply form")
    await reply.locator("input[value=question]").check()
    await reply.locator("textarea").fill("ไม่มีน้ำมานานแค่ไหนแล้วครับ")
    await reply.locator("button").click()
    await page.wait_for_selector(f"#comment-{comment.id} .replies >> text=ไม่มีน้ำมานานแค่ไหนแล้วครับ",
                                 state="attached")

    async with make_sessionmaker(engine)() as session:
        endorsed = await session.scalar(select(func.count()).select_from(Endorsement)
                                        .where(Endorsement.need_id == water.id))
        parents = (await session.scalars(select(Comment.parent_id).where(Comment.need_id == water.id,
                                                                         Comment.parent_id.is_not(None)))).all()
    assert endorsed == 1 and parents == [comment.id]
