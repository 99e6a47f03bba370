"""A facilitator's main flows on a 360 px phone, with JavaScript on (htmx swaps) and off (forms post).

Every test but the first starts signed in (the `facilitator_page` fixture signs in once, through
the real sign-in page). Data the pages need is committed through the services; figures the
pages show are compared with the Thai catalogue's own wording, so a translator's edit does not
break them.
"""

import re
import uuid
from types import SimpleNamespace

import pytest
import redis.asyncio as aioredis
from playwright.async_api import expect
from sqlalchemy import select

from server.auth.service import create_token
from server.consolidation.service import consolidate
from server.database import make_sessionmaker, unit_of_work
from server.deliberation.models import Comment, Vote
from server.deliberation.service import cast_vote, post_comment
from server.events.relay import relay_batch
from server.i18n import translations
from server.needs.models import Need
from server.proxies.models import ProxyRecord
from server.rounds import phases
from server.rounds.models import Round, StakeholderGroup
from server.rounds.service import move_phase
from tests.browser.conftest import check_page
from tests.factories import make_clause, make_member, make_need, make_participant, make_round
from tests.images import phone_jpeg

CLAUSE = "รัฐจะออกโฉนดชุมชนภายในหนึ่งปี"


def th(message: str, **params) -> str:
    """A message as the Thai pages show it."""
    text = translations("th").gettext(message)
    return text % params if params else text


def slug(page) -> str:
    return f"browser-{'js' if page.js else 'nojs'}-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def committed(engine):
    return make_sessionmaker(engine)


@pytest.fixture
async def relay(services, committed):
    """The outbox relay's one step: publishes committed events on each round's Redis channel."""
    client = aioredis.from_url(services.redis_url)

    async def once() -> int:
        async with unit_of_work(committed) as session:
            return len(await relay_batch(session, client))

    yield once
    await client.aclose()


async def _my_round(committed, facilitator, phase: str | None = None, **overrides) -> Round:
    async with unit_of_work(committed) as session:
        return await make_round(session, facilitator.person, phase=phase, **overrides)


@pytest.fixture
async def signing_out(committed):
    """A facilitator of their own: signing out ends every session of the person, and the other tests share
    the signed-in cookies of `facilitator`."""
    async with unit_of_work(committed) as session:
        person = await make_participant(session, role="facilitator", display_name="ครูสมศรี")
        _, key = await create_token(session, None, person.id, name="sign-out test", scopes=["facilitate"])
    return SimpleNamespace(person=person, key=key)


async def test_sign_in_with_a_key_and_out_again(page, signing_out):
    facilitator = signing_out
    await page.goto("/facilitate")
    await page.wait_for_url(re.compile(r"/facilitate/sign-in\?next=/facilitate$"))
    await check_page(page, "facilitator-sign-in")
    await page.fill("#token", "ruam_not-a-key")
    await page.click("main form:has(#token) button[type=submit]")
    await page.wait_for_selector("#token-error")
    assert await page.get_attribute("#token", "aria-invalid") == "true"
    await check_page(page, "facilitator-sign-in-refused")

    await page.fill("#token", facilitator.key)
    await page.click("main form:has(#token) button[type=submit]")
    await page.wait_for_url(re.compile(r"/facilitate$"))
    await page.wait_for_selector("a.button[href='/facilitate/new']")
    await check_page(page, "facilitator-rounds")

    await page.click("nav.tools form button")  # sign out
    await page.wait_for_url(re.compile(r"/$"))
    await page.goto("/facilitate")
    await page.wait_for_url(re.compile(r"/facilitate/sign-in"))


