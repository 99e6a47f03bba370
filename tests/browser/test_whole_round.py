"""A whole round, from the first administrator to a member leaving, run in browsers alone: no API, no command
line but `ruam admin invite` for that first administrator's link. On 360 px phones, JavaScript on and off,
each person in a browser of their own (cookies of their own).

An administrator invites a facilitator and a drafter by one-time links; the facilitator makes a round and
invitation codes; three villagers join by the codes' QR links and tell their needs; the administrator gives
the drafter the round, who writes three clauses each answering a need; the villagers vote, one comments and
another replies; the real `ruam worker` (started as a process against the test database and Redis once the
votes are in: it consolidates within a couple of seconds) makes the proposal; the facilitator publishes it
while voting is still open; a villager reads the outcome, comes back on another phone with their card,
takes a copy of their data and leaves Ruam, which signs out their first phone too."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import time
import uuid

from playwright.async_api import expect
from sqlalchemy import select

from server.database import make_sessionmaker, unit_of_work
from server.deliberation.models import Comment, Vote
from server.drafts.models import clause_needs
from server.i18n import translations
from server.people.models import Participant
from tests.browser.conftest import ROOT, _phone_page, check_page

PASSPHRASE = "เรือหางยาว ออกทะเล ตอนเช้า"
# (name, sector, need) of each villager; clause i answers need i
VILLAGERS = (("มาลี", "water", "บ่อน้ำจืดเค็มทุกหน้าแล้ง"),
             ("สมปอง", "fisheries", "เรือหาปลาไม่มีที่จอดหลบพายุ"),
             ("ดวงใจ", "education", "เด็กต้องนั่งเรือไปโรงเรียนบนฝั่ง"))
CLAUSES = ("ขุดบ่อน้ำจืดใหม่และทำที่เก็บน้ำฝนให้ทุกครัวเรือน", "สร้างท่าจอดเรือหลบพายุที่อ่าวบ้าน",
           "จัดเรือรับส่งนักเรียนฟรีทุกวันเปิดเรียน")
# the villagers' votes per clause: all for the first (consensus), two against the second (contested, below
# the 0.6 threshold), two only on the third (under the quorum of 3: still to be heard)
VOTES = (("agree", "agree", "agree"), ("agree", "disagree", "disagree"), ("agree", "disagree", None))
STATUSES = ("consensus", "contested", "under_heard")
COMMENT = "ขอให้ขุดบ่อที่หมู่ 2 ก่อน น้ำเค็มที่สุด"
REPLY = "หมู่ 3 ก็เค็มเหมือนกัน ขอด้วยครับ"


def th(message: str, **params) -> str:
    text = translations("th").gettext(message)
    return text % params if params else text


def _ruam_env(services, data_dir) -> dict[str, str]:
    return os.environ | {"DATABASE_URL": services.database_url, "REDIS_URL": services.redis_url,
                         "DATA_DIR": str(data_dir), "LOG_LEVEL": "WARNING"}


async def _first_admin_link(services, data_dir) -> str:
    """The one step outside a browser: the installation's first administrator comes from the command line."""
    done = await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "server.cli", "admin", "invite"], cwd=ROOT,
                                   env=_ruam_env(services, data_dir), capture_output=True, text=True, timeout=60,
                                   check=True)
    return re.search(r"/staff/invite/[A-Za-z0-9_-]+", done.stdout).group(0)


async def _accept(page, path: str, name: str) -> None:
    await page.goto(path)
    await page.fill("#display_name", name)
    await page.fill("#passphrase", PASSPHRASE)
    await page.fill("#confirm", PASSPHRASE)
    await page.click("main form button[type=submit]")


