"""A round's outcome on a phone, JavaScript on and off: found from the root page and read signed out, then
read as a member, who also finds on the round's home what is new since their last visit."""

import re
import uuid

import pytest
from playwright.async_api import expect

from server.auth.service import create_invites
from server.database import make_sessionmaker, unit_of_work
from server.deliberation.service import cast_vote
from server.drafts.service import create_draft
from server.i18n import translations
from server.people.models import Participant
from server.rounds.service import move_phase
from tests.browser.conftest import check_page, join_with_code
from tests.factories import make_clause, make_member, make_need, make_round, publish_round

CLAUSE = "รัฐจะออกโฉนดชุมชนภายในหนึ่งปี"


def th(message: str, **params) -> str:
    text = translations("th").gettext(message)
    return text % params if params else text


@pytest.fixture
def committed(engine):
    return make_sessionmaker(engine)


async def _published(committed):
    """Three villagers and one official (a group of fewer than 3) voted; the proposal is published."""
    async with unit_of_work(committed) as session:
        round_ = await make_round(session, slug=f"outcome-{uuid.uuid4().hex[:8]}",
                                  title={"th": "รอบโฉนดชุมชนเกาะหลีเป๊ะ", "en": "Lipe community title"})
        villagers = [await make_member(session, round_) for _ in range(3)]
        official = await make_member(session, round_, group_key="government")
        need = await make_need(session, round_, villagers[0], title="น้ำกัดเซาะชายฝั่ง")
        await make_need(session, round_, villagers[1], title="ไม่มีบัตรประชาชน")
        clause = await make_clause(session, round_, text=CLAUSE, answers=[need.id])
        facilitator = await session.get(Participant, round_.created_by_id)
        await move_phase(session, facilitator, round_.id, "deliberation")
        for person, choice in zip([*villagers, official], ["agree", "agree", "disagree", "agree"], strict=True):
            await cast_vote(session, person, clause.id, choice)
        await publish_round(session, round_)
        [(_, code)] = await create_invites(session, facilitator, round_.id, group_key="villagers")
    return round_, facilitator, code


async def _read_the_outcome(page, round_) -> None:
    await expect(page.locator("h1")).to_have_text(th("What came out of this round"))
    clause = page.locator("article.clause").first
    await expect(clause).to_contain_text(CLAUSE)
    await expect(clause).to_contain_text(th("Still to be heard"))
    await clause.locator("summary").click()  # the figures, on demand: <details> opens without JavaScript too
    support = clause.locator("li.support")
    await expect(support.filter(has_text="Government")).to_contain_text("น้อยกว่า 3 คน")
    await expect(support.filter(has_text="Villagers")).to_be_visible()
    for kind in ("pdf", "csv", "json"):
        await expect(page.locator(f"a[href='/rounds/{round_.slug}/outcome/1.{kind}']")).to_be_visible()


async def test_the_outcome_signed_out_and_as_a_member(page, committed):
    round_, facilitator, code = await _published(committed)

    await page.goto("/")
    await page.click(f"a[href='/rounds/{round_.slug}/outcome']")
    await page.wait_for_url(re.compile(rf"/rounds/{round_.slug}/outcome$"))
    await _read_the_outcome(page, round_)
    await check_page(page, "outcome")

    await join_with_code(page, code)  # lands on the round's home: a first visit, nothing listed as new
    await expect(page.locator("#news")).to_have_count(0)
    async with unit_of_work(committed) as session:
        await move_phase(session, facilitator, round_.id, "drafting")
        await create_draft(session, facilitator, round_.id, title="ร่างนโยบายน้ำประปาหมู่บ้าน")
        await move_phase(session, facilitator, round_.id, "deliberation")
    await page.reload()
    news = page.locator("#news")
    await expect(news).to_contain_text(th("New draft: %(title)s", title="ร่างนโยบายน้ำประปาหมู่บ้าน"))
    await check_page(page, "round-news")

    await page.click(f"nav a[href='/rounds/{round_.slug}/outcome']")
    await page.wait_for_url(re.compile(rf"/rounds/{round_.slug}/outcome$"))
    await _read_the_outcome(page, round_)