async def test_create_a_round_from_a_template(facilitator_page, committed):
    page = facilitator_page
    await page.goto("/facilitate")
    await page.click("a.button[href='/facilitate/new']")
    await page.wait_for_url(re.compile(r"/facilitate/new$"))
    await page.wait_for_selector("#round-form")
    await check_page(page, "facilitator-new-round")

    # choosing a template refills the form: htmx swaps it in place, or the page reloads without JS
    await page.select_option("#template-choice", "blank")
    await page.click("form[action='/facilitate/new'][method=get] button")
    await expect(page.locator("#round-form input[name=template]")).to_have_value("blank")
    await expect(page.locator("#group-0-key")).to_have_value("")
    await page.select_option("#template-choice", "standard")
    await page.click("form[action='/facilitate/new'][method=get] button")
    await expect(page.locator("#group-0-key")).to_have_value("community")
    await expect(page.locator("#group-1-th")).to_have_value("หน่วยงานรัฐ")

    address = slug(page)
    await page.fill("#title_th", "รอบสตูลจากแม่แบบ")
    await page.fill("#slug", address)
    await page.select_option("#area_codes", ["91"])
    await page.fill("#group-0-quorum", "4")
    await page.click("#round-form button[type=submit]")
    await page.wait_for_url(re.compile(rf"/facilitate/{address}$"))
    await expect(page.locator("h1")).to_have_text("รอบสตูลจากแม่แบบ")
    await check_page(page, "facilitator-round-created")

    async with unit_of_work(committed) as session:
        round_ = await session.scalar(select(Round).where(Round.slug == address))
        groups = dict((await session.execute(select(StakeholderGroup.key, StakeholderGroup.quorum)
                                             .where(StakeholderGroup.round_id == round_.id))).all())
    assert (round_.area_codes, round_.current_phase, round_.threshold) == (["91"], "needs", 0.6)
    assert groups == {"community": 4, "government": 2, "cso": 2, "academic": 1}
    assert [p.key for p in phases.load(round_.phases)] == [p.key for p in phases.TEMPLATES["standard"]]


async def test_invitation_codes_and_their_printable_sheet(facilitator_page, committed, facilitator):
    page = facilitator_page
    round_ = await _my_round(committed, facilitator, title={"th": "รอบเกาะสาหร่าย", "en": "Ko Sarai round"})
    await page.goto(f"/facilitate/{round_.slug}")
    await check_page(page, "facilitator-round")
    await page.select_option("#invite-group", "villagers")
    await page.fill("#invite-count", "3")
    await page.click("form[action$='/invites'] button")
    await page.wait_for_selector(".sheet .invite")
    await check_page(page, "facilitator-invite-sheet")

    codes = await page.locator(".invite .code").all_inner_texts()
    assert len(codes) == 3 and len(set(codes)) == 3
    assert all(re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code) for code in codes)
    assert await page.locator(".invite svg.qr").count() == 3
    urls = await page.locator(".invite .url").all_inner_texts()
    assert [url.rsplit("/j/", 1)[1] for url in urls] == [code.replace("-", "") for code in codes]
    await page.emulate_media(media="print")  # on paper: the cards alone
    assert not await page.is_visible("header") and not await page.is_visible("nav.tools")
    assert await page.is_visible(".sheet")
    await page.emulate_media(media="screen")


async def test_move_a_phase_and_set_a_schedule(facilitator_page, committed, facilitator):
    page = facilitator_page
    round_ = await _my_round(committed, facilitator)
    await page.goto(f"/facilitate/{round_.slug}")
    await page.click("#phases form:has(input[name=phase][value=drafting]) button")
    await expect(page.locator("#phases li[aria-current=step] input[name=phase][value=drafting]")).to_have_count(1)
    await expect(page.locator("#phases [role=status]")).to_be_visible()
    assert ("done=saved" in page.url) is not page.js  # htmx swapped the phases in; or a 303 and a new page

    phase = page.locator("#phases li:has(input[name=phase][value=deliberation])")
    await phase.locator("summary").click()
    await page.fill("#starts-deliberation", "2026-12-01T09:00")
    await page.fill("#ends-deliberation", "2026-12-15T17:30")
    await phase.locator("form[action$='/schedule'] button").click()
    await expect(page.locator("#phases")).to_contain_text("15 ธ.ค. 2569 17:30")  # Buddhist era, Thai time
    await check_page(page, "facilitator-phases")

    async with unit_of_work(committed) as session:
        stored = await session.get(Round, round_.id)
    scheduled = next(p for p in phases.load(stored.phases) if p.key == "deliberation")
    assert stored.current_phase == "drafting"
    assert scheduled.starts_at.isoformat() == "2026-12-01T09:00:00+07:00"
    assert scheduled.ends_at.isoformat() == "2026-12-15T17:30:00+07:00"


async def _start_proxy(page, round_, *, check: str | None = None, **fields) -> str:
    """Fills in who the input is from on the proxy page; returns the proxy record's id."""
    await page.wait_for_selector("main form[action$='/proxy']")
    if check:
        await check_page(page, check)
    await page.check(f"input[name=who][value={fields.pop('who')}]")
    for name, value in fields.items():
        if await page.locator(f"select#{name}").count():
            await page.select_option(f"#{name}", value)
        else:
            await page.fill(f"#{name}", value)
    await page.click("main form[action$='/proxy'] button[type=submit]")
    await page.wait_for_url(re.compile(r"proxy=[0-9a-f-]+"))
    await page.wait_for_selector("#entry")
    return re.search(r"proxy=([0-9a-f-]+)", page.url).group(1)