async def _invite(admin, role: str, organisation: tuple[str, str, str]) -> str:
    """The administrator's one-time link for a new facilitator or drafter of a new organisation."""
    await admin.click("nav.tools a[href='/admin/staff']")
    await admin.click("a[href='/admin/staff/invite']")
    await admin.wait_for_url(re.compile(r"/admin/staff/invite$"))
    await admin.check(f"input[name=role][value={role}]")
    await admin.select_option("#organisation", "new")
    await admin.fill("#organisation_th", organisation[0])
    await admin.fill("#organisation_en", organisation[1])
    await admin.select_option("#organisation_kind", organisation[2])
    await admin.click("main form button[type=submit]")
    await admin.wait_for_selector("#one-time-url")
    await expect(admin.locator("main")).to_contain_text(organisation[0])
    link = await admin.input_value("#one-time-url")
    return re.search(r"/staff/invite/[A-Za-z0-9_-]+$", link).group(0)


async def _join(page, path: str, name: str, slug: str) -> str:
    """Joins by an invitation's QR link, consents, and steps past the card; its code comes back."""
    await page.goto(path)
    await page.fill("#display_name", name)
    await page.click("main button[type=submit]")
    await page.wait_for_url(re.compile(r"/consent"))
    await page.check("input[name=data_processing]")
    await page.click("main form button[type=submit]")
    await page.wait_for_url(re.compile(r"/me/card\?next="))
    assert name in await page.inner_text(".reentry")
    code = (await page.inner_text(".reentry .code")).strip()
    await page.click("main form button[type=submit]")  # I have kept it
    await page.wait_for_url(re.compile(rf"://[^/?]+/rounds/{slug}$"))
    return code


async def _move_phase(facilitator, slug: str, phase: str) -> None:
    await facilitator.goto(f"/facilitate/{slug}")
    await facilitator.click(f"#phases form:has(input[name=phase][value={phase}]) button")
    await expect(facilitator.locator(f"#phases li[aria-current=step] input[name=phase][value={phase}]")
                 ).to_have_count(1)


