"""The round's home offers "tell me on this phone" to its members only, through static/push.js (nothing shows
without JavaScript); /sw.js is the service worker for the whole site; My data stops every phone without
JavaScript; what a phone sends is checked before it is kept."""

import re

from sqlalchemy import func, select

from server.database import unit_of_work
from server.push.keys import vapid_keys
from server.push.models import PushSubscription
from server.rounds.models import Membership
from tests.web.conftest import csrf_of, join_round
from tests.workers.push_service import Phone

PHONE = Phone("https://fcm.googleapis.com/fcm/send/abc123")


async def _count(committed, round_) -> int:
    """Phones kept for this round's members (other tests leave phones of their own people behind)."""
    async with unit_of_work(committed) as session:
        return await session.scalar(select(func.count()).select_from(PushSubscription).join(
            Membership, Membership.participant_id == PushSubscription.participant_id).where(
            Membership.round_id == round_.id))


async def test_a_member_is_offered_it_hidden_until_the_script_finds_the_browser_can(client, committed):
    round_, _, _ = await join_round(client, committed)
    page = (await client.get(f"/rounds/{round_.slug}")).text
    box = re.search(r'<div id="push"[^>]*>', page).group(0)
    assert " hidden " in box and 'data-phones="0"' in box
    async with unit_of_work(committed) as session:
        key = (await vapid_keys(session, None)).public
    assert f'data-key="{key}"' in box and len(key) == 87  # an uncompressed P-256 point, base64url
    assert '<script src="/static/push.js" defer></script>' in page

    client.cookies.clear()  # a visitor who is not a member: no offer, no script
    page = (await client.get(f"/rounds/{round_.slug}")).text
    assert 'id="push"' not in page and "push.js" not in page


async def test_the_service_worker_is_served_for_the_whole_site(client):
    answer = await client.get("/sw.js")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/javascript")
    assert answer.headers["service-worker-allowed"] == "/"
    assert 'addEventListener("push"' in answer.text and "notificationclick" in answer.text


async def test_what_a_phone_sends_is_checked_and_my_data_stops_every_phone(client, committed):
    round_, _, _ = await join_round(client, committed)
    token = {"X-CSRF-Token": csrf_of(await client.get("/me/withdraw"))}
    good = {"endpoint": PHONE.endpoint, "p256dh": PHONE.p256dh, "auth": PHONE.auth}
    for bad in ({"endpoint": "http://10.0.0.7/push"}, {"endpoint": "javascript:alert(1)"},
                {"p256dh": PHONE.p256dh[:40]}, {"auth": "not base64!"}):
        assert (await client.post("/me/push", data={**good, **bad}, headers=token)).status_code == 422, bad
    assert await _count(committed, round_) == 0

    assert (await client.post("/me/push", data=good, headers=token)).status_code == 204
    assert (await client.post("/me/push", data=good, headers=token)).status_code == 204  # again: still one
    other = Phone("https://updates.push.services.mozilla.com/wpush/v2/xyz")
    await client.post("/me/push", data={"endpoint": other.endpoint, "p256dh": other.p256dh, "auth": other.auth},
                      headers=token)
    assert await _count(committed, round_) == 2

    page = await client.get("/me")
    assert "2" in re.search(r'action="/me/push/stop".*?</form>', page.text, re.S).group(0)
    stopped = await client.post("/me/push/stop", data={"csrf_token": csrf_of(page)})  # a plain form
    assert stopped.status_code == 303 and stopped.headers["location"] == "/me?done=push"
    assert await _count(committed, round_) == 0
    assert 'action="/me/push/stop"' not in (await client.get("/me?done=push")).text