async def _enter_need(page, title: str, *, group: str | None = None) -> None:
    await page.fill("#title", title)
    await page.select_option("#sector", "water")
    await page.select_option("#area_code", "910106")
    await page.fill("#people_affected", "40")
    await page.check("input[name=hazards][value=drought]")
    if group:
        await page.select_option("#group_id", label=group)


async def _save(page, shows: str, *, timeout: float = 5_000) -> None:
    """Saves the entry form; it comes back empty, with what was entered listed below it
    (swapped in by htmx, or on the page the form's 303 leads to). ``timeout`` (ms): how long the
    saved status may take to show."""
    await page.click("#entry form button[type=submit]")
    if not page.js:
        await page.wait_for_url(re.compile(r"saved="), timeout=timeout)
    await expect(page.locator("#entry .ok[role=status]")).to_be_visible(timeout=timeout)
    await expect(page.locator("#entry .entered")).to_contain_text(shows)
    assert ("saved=" in page.url) is not page.js


async def test_proxy_entry_for_a_named_member_and_for_people_at_a_meeting(facilitator_page, committed,
                                                                          facilitator):
    page = facilitator_page
    round_ = await _my_round(committed, facilitator, phase="needs")
    async with unit_of_work(committed) as session:
        member = await make_member(session, round_, display_name="ป้าแดง")
        clause = await make_clause(session, round_, text=CLAUSE)
    meeting = "ประชุมหมู่บ้านเกาะหลีเป๊ะ 25 พ.ย."

    # needs, in the needs phase: one from ป้าแดง, one from twelve people at a meeting
    await page.goto(f"/facilitate/{round_.slug}/proxy")
    await _start_proxy(page, round_, check="facilitator-proxy-who", who="member", participant=str(member.id))
    await page.click("#entry nav a[href$='kind=need']")
    await page.wait_for_selector("#title")
    await _enter_need(page, "น้ำประปาไม่ไหลสามเดือน")
    await check_page(page, "facilitator-proxy-need")
    photo = phone_jpeg(3000, 2000, orientation=6, grain=40)
    sent = []
    page.on("request", lambda request: sent.append(request) if request.method == "POST" else None)
    await page.set_input_files("#photo_file", files=[{"name": "IMG_0007.jpg", "mimeType": "image/jpeg",
                                                      "buffer": photo}])
    # at once: with JavaScript, the save waits for the smaller photo. Shrinking 6 megapixels took over 5 s on a
    # CI machine busy with the rest of the suite (and takes as long on a cheap phone): the status may take 20 s
    await _save(page, "น้ำประปาไม่ไหลสามเดือน", timeout=20_000)
    [saved] = [r for r in sent if re.search(r"/proxy/[0-9a-f-]+$", r.url)]
    length = int(await saved.header_value("content-length"))
    assert length < len(photo) / 4 if page.js else length > len(photo)

    await page.click("#entry-who a")  # someone else
    await page.wait_for_url(re.compile(r"/proxy$"))
    await _start_proxy(page, round_, who="meeting", people_count="12", meeting=meeting, consent="written")
    await _enter_need(page, "ไม่มีน้ำจืดหน้าแล้ง", group="Villagers")
    await check_page(page, "facilitator-proxy-meeting-need")
    await _save(page, "ไม่มีน้ำจืดหน้าแล้ง")

    # votes and comments, in the deliberation phase: carrying on under the same records
    async with unit_of_work(committed) as session:
        await move_phase(session, facilitator.person, round_.id, "deliberation")
    await page.goto(f"/facilitate/{round_.slug}/proxy")
    await check_page(page, "facilitator-proxy-carry-on")
    await page.get_by_role("link", name="ป้าแดง", exact=True).click()
    await page.wait_for_selector(f"input[name='vote-{clause.id}']")
    await page.check(f"input[name='vote-{clause.id}'][value=agree]")
    await check_page(page, "facilitator-proxy-vote")
    await _save(page, th("Agree"))
    await page.click("#entry nav a[href$='kind=comment']")
    await page.wait_for_selector("#clause_id")
    await page.select_option("#clause_id", str(clause.id))
    await page.select_option("#stance", "oppose")
    await page.fill("#body", "หนึ่งปีนานเกินไป")
    await check_page(page, "facilitator-proxy-comment")
    await _save(page, "หนึ่งปีนานเกินไป")

    await page.goto(f"/facilitate/{round_.slug}/proxy")
    await page.get_by_role("link", name=re.compile(meeting)).click()
    await page.wait_for_selector("#entry")
    await page.click("#entry nav a[href$='kind=comment']")
    await page.wait_for_selector("#clause_id")
    await page.select_option("#clause_id", str(clause.id))
    await page.fill("#body", "ขอให้สำรวจแนวเขตร่วมกับชุมชน")
    await _save(page, "ขอให้สำรวจแนวเขตร่วมกับชุมชน")

    async with unit_of_work(committed) as session:
        needs = {n.title: n for n in await session.scalars(select(Need).where(Need.round_id == round_.id))}
        [vote] = (await session.scalars(select(Vote).where(Vote.clause_id == clause.id))).all()
        comments = {c.body: c for c in await session.scalars(select(Comment).where(Comment.clause_id == clause.id))}
        crowd = await session.get(ProxyRecord, needs["ไม่มีน้ำจืดหน้าแล้ง"].proxy_id)
    assert needs["น้ำประปาไม่ไหลสามเดือน"].author_id == member.id and needs["น้ำประปาไม่ไหลสามเดือน"].photo
    assert (needs["ไม่มีน้ำจืดหน้าแล้ง"].author_id, crowd.people_count, crowd.consent) == (None, 12, "written")
    assert (vote.participant_id, vote.entered_by_id, vote.value) == (member.id, facilitator.person.id, 1)
    assert vote.proxy_id == needs["น้ำประปาไม่ไหลสามเดือน"].proxy_id
    assert comments["หนึ่งปีนานเกินไป"].author_id == member.id
    assert comments["ขอให้สำรวจแนวเขตร่วมกับชุมชน"].proxy_id == crowd.id
    assert {c.entered_by_id for c in comments.values()} == {facilitator.person.id}