def _start_worker(services, data_dir) -> subprocess.Popen:
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / "worker.log").open("wb") as log:  # the child keeps its own copy of the descriptor
        return subprocess.Popen([sys.executable, "-m", "server.cli", "worker"], cwd=ROOT,
                                env=_ruam_env(services, data_dir) | {"LOG_LEVEL": "INFO"},
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


async def test_a_whole_round_in_the_browser(page, browser, base_url, services, engine, tmp_path):
    committed = make_sessionmaker(engine)
    tag = uuid.uuid4().hex[:6]
    slug = f"whole-{'js' if page.js else 'nojs'}-{tag}"
    title = f"รอบเกาะบุโหลน {tag}"
    contexts = [page]

    async def phone():
        opened = await _phone_page(browser, base_url, page.js)
        contexts.append(opened)
        return opened

    started = time.monotonic()
    worker = None
    try:
        # 1. the first administrator takes up their link, then invites a facilitator and a drafter
        admin = page
        await _accept(admin, await _first_admin_link(services, tmp_path / "cli"), f"ผู้ดูแล {tag}")
        await admin.wait_for_url(re.compile(r"/facilitate$"))
        facilitator_link = await _invite(admin, "facilitator", (f"กรมทรัพยากรทางทะเล {tag}",
                                                                f"Marine Resources {tag}", "government"))
        drafter_org = f"มูลนิธิชุมชนชายฝั่ง {tag}"
        drafter_link = await _invite(admin, "drafter", (drafter_org, f"Coastal Communities {tag}", "cso"))

        drafter = await phone()  # takes up the link now; signs in later with the passphrase chosen
        await _accept(drafter, drafter_link, f"นักร่าง {tag}")
        await drafter.wait_for_url(re.compile(r"/staff$"))
        await drafter.click("nav.tools form[action='/facilitate/sign-out'] button")
        await drafter.wait_for_url(re.compile(r"://[^/?]+/$"))

        # 2. the facilitator takes up theirs, makes a round of one group, and invitation codes for it
        facilitator = await phone()
        await _accept(facilitator, facilitator_link, f"ครูสมใจ {tag}")
        await facilitator.wait_for_url(re.compile(r"/facilitate$"))
        await facilitator.click("a.button[href='/facilitate/new']")
        await facilitator.wait_for_selector("#round-form")
        await facilitator.fill("#title_th", title)
        await facilitator.fill("#slug", slug)
        await facilitator.select_option("#area_codes", ["91"])
        await facilitator.fill("#group-0-quorum", "3")  # the communities, heard once three of them voted
        for row in (1, 2, 3):  # the other groups left out: three villagers make the whole round
            for field in ("th", "en", "key"):
                await facilitator.fill(f"#group-{row}-{field}", "")
        await facilitator.click("#round-form button[type=submit]")
        await facilitator.wait_for_url(re.compile(rf"/facilitate/{slug}$"))
        await expect(facilitator.locator("h1")).to_have_text(title)
        await facilitator.select_option("#invite-group", "community")
        await facilitator.fill("#invite-count", "3")
        await facilitator.click("form[action$='/invites'] button")
        await facilitator.wait_for_selector(".sheet .invite")
        assert await facilitator.locator(".invite svg.qr").count() == 3
        links = [re.search(r"/j/[A-Z2-9]+$", url).group(0)
                 for url in await facilitator.locator(".invite .url").all_inner_texts()]
        assert len(set(links)) == 3

        # 3. in the needs phase, each villager joins by a QR link on a phone of their own and tells a need
        villagers, cards = [], []
        for link, (name, sector, need) in zip(links, VILLAGERS, strict=True):
            villager = await phone()
            cards.append(await _join(villager, link, name, slug))
            await villager.click(f"a[href='/rounds/{slug}/needs/new']")
            await villager.check(f"input[name=sector][value={sector}]")
            await villager.fill("#title", need)
            await villager.select_option("#area_code", "910106")
            await villager.click("main form[action$='/needs'] > button")
            await villager.wait_for_url(re.compile(rf"/rounds/{slug}/mine"))
            await expect(villager.locator("main")).to_contain_text(need)
            villagers.append(villager)

        # 4. the administrator gives the drafter the round; drafting opens; the drafter signs in and writes
        await admin.click("nav.tools a[href='/admin/staff']")
        await admin.click(f"text=นักร่าง {tag}")
        await admin.wait_for_url(re.compile(r"/admin/staff/[0-9a-f-]+$"))
        await admin.select_option("#round", label=title)
        await admin.click("main form[action$='/rounds'] button")
        await admin.wait_for_url(re.compile(r"done=given"))
        await expect(admin.locator("main ul.plain")).to_contain_text(title)
        await _move_phase(facilitator, slug, "drafting")

        await drafter.goto("/staff")
        await drafter.wait_for_url(re.compile(r"/facilitate/sign-in\?next=/staff$"))
        await drafter.fill("#who", f"นักร่าง {tag}")
        await drafter.fill("#passphrase", PASSPHRASE)
        await drafter.click("main form:has(#who) button[type=submit]")
        await drafter.wait_for_url(re.compile(r"/staff$"))
        await check_page(drafter, "staff-drafter-rounds")
        await drafter.click(f"a.button[href='/facilitate/{slug}/drafts']")
        await drafter.wait_for_url(re.compile(rf"/facilitate/{slug}/drafts$"))
        await drafter.fill("#title", f"แผนชุมชนเกาะบุโหลน {tag}")
        await drafter.click("main form[action$='/drafts'] button")
        await expect(drafter.locator("h1")).to_have_text(f"แผนชุมชนเกาะบุโหลน {tag}")
        await expect(drafter.locator("main")).to_contain_text(drafter_org)
        for words in CLAUSES:
            await drafter.fill("#text-new", words)
            await drafter.click("#clause-new button")
            await expect(drafter.locator("article.clause").last).to_contain_text(words)
        clause_ids = [i.removeprefix("clause-") for i in await drafter.locator("article.clause").evaluate_all(
            "articles => articles.map(a => a.id)")]
        assert len(clause_ids) == 3
        for clause_id, (_, _, need) in zip(clause_ids, VILLAGERS, strict=True):
            await drafter.click(f"#clause-{clause_id} a[href$='/needs']")
            await expect(drafter.locator("h1")).to_have_text(th("Needs this clause answers"))
            await drafter.fill("#q", need[:8])
            await drafter.click("form[role=search] button")
            results = drafter.locator("#results")
            await expect(results.locator("label.picked")).to_have_count(1)
            await results.locator("label.picked", has_text=need).locator("input").check()
            await results.locator("button").click()
            await expect(drafter.locator(f"#clause-{clause_id} .answers")).to_contain_text(need)
        await check_page(drafter, "drafter-draft")
        draft_url = await drafter.get_attribute("a[href^='/drafts/']", "href")
        async with unit_of_work(committed) as session:
            linked = dict((await session.execute(select(clause_needs.c.clause_id, clause_needs.c.need_id).where(
                clause_needs.c.clause_id.in_([uuid.UUID(i) for i in clause_ids])))).all())
        assert len(set(linked.values())) == 3

        # 5. deliberation opens; the villagers vote, one comments on the first clause and another replies
        await _move_phase(facilitator, slug, "deliberation")
        for n, villager in enumerate(villagers):
            await villager.goto(f"/rounds/{slug}")
            await villager.click(f"a[href='/rounds/{slug}/drafts']")
            await expect(villager.locator("main")).to_contain_text(drafter_org)  # "proposed by"
            if n == 0:
                await check_page(villager, "drafts")
            await villager.click(f"a[href='{draft_url}']")
            await villager.wait_for_url(re.compile(rf"{draft_url}$"))
            for clause_id, votes in zip(clause_ids, VOTES, strict=True):
                if votes[n] is not None:
                    await villager.click(f"#clause-{clause_id} button[value={votes[n]}]")
                    await villager.wait_for_selector(f"#clause-{clause_id} button[value={votes[n]}][aria-pressed=true]")
        first = f"#clause-{clause_ids[0]}"
        comments = villagers[0].locator(f"{first} > details").first  # the comments; then another wording
        await comments.locator("summary").first.click()
        await comments.locator("input[name=stance][value=support]").check()
        await villagers[0].fill(f"#body-{clause_ids[0]}", COMMENT)
        await comments.locator("button", has_text=th("Send comment")).click()
        await expect(villagers[0].locator(f"{first} p.ok")).to_have_text(th("Your comment was sent. Thank you."))
        await villagers[1].reload()
        thread = villagers[1].locator(f"{first} ul.comments > li")
        await expect(thread).to_have_count(1)
        comment_id = (await thread.get_attribute("id")).removeprefix("comment-")
        comments = villagers[1].locator(f"{first} > details").first
        await comments.locator("summary").first.click()
        await villagers[1].click(f"#comment-{comment_id} details.reply summary")
        reply = villagers[1].locator(f"#comment-{comment_id} details.reply form")
        await reply.locator("input[value=support]").check()
        await reply.locator("textarea").fill(REPLY)
        await reply.locator("button").click()
        await expect(villagers[1].locator(f"#comment-{comment_id} .replies li")).to_have_text(re.compile(REPLY))
        if await comments.get_attribute("open") is None:  # the page came back with the thread folded
            await comments.locator("summary").first.click()
        await check_page(villagers[1], "draft-replied")
        async with unit_of_work(committed) as session:
            stored = (await session.execute(select(Participant.display_name, Vote.value).join(
                Participant, Participant.id == Vote.participant_id).where(
                Vote.clause_id.in_([uuid.UUID(i) for i in clause_ids])))).all()
            replies = (await session.scalars(select(Comment.body).where(
                Comment.parent_id == uuid.UUID(comment_id)))).all()
        assert len(stored) == 8 and replies == [REPLY]

        # 6. the worker consolidates what came in
        worker, asked = _start_worker(services, tmp_path / "worker"), time.monotonic()
        proposal = f"/facilitate/{slug}/proposal"
        await facilitator.goto(proposal)
        deadline = time.monotonic() + 30
        while not await facilitator.locator("#proposal").count():
            if worker.poll() is not None or time.monotonic() > deadline:
                log = (tmp_path / "worker" / "worker.log").read_text(errors="replace")[-3000:]
                main = (await facilitator.inner_text("main"))[:300]
                raise AssertionError(f"no proposal from the worker (exit code {worker.poll()}) within 30 s; "
                                     f"{facilitator.url} reads: {main}\nthe worker said:\n{log}")
            await asyncio.sleep(0.5)
            await facilitator.goto(proposal)
        print(f"the worker's proposal came {time.monotonic() - asked:.1f} s after it started")
        for clause_id, status in zip(clause_ids, STATUSES, strict=True):
            await expect(facilitator.locator(f"#clause-{clause_id} h3 .status-{status}")).to_be_visible()
        await expect(facilitator.locator("#proposal .provenance")).to_contain_text(th(
            "%(participants)s participants, %(statements)s clauses and amendments, %(votes)s votes, "
            "%(comments)s comments, %(needs)s needs", participants=3, statements=3, votes=8, comments=2, needs=3))

        # 7. the facilitator publishes while voting is open, saying they know it
        await facilitator.check("input[name=while_voting]")
        await facilitator.click("form[action$='/proposal/publish'] button")
        await facilitator.wait_for_url(re.compile(r"done=published"))
        await expect(facilitator.locator("form[action$='/proposal/publish']")).to_have_count(0)

        # 8. the first villager reads the outcome and what became of their need
        mali = villagers[0]
        await mali.goto(f"/rounds/{slug}")
        await mali.click(f"nav a[href='/rounds/{slug}/outcome']")
        await mali.wait_for_url(re.compile(rf"/rounds/{slug}/outcome$"))
        for clause_id, status in zip(clause_ids, STATUSES, strict=True):
            await expect(mali.locator(f"#clause-{clause_id} h3 .status-{status}")).to_be_visible()
        await expect(mali.locator(f"#clause-{clause_ids[0]} h3")).to_contain_text(th("Consensus"))
        await mali.goto(f"/rounds/{slug}/mine")
        mine = mali.locator("section.card", has_text=VILLAGERS[0][2])
        await expect(mine).to_contain_text(CLAUSES[0])
        await expect(mine.locator(".status-consensus")).to_have_text(th("Consensus"))

        # ... comes back on another phone with the card, takes a copy of their data, and leaves Ruam
        other = await phone()
        await other.goto("/card")
        await other.fill("#code", cards[0])
        await other.click("main form button[type=submit]")
        await other.wait_for_url(re.compile(r"://[^/?]+/$"))
        await other.goto("/me")
        answer = await other.request.get(await other.get_attribute("a[href='/me/data.json']", "href"))
        assert answer.status == 200 and answer.headers["content-type"].startswith("application/json")
        copy = json.loads(await answer.text())
        assert copy["profile"]["display_name"] == VILLAGERS[0][0]
        [mine_in_round] = copy["rounds"]
        assert mine_in_round["round"]["slug"] == slug
        assert [n["title"] for n in mine_in_round["needs"]] == [VILLAGERS[0][2]]
        assert [c["body"] for c in mine_in_round["comments"]] == [COMMENT]
        await other.click("a[href='/me/withdraw']")
        await other.wait_for_url(re.compile(r"/me/withdraw$"))
        await other.check("input[name=confirm]")
        await other.click("main form button[type=submit]")
        await other.wait_for_url(re.compile(r"/me/withdrawn$"))
        await check_page(other, "withdrawn")
        await mali.goto("/me")  # the first phone is signed out too
        await mali.wait_for_url(re.compile(r"/card$"))
        async with unit_of_work(committed) as session:
            assert (await session.get(Participant, uuid.UUID(copy["profile"]["id"]))).withdrawn_at is not None
        print(f"the whole round took {time.monotonic() - started:.1f} s")
    finally:
        if worker is not None:
            await asyncio.to_thread(_stop, worker)
        for opened in contexts[1:]:
            await opened.context.close()
    for opened in contexts:
        assert opened.refused == [], opened.refused
