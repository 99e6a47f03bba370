"""Follow-up on a phone, JavaScript on and off: a facilitator records an agency's commitment to a
published clause and posts its progress; the member whose need it answers finds it on "My input"
and says whether it was delivered."""

import re
import uuid

import pytest
from playwright.async_api import expect
from sqlalchemy import select

from server.auth.service import create_invites
from server.commitments.models import Commitment, CommitmentCheck
from server.database import make_sessionmaker, unit_of_work
from server.deliberation.service import cast_vote
from server.i18n import translations
from server.people.models import Participant
from server.rounds.models import Membership
from server.rounds.service import move_phase
from tests.browser.conftest import _phone_page, check_page, join_with_code
from tests.factories import make_clause, make_need, make_round, publish_round

CLAUSE = "รัฐจะออกโฉนดชุมชนภายในหนึ่งปี"


def th(message: str, **params) -> str:
    text = translations("th").gettext(message)
    return text % params if params else text


@pytest.fixture
def committed(engine):
    return make_sessionmaker(engine)


async def _member_page(browser, base_url, js: bool, code: str):
    page = await _phone_page(browser, base_url, js)
    await join_with_code(page, code)
    return page


async def test_record_a_commitment_and_the_member_sees_and_checks_it(facilitator_page, facilitator, committed,
                                                                     browser, base_url):
    page = facilitator_page
    async with unit_of_work(committed) as session:
        round_ = await make_round(session, facilitator.person, slug=f"follow-up-{uuid.uuid4().hex[:8]}")
        [(_, code)] = await create_invites(session, facilitator.person, round_.id, group_key="villagers")
    member = await _member_page(browser, base_url, page.js, code)
    try:
        async with unit_of_work(committed) as session:
            me = await session.scalar(select(Participant).join(Membership).where(
                Membership.round_id == round_.id, Membership.facilitates.is_(False)))
            need = await make_need(session, round_, me, title="ไม่มีโฉนดที่ดิน")
            clause = await make_clause(session, round_, text=CLAUSE, answers=[need.id])
            await move_phase(session, facilitator.person, round_.id, "deliberation")
            await cast_vote(session, me, clause.id, "agree")
            await publish_round(session, round_)

        await page.goto(f"/facilitate/{round_.slug}")
        await page.click(f"nav.tools a[href='/facilitate/{round_.slug}/commitments']")
        await page.wait_for_url(re.compile(r"/commitments$"))
        block = page.locator(f"#clause-{clause.id}")
        await expect(block).to_contain_text(CLAUSE)
        await check_page(page, "facilitator-commitments")
        await block.locator("> details > summary").click()
        key = f"new-{clause.id}"
        await page.fill(f"#agency-{key}", "กรมที่ดิน")
        await page.fill(f"#owner-{key}", "สำนักงานที่ดินจังหวัดสตูล")
        await page.fill(f"#due_date-{key}", "2027-03-31")
        await page.select_option(f"#status-{key}", "accepted")
        await page.fill(f"#note-{key}", "รับเรื่องในที่ประชุมจังหวัด")
        await block.locator("form[action$='/commitments'] button").click()
        card = page.locator(f"#clause-{clause.id} section.card")
        await expect(card).to_contain_text(th("Accepted"))
        await expect(card).to_contain_text("31 มี.ค. 2570")  # Buddhist era
        assert ("done=saved" in page.url) is not page.js  # htmx swapped the clause; or a 303 and a new page
        await check_page(page, "facilitator-commitment-recorded")

        async with unit_of_work(committed) as session:
            commitment = await session.scalar(select(Commitment).where(Commitment.clause_id == clause.id))
        await card.locator("details summary").click()
        await page.select_option(f"#status-{commitment.id}", "in_progress")
        await page.fill(f"#note-{commitment.id}", "รังวัดแล้วสองหมู่บ้าน")
        await page.fill(f"#evidence_url-{commitment.id}", "https://example.org/survey.pdf")
        await card.locator("form button").click()
        history = page.locator(f"#commitment-{commitment.id} ol li")
        await expect(history).to_have_count(2)
        await expect(history.nth(1)).to_contain_text("รังวัดแล้วสองหมู่บ้าน")
        await expect(page.locator(f"#commitment-{commitment.id}")).to_contain_text(th("In progress"))

        await member.goto(f"/rounds/{round_.slug}/mine")
        mine = member.locator(f"#commitment-{commitment.id}")
        await expect(mine).to_contain_text(f"{th('In progress')} · กรมที่ดิน")
        await expect(mine).to_contain_text("31 มี.ค. 2570")
        await expect(mine).to_contain_text("รังวัดแล้วสองหมู่บ้าน")
        await check_page(member, "my-input-commitment")
        await mine.locator("button[value=partly]").click()
        await expect(member.locator(f"#commitment-{commitment.id} button[value=partly]")).to_have_attribute(
            "aria-pressed", "true")
        await expect(member.locator(f"#commitment-{commitment.id} [role=status]")
                     if member.js else member.locator("main [role=status]").first).to_be_visible()
        await check_page(member, "my-input-commitment-checked")
        async with unit_of_work(committed) as session:
            [check] = (await session.scalars(select(CommitmentCheck).where(
                CommitmentCheck.commitment_id == commitment.id))).all()
        assert (check.participant_id, check.answer) == (me.id, "partly")

        await member.goto(f"/rounds/{round_.slug}")
        await expect(member.locator(f"#commitment-{commitment.id}")).to_contain_text("กรมที่ดิน")
        await check_page(member, "round-commitments")
    finally:
        await member.context.close()