async def test_hide_a_comment_with_a_reason_and_see_the_trail(facilitator_page, committed, facilitator):
    page = facilitator_page
    round_ = await _my_round(committed, facilitator)
    async with unit_of_work(committed) as session:
        member = await make_member(session, round_, display_name="สมศรี")
        clause = await make_clause(session, round_, text=CLAUSE)
        await move_phase(session, facilitator.person, round_.id, "deliberation")
        await post_comment(session, member, clause_id=clause.id, stance="support", body="ความเห็นแรก")
        newer = await post_comment(session, member, clause_id=clause.id, stance="oppose", body="เบอร์โทรของคนอื่น")
    await page.goto(f"/facilitate/{round_.slug}/moderation")
    await check_page(page, "facilitator-moderation")

    reason = "ข้อมูลส่วนตัวของผู้อื่น"
    await page.fill(f"#reason-{newer.id}", reason)
    await page.click(f"#comment-{newer.id} button[value=hidden]")
    await expect(page.locator(f"#comment-{newer.id} button[value=visible]")).to_be_visible()  # now: restore
    await expect(page.locator(f"#comment-{newer.id} .state-hidden")).to_be_visible()
    await expect(page.locator("#trail li")).to_have_count(1)
    await expect(page.locator("#trail li")).to_contain_text(reason)
    await expect(page.locator("#trail li")).to_contain_text(facilitator.person.display_name)
    await expect(page.locator("#queue-filters a[href$='state=hidden']")).to_contain_text(f"{th('Hidden')} (1)")
    assert (f"#comment-{newer.id}" in page.url) is not page.js  # htmx swapped the comment and the trail
    await check_page(page, "facilitator-moderation-hidden")

    await page.click("#queue nav a[href$='state=hidden']")
    await page.wait_for_url(re.compile(r"state=hidden"))
    await expect(page.locator("#queue .queue > li")).to_have_count(1)
    await expect(page.locator("#queue .queue > li")).to_contain_text("เบอร์โทรของคนอื่น")
    await check_page(page, "facilitator-moderation-filtered")
    async with unit_of_work(committed) as session:
        stored = await session.get(Comment, newer.id)
    assert (stored.moderation, stored.moderation_reason, stored.moderated_by_id) == (
        "hidden", reason, facilitator.person.id)


