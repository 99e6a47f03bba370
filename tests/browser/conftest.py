"""Browser tests: a real `ruam` server on loopback and Debian's Chromium driven by playwright.

No browser is ever downloaded: the tests use the system's Chromium (`CHROMIUM` or
/usr/bin/chromium) and are skipped, saying why, on a machine without one (.ci/run installs it).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
import redis.asyncio as aioredis

from server.auth.service import create_token
from server.database import make_sessionmaker, unit_of_work
from tests.factories import make_participant

ROOT = Path(__file__).parent.parent.parent
SCREENSHOTS = ROOT / "tests" / "screenshots"
AXE = (Path(__file__).parent / "vendor" / "axe-4.14.1.min.js").read_text()
PHONE = {"width": 360, "height": 740}
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
# Without these Chromium tries to reach Google's services, which a closed network refuses.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]

# Buttons, fields and stand-alone links must be at least 44 px tall; links inside a sentence are text.
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'button, select, textarea, input:not([type=hidden]):not([type=radio]):not([type=checkbox]), summary,'
    + ' nav a, .button, label.choice, label.tile')]
  .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44)
  .map(e => e.outerHTML.slice(0, 80))"""

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium here; `.ci/run` installs Debian's")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def base_url(services, engine, tmp_path_factory):
    """`ruam serve` against the test database, as a separate process."""
    port = _free_port()
    env = os.environ | {"DATABASE_URL": services.database_url, "REDIS_URL": services.redis_url,
                        "PORT": str(port), "DATA_DIR": str(tmp_path_factory.mktemp("serve")),
                        "LOG_LEVEL": "WARNING"}
    process = subprocess.Popen([sys.executable, "-m", "server.cli", "serve"], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz").status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        process.kill()
        raise RuntimeError("ruam serve did not start")
    yield url
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(scope="session")
async def browser():
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        await browser.close()


async def _phone_page(browser, base_url: str, js: bool, **options):
    context = await browser.new_context(viewport=PHONE, base_url=base_url, locale="th-TH",
                                        java_script_enabled=js, **options)
    page = await context.new_page()
    page.js = js
    # what the Content-Security-Policy refused (web/security_headers.py): a page that needs it is broken
    page.refused = []
    page.on("console", lambda message: page.refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    return page


@pytest.fixture(params=["js", "no-js"])
async def page(request, browser, base_url):
    page = await _phone_page(browser, base_url, request.param == "js")
    yield page
    await page.context.close()
    assert page.refused == []


@pytest.fixture(scope="session")
async def facilitator(services, engine):
    """A facilitator and the staff sign-in key (an API token) they paste at /facilitate/sign-in."""
    async with unit_of_work(make_sessionmaker(engine)) as session:
        person = await make_participant(session, role="facilitator", display_name="ครูสมใจ")
        _, key = await create_token(session, None, person.id, name="browser tests", scopes=["facilitate"])
    # The sign-in page allows 10 tries a minute from one address; a run before this one, within
    # the same minute, must not use up this run's tries.
    client = aioredis.from_url(services.redis_url)
    try:
        async for name in client.scan_iter("ruam:rate:staff-sign-in:127.0.0.1:*"):
            await client.delete(name)
    finally:
        await client.aclose()
    return SimpleNamespace(person=person, key=key)


@pytest.fixture(scope="session")
async def facilitator_cookies(browser, base_url, facilitator):
    """Signed in once, through the real sign-in page; each facilitator test starts from its cookies."""
    page = await _phone_page(browser, base_url, js=False)
    await page.goto("/facilitate/sign-in")
    await page.fill("#token", facilitator.key)
    await page.click("main form:has(#token) button[type=submit]")
    await page.wait_for_url(re.compile(r"/facilitate$"))
    state = await page.context.storage_state()
    await page.context.close()
    return state


@pytest.fixture(params=["js", "no-js"])
async def facilitator_page(request, browser, base_url, facilitator_cookies):
    """A phone browser, JavaScript on or off, signed in as `facilitator`."""
    page = await _phone_page(browser, base_url, request.param == "js", storage_state=facilitator_cookies)
    yield page
    await page.context.close()
    assert page.refused == []


async def check_page(page, name: str) -> None:
    """axe finds no serious or critical violation, and a 360 × 740 screenshot is kept."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{name}-{'js' if page.js else 'nojs'}.png"), full_page=True)
    if not page.js:
        return  # axe runs as a script; the same markup is checked in the JavaScript pass
    for width in (360, 320):  # usable down to 320 px: nothing runs off the side
        await page.set_viewport_size({"width": width, "height": 740})
        overflow = await page.evaluate("() => document.documentElement.scrollWidth")
        assert overflow <= width, f"{name}: {overflow} px wide at {width} px"
    await page.set_viewport_size(PHONE)
    small = await page.evaluate(SMALL_TARGETS)
    assert small == [], f"{name}: tap targets under 44 px: {small}"
    await page.evaluate(AXE)  # not a script tag: the Content-Security-Policy refuses inline scripts
    result = await page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
               if v["impact"] in {"serious", "critical"}]
    assert serious == [], f"{name}: {serious}"


async def join_with_code(page, code: str, name: str = "มาลี") -> None:
    """A person joins with an invite code and gives the required consent, landing on the round."""
    await page.goto(f"/j/{code}")
    await page.fill("#display_name", name)
    await page.click("button[type=submit]")
    await page.wait_for_url(re.compile(r"/consent"))
    await page.check("input[name=data_processing]")
    await page.click("main form button[type=submit]")
    await keep_the_card(page)
    # the path itself: "/consent?next=/rounds/..." matches a looser pattern before consent is given
    await page.wait_for_url(re.compile(r"://[^/?]+/rounds/[^/?]+$"))


async def keep_the_card(page) -> str:
    """After consent a new participant is shown their re-entry card once: its code, once they say they kept it."""
    await page.wait_for_url(re.compile(r"/me/card\?next="))
    code = (await page.inner_text(".reentry .code")).strip()
    await page.click("main form button[type=submit]")
    return code
