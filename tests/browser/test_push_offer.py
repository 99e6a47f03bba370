"""The offer to tell this phone of news, on a round's home at 360 px: with JavaScript it shows, asks for
permission only when tapped, and says so plainly when the phone cannot subscribe; without JavaScript nothing
shows. (Headless Chromium has no push service to subscribe with, so a subscription itself is tested against
a push service on 127.0.0.1 in tests/workers/test_push.py.)"""

from server.auth.service import create_invites
from server.database import make_sessionmaker, unit_of_work
from server.i18n import translations
from server.people.models import Participant
from tests.browser.conftest import check_page, join_with_code
from tests.factories import make_round

TELL_ME = translations("th").gettext("Tell me on this phone when something changes")
FAILED = translations("th").gettext("That did not work. Please try again later.")


async def test_the_offer_shows_only_with_javascript_and_asks_only_after_the_tap(page, engine):
    async with unit_of_work(make_sessionmaker(engine)) as session:
        round_ = await make_round(session, title={"th": "รอบแจ้งเตือน", "en": "Notice round"})
        facilitator = await session.get(Participant, round_.created_by_id)
        [(_, invite)] = await create_invites(session, facilitator, round_.id, group_key="villagers")
    await join_with_code(page, invite)

    start = page.get_by_role("button", name=TELL_ME)
    if not page.js:
        assert await page.locator("#push").count() == 1 and not await start.is_visible()
        await check_page(page, "round-push-no-js")
        return
    await start.wait_for(state="visible")
    assert await page.evaluate("Notification.permission") == "default"  # nothing asked on arrival
    await check_page(page, "round-push")
    await page.context.grant_permissions(["notifications"])
    await start.click()
    status = page.locator("#push [role=status]")
    await status.get_by_text(FAILED).wait_for()  # no push service here: the phone is told, nothing breaks
    assert await start.is_visible() and await start.is_enabled()
