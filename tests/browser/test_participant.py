"""A community representative's main flow on a 360 px phone, with JavaScript on and off."""

import re

from sqlalchemy import select

from server.auth.service import create_invites
from server.database import make_sessionmaker, unit_of_work
from server.deliberation.models import Vote
from server.people.models import Participant
from server.rounds.service import move_phase
from tests.browser.conftest import check_page, keep_the_card
from tests.factories import make_clause, make_round


async def _round_with_invite(engine):
    async with unit_of_work(make_sessionmaker(engine)) as session:
        round_ = await make_round(session, title={"th": "รอบทดสอบบนโทรศัพท์", "en": "Phone test round"})
        facilitator = await session.get(Participant, round_.created_by_id)
        clause = await make_clause(session, round_, text="รัฐจะออกโฉนดชุมชนภายในหนึ่งปี")
        [(_, code)] = await create_invites(session, facilitator, round_.id, group_key="villagers")
    return round_, clause, facilitator, code


async def test_join_consent_need_vote_and_my_input(page, engine):
    round_, clause, facilitator, code = await _round_with_invite(engine)
    await page.goto("/")
    await check_page(page, "home")

    await page.goto(f"/j/{code}")
    await check_page(page, "join")
    await page.fill("#display_name", "มาลี")
    await page.click("button[type=submit]")
    await page.wait_for_url(re.compile(r"/consent"))
    await check_page(page, "consent")
    await page.check("input[name=data_processing]")
    await page.click("main form button[type=submit]")
    await keep_the_card(page)
    await page.wait_for_url(re.compile(rf"://[^/?]+/rounds/{round_.slug}$"))
    await check_page(page, "round")

    await page.goto(f"/rounds/{round_.slug}/needs/new")
    await check_page(page, "need-form")
    await page.check("input[value=water]")
    await page.fill("#title", "น้ำประปาไม่ไหลสามเดือน")
    await page.select_option("#area_code", "910106")
    await page.click("form details > summary")  # the head count is optional, folded under "more details"
    await page.fill("#people_affected", "120")
    await page.click("form button")
    await page.wait_for_url(re.compile(r"/mine"))
    assert "น้ำประปาไม่ไหลสามเดือน" in await page.content()
    await check_page(page, "my-input")

    async with unit_of_work(make_sessionmaker(engine)) as session:
        await move_phase(session, facilitator, round_.id, "deliberation")
    await page.goto(f"/drafts/{clause.draft_id}")
    await check_page(page, "draft")
    await page.click(f"#clause-{clause.id} button[value=agree]")
    await page.wait_for_selector(f"#clause-{clause.id} button[value=agree][aria-pressed=true]")
    async with unit_of_work(make_sessionmaker(engine)) as session:
        votes = (await session.scalars(select(Vote.value).where(Vote.clause_id == clause.id))).all()
    assert votes == [1]


async def test_a_wrong_code_shows_its_message_with_or_without_javascript(page):
    await page.goto("/join")
    await page.fill("#code", "AAAABBBB")
    await page.fill("#display_name", "สมชาย")
    await page.click("button[type=submit]")
    await page.wait_for_selector("#code-error")
    assert "ไม่รู้จักรหัสนี้" in await page.inner_text("#code-error")  # never made: a typing mistake, type again
    assert await page.input_value("#display_name") == "สมชาย"


async def test_join_and_consent_in_one_page_life(page, engine):
    """As a phone does it: the invite link opened fresh, the name sent, consent given, without a reload. Joining
    signs the person in with a new CSRF token; htmx must send that one with the consent, or the server
    refuses it (403) and nothing happens on the phone."""
    round_, _clause, _facilitator, code = await _round_with_invite(engine)
    refused = []
    page.on("response", lambda r: refused.append((r.request.method, r.url, r.status)) if r.status == 403 else None)
    await page.goto(f"/j/{code}")
    await page.fill("#display_name", "มาลี")
    await page.click("main button[type=submit]")
    await page.wait_for_url(re.compile(r"/consent"))
    await page.check("input[name=data_processing]")
    await page.click("main form button[type=submit]")
    await keep_the_card(page)  # the card's page comes with its own CSRF token, which htmx must send too
    # the path itself, not "/consent?next=/rounds/..." (which a pattern for the round's address also matches)
    await page.wait_for_url(re.compile(rf"://[^/?]+/rounds/{round_.slug}$"))
    assert refused == []