async def test_the_live_page_shows_votes_as_they_arrive(facilitator_page, committed, facilitator, relay):
    page = facilitator_page
    round_ = await _my_round(committed, facilitator)
    async with unit_of_work(committed) as session:
        villagers = [await make_member(session, round_) for _ in range(3)]
        clause = await make_clause(session, round_, text=CLAUSE)
        await move_phase(session, facilitator.person, round_.id, "deliberation")
    await relay()  # what came before the page opened
    before = th("%(v)s of %(m)s members voted; quorum %(q)s", v=0, m=3, q=2)
    after = th("%(v)s of %(m)s members voted; quorum %(q)s", v=1, m=3, q=2)
    support = th("agree %(a)s · disagree %(d)s · pass %(p)s", a=1, d=0, p=0)

    if page.js:  # the page listens for server-sent events once the stream answers
        async with page.expect_response(lambda r: "/live/events" in r.url) as stream:
            await page.goto(f"/facilitate/{round_.slug}/live")
        assert (await stream.value).status == 200
    else:
        await page.goto(f"/facilitate/{round_.slug}/live")
    await expect(page.locator("#figures")).to_contain_text(before)
    await expect(page.locator("#figures")).to_contain_text(CLAUSE)
    await check_page(page, "facilitator-live")

    if page.js:
        await page.evaluate("() => { window.stillTheSamePage = true }")
    async with unit_of_work(committed) as session:
        await cast_vote(session, villagers[0], clause.id, "agree")
    assert await relay() >= 1
    if not page.js:
        await page.click("main p.actions a")  # refresh
    await expect(page.locator("#figures")).to_contain_text(after)
    await expect(page.locator("#figures")).to_contain_text(support)
    if page.js:
        assert await page.evaluate("() => window.stillTheSamePage === true")  # updated, not reloaded

    await page.click(f"a[href='/facilitate/{round_.slug}/live?public=1']")  # for a projector
    await page.wait_for_url(re.compile(r"public=1"))
    await expect(page.locator("#figures")).to_contain_text(th("fewer than 3"))
    await expect(page.locator("#figures")).not_to_contain_text(support)
    await check_page(page, "facilitator-live-projector")


async def test_read_publish_and_export_the_consolidated_proposal(facilitator_page, committed, facilitator):
    page = facilitator_page
    round_ = await _my_round(committed, facilitator, title={"th": "รอบโฉนดชุมชน", "en": "Community title round"})
    async with unit_of_work(committed) as session:
        villagers = [await make_member(session, round_) for _ in range(3)]
        official = await make_member(session, round_, group_key="government")
        answered = await make_need(session, round_, villagers[0], title="น้ำกัดเซาะชายฝั่ง")
        await make_need(session, round_, villagers[1], title="ไม่มีบัตรประชาชน")
        clause = await make_clause(session, round_, text=CLAUSE, answers=[answered.id])
        await move_phase(session, facilitator.person, round_.id, "deliberation")
        for person, choice in zip([*villagers, official], ["agree", "agree", "disagree", "agree"], strict=True):
            await cast_vote(session, person, clause.id, choice)
        await post_comment(session, villagers[2], clause_id=clause.id, stance="oppose", body="หนึ่งปีนานเกินไป")
    async with unit_of_work(committed) as session:
        proposal = await consolidate(session, round_.id)

    await page.goto(f"/facilitate/{round_.slug}/proposal")
    await expect(page.locator(f"#clause-{clause.id} .status-consensus")).to_be_visible()
    await expect(page.locator("#proposal")).to_contain_text("ไม่มีบัตรประชาชน")  # a need still unanswered
    await check_page(page, "facilitator-proposal")

    await page.click("form[action$='/proposal/publish'] button")  # voting is open: the box must be ticked first
    assert "done=published" not in page.url
    await page.check("input[name=while_voting]")
    await page.click("form[action$='/proposal/publish'] button")
    await page.wait_for_url(re.compile(r"done=published"))
    await expect(page.locator("main [role=status]")).to_be_visible()
    await expect(page.locator("form[action$='/proposal/publish']")).to_have_count(0)
    await check_page(page, "facilitator-proposal-published")

    for ext, kind in (("csv", "text/csv"), ("pdf", "application/pdf")):
        link = page.locator(f"#proposal a[href$='/{proposal.version}.{ext}']")
        answer = await page.request.get(await link.get_attribute("href"))
        assert answer.status == 200 and answer.headers["content-type"].startswith(kind), ext
        assert "attachment" in answer.headers["content-disposition"]
