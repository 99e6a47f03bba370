"""Writing a draft on a phone, JavaScript on and off: a facilitator makes a draft of three clauses, links
one to a need found by a search, moves one up, and after voting opens changes one; the member who voted
on the old text sees that it changed, its earlier text on demand, and is asked to vote again."""

import re
import uuid

from playwright.async_api import expect
from sqlalchemy import select

from server.auth.service import create_invites
from server.database import make_sessionmaker, unit_of_work
from server.deliberation.service import cast_vote
from server.drafts.models import Clause, clause_needs
from server.i18n import translations
from server.people.models import Participant
from server.rounds.models import Membership
from server.rounds.service import move_phase
from tests.browser.conftest import _phone_page, check_page, join_with_code
from tests.factories import make_member, make_need, make_round

WATER = "น้ำประปาไม่ไหลในหมู่บ้านเกาะสาหร่าย"
LAND = "ไม่มีโฉนดที่ดินทำกิน"
TEXTS = ("รัฐจะจัดหาน้ำประปาให้ทุกหมู่บ้าน", "รัฐจะออกโฉนดชุมชนภายในหนึ่งปี", "ตั้งกองทุนหมู่บ้านรับมือภัยแล้ง")


def th(message: str) -> str:
    return translations("th").gettext(message)


async def _clauses(committed, draft_id):
    async with unit_of_work(committed) as session:
        return list(await session.scalars(select(Clause).where(Clause.draft_id == draft_id, Clause.status == "current")
                                          .order_by(Clause.position)))


async def test_write_link_reorder_and_change_a_draft(facilitator_page, facilitator, engine, browser, base_url):
    page, committed = facilitator_page, make_sessionmaker(engine)
    async with unit_of_work(committed) as session:
        round_ = await make_round(session, facilitator.person, slug=f"drafting-{uuid.uuid4().hex[:8]}")
        villager = await make_member(session, round_)
        water = await make_need(session, round_, villager, title=WATER, sector="health", hazards=["drought"])
        await make_need(session, round_, villager, title=LAND)
        [(_, code)] = await create_invites(session, facilitator.person, round_.id, group_key="villagers")
        await move_phase(session, facilitator.person, round_.id, "drafting")

    await page.goto(f"/facilitate/{round_.slug}")
    await page.click(f"nav.tools a[href='/facilitate/{round_.slug}/drafts']")
    await page.wait_for_url(re.compile(r"/drafts$"))
    await check_page(page, "facilitator-drafts")
    await page.fill("#title", "ร่างแผนน้ำและที่ดิน เกาะสาหร่าย")
    await page.click("main form[action$='/drafts'] button")
    await expect(page.locator("h1")).to_have_text("ร่างแผนน้ำและที่ดิน เกาะสาหร่าย")
    for words in TEXTS:
        await page.fill("#text-new", words)
        await page.click("#clause-new button")
        await expect(page.locator("article.clause").last).to_contain_text(words)
    draft_id = re.search(r"/drafts/([0-9a-f-]{36})", page.url).group(1)
    first, second, third = await _clauses(committed, draft_id)
    await check_page(page, "facilitator-draft")

    # the first clause answers a need found by a search
    await page.click(f"#clause-{first.id} a[href$='/needs']")
    await expect(page.locator("h1")).to_have_text(th("Needs this clause answers"))
    await page.fill("#q", "น้ำประปา")
    await page.click("form[role=search] button")
    results = page.locator("#results")
    await expect(results).to_contain_text(WATER)
    await expect(results).not_to_contain_text(LAND)
    await check_page(page, "facilitator-clause-needs")
    await results.locator(f"input[value='{water.id}']").check()
    await results.locator("button").click()
    await expect(page.locator(f"#clause-{first.id} .answers")).to_contain_text(WATER)
    async with unit_of_work(committed) as session:
        assert (await session.scalars(select(clause_needs.c.need_id).where(clause_needs.c.clause_id == first.id))
                ).all() == [water.id]

    # the third clause goes up a place
    await page.click(f"#clause-{third.id} form[action$='/move'] button[value=up]")
    await expect(page.locator("article.clause h2 + p.text")).to_have_text([TEXTS[0], TEXTS[2], TEXTS[1]])
    assert [c.id for c in await _clauses(committed, draft_id)] == [first.id, third.id, second.id]

    # voting opens; a member votes on the first clause, then the facilitator changes it
    member = await _phone_page(browser, base_url, page.js)
    try:
        await join_with_code(member, code)
        async with unit_of_work(committed) as session:
            await move_phase(session, facilitator.person, round_.id, "deliberation")
            me = await session.scalar(select(Participant).join(Membership).where(
                Membership.round_id == round_.id, Participant.display_name == "มาลี"))
            await cast_vote(session, me, first.id, "agree")
        await page.reload()
        block = page.locator(f"#clause-{first.id}")
        await block.locator("details > summary").click()
        await page.fill(f"#text-{first.id}", "รัฐจะจัดหาน้ำประปาให้ทุกหมู่บ้านภายในหกเดือน")
        await block.locator("form[action$='/edit'] button").click()
        await expect(page.locator("p.ok")).to_have_text(th(
            "The change is saved as a new version of the clause. People who voted are asked to vote again."))
        new = (await _clauses(committed, draft_id))[0]
        assert new.supersedes_id == first.id and new.text.endswith("ภายในหกเดือน")
        await expect(page.locator(f"#clause-{new.id} details summary").first).to_have_text(th("Earlier text"))
        await check_page(page, "facilitator-draft-changed")

        await member.goto(f"/drafts/{draft_id}")
        changed = member.locator(f"#clause-{new.id}")
        await expect(changed).to_contain_text("ข้อนี้มีการแก้ไขเมื่อ")
        await expect(changed).to_contain_text("กรุณาอ่านข้อความใหม่และลงคะแนนอีกครั้ง")
        earlier = changed.locator("details", has=member.locator("summary", has_text=th("Earlier text")))
        await earlier.locator("summary").click()
        await expect(earlier).to_contain_text(TEXTS[0])
        await expect(changed.locator("button[aria-pressed=true]")).to_have_count(0)  # no vote on the new text
        await check_page(member, "draft-changed")
    finally:
        await member.context.close()
