"""A facilitator shapes a round after making it, on a 360 px phone, JavaScript on (htmx swaps the part
saved) and off (forms post and the page comes back): a phase renamed, moved and opened to members for
one more action, and a group renamed with another quorum."""

import re
import uuid

from playwright.async_api import expect
from sqlalchemy import select

from server.database import unit_of_work
from server.rounds import phases
from server.rounds.models import Round, StakeholderGroup
from tests.browser.conftest import check_page
from tests.browser.test_facilitator import committed  # noqa: F401 -- the fixture, for this module
from tests.factories import make_round


async def _round(committed, facilitator, page) -> Round:
    async with unit_of_work(committed) as session:
        return await make_round(session, facilitator.person, phase="drafting",
                                slug=f"setup-{'js' if page.js else 'nojs'}-{uuid.uuid4().hex[:8]}")


async def _stored(committed, round_id) -> tuple[list[phases.Phase], dict[str, int]]:
    async with unit_of_work(committed) as session:
        round_ = await session.get(Round, round_id)
        quorums = dict((await session.execute(select(StakeholderGroup.key, StakeholderGroup.quorum)
                                              .where(StakeholderGroup.round_id == round_id))).all())
    return phases.load(round_.phases), quorums


async def test_rename_reorder_and_open_a_phase_then_edit_a_group(facilitator_page, committed, facilitator):
    page = facilitator_page
    round_ = await _round(committed, facilitator, page)
    await page.goto(f"/facilitate/{round_.slug}")
    await page.click(f"main a[href='/facilitate/{round_.slug}/setup']")
    await page.wait_for_url(re.compile(r"/setup$"))
    await check_page(page, "facilitator-round-setup")

    # consolidation (the 4th) renamed in Thai, its grid opened, commenting ticked for members; then saved
    await page.fill("#phase-3-th", "รวมเสียงทั้งหมด")
    await page.click("#phases fieldset:nth-of-type(4) summary")
    await page.check("#phases input[name=phase-3-opens][value='comment:participant']")
    await page.click("#phases button:has-text('บันทึกช่วง')")
    await expect(page.locator("#phases .ok")).to_be_visible()
    # then moved one place later, after "published", with the move button (which saves the form too)
    await page.locator("#phases fieldset").nth(3).locator("button[value='down:3']").click()
    await expect(page.locator("#phases .ok")).to_be_visible()
    await expect(page.locator("#phase-4-th")).to_have_value("รวมเสียงทั้งหมด")
    await check_page(page, "facilitator-round-setup-saved")

    stored, _ = await _stored(committed, round_.id)
    assert [p.key for p in stored] == ["needs", "drafting", "deliberation", "published", "consolidation",
                                       "follow_up"]
    assert stored[4].names == {"th": "รวมเสียงทั้งหมด"} and stored[4].allows("comment", "participant")

    # a group: renamed, another quorum
    await page.fill("#group-1-th", "ชาวเลเกาะหลีเป๊ะ")
    await page.fill("#group-1-quorum", "5")
    await page.click("#groups button:has-text('บันทึกกลุ่ม')")
    await expect(page.locator("#groups .ok")).to_be_visible()
    await expect(page.locator("#group-1-th")).to_have_value("ชาวเลเกาะหลีเป๊ะ")
    assert (await _stored(committed, round_.id))[1]["villagers"] == 5

    # a refusal keeps what was typed: a name far too long
    await page.fill("#phase-5-th", "ก" * 80)
    await page.fill("#phase-5-starts_at", "2026-12-15T09:00")
    await page.fill("#phase-5-ends_at", "2026-12-01T09:00")
    await page.click("#phases button:has-text('บันทึกช่วง')")
    await expect(page.locator("#phases [role=alert]")).to_be_visible()
    await expect(page.locator("#phase-5-starts_at")).to_have_value("2026-12-15T09:00")
    await check_page(page, "facilitator-round-setup-refused")
