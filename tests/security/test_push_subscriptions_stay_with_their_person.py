"""A phone is told only of its own person's news, so subscribing one is theirs alone to do: the route refuses
a POST without a session, without the CSRF token (a JS-off form from another site) or with another person's
token, and stopping reaches only the person's own phones.

Attacked from outside, with a second person signed in on another browser.
"""

import httpx
from sqlalchemy import select

from server.database import unit_of_work
from server.push.models import PushSubscription
from tests.web.conftest import client, committed, csrf_of, join_round, join_with_code  # noqa: F401 -- fixtures
from tests.web.people import another_round
from tests.workers.push_service import Phone

PHONE = Phone("https://push.example.net/send/abc123")


def subscription(phone: Phone = PHONE) -> dict[str, str]:
    return {"endpoint": phone.endpoint, "p256dh": phone.p256dh, "auth": phone.auth}


async def _endpoints(committed) -> dict[str, object]:
    async with unit_of_work(committed) as session:
        return {s.endpoint: s.participant_id for s in await session.scalars(select(PushSubscription))}


async def test_subscribing_needs_the_persons_own_session_and_token(client, committed):
    round_, _, _ = await join_round(client, committed)
    mine = csrf_of(await client.get("/me/withdraw"))
    _, _, code = await another_round(committed)
    async with httpx.AsyncClient(transport=client._transport, base_url="http://ruam.test") as other, \
            httpx.AsyncClient(transport=client._transport, base_url="http://ruam.test") as nobody:
        await join_with_code(other, code)
        theirs = csrf_of(await other.get("/me/withdraw"))

        refused = [
            await nobody.post("/me/push", data={**subscription(), "csrf_token": mine}),  # no session
            await nobody.post("/me/push", data=subscription(), headers={"X-CSRF-Token": mine}),
            await client.post("/me/push", data=subscription()),  # a JS-off form posted from elsewhere
            await other.post("/me/push", data={**subscription(), "csrf_token": mine}),  # someone else's token
            await client.post("/me/push", data=subscription(), headers={"X-CSRF-Token": theirs}),
        ]
        assert [r.status_code for r in refused] == [403] * 5
        assert await _endpoints(committed) == {}

        assert (await client.post("/me/push", data=subscription(), headers={"X-CSRF-Token": mine})).status_code == 204
        [owner] = (await _endpoints(committed)).values()

        # the other person stops "this phone" and all their phones: mine is still told
        stop = await other.post("/me/push/stop", data={"endpoint": PHONE.endpoint}, headers={"X-CSRF-Token": theirs})
        assert stop.status_code == 204
        assert (await other.post("/me/push/stop", data={"csrf_token": theirs})).status_code == 303
        assert (await nobody.post("/me/push/stop", data={"csrf_token": mine})).status_code == 403
        assert await _endpoints(committed) == {PHONE.endpoint: owner}
        page = await client.get(f"/rounds/{round_.slug}")
        assert 'data-phones="1"' in page.text
