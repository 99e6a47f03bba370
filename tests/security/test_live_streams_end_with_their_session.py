"""A facilitator's live stream (server-sent events) ends with the session it was opened with.

The stream outlives the request that opened it, so a check at the door is not enough: once the token
the facilitator signed in with is revoked, the next keep-alive must end the stream instead of feeding
figures (and who voted what, to a facilitator) to whoever holds the browser.
"""

import asyncio

import httpx
from sqlalchemy import select

from server.auth.models import ApiToken
from server.auth.service import revoke_token
from server.database import unit_of_work
from tests.factories import make_clause, make_member
from tests.web.conftest import client, committed  # noqa: F401 -- fixtures, for this module
from tests.web.facilitation import my_round
from tests.web.test_facilitate_live import Stream, app  # noqa: F401 -- the app fixture, for this module
from web.views.facilitate import live


async def _ended(stream: Stream, seconds: float) -> bool:
    """Whether the stream sends its last message within `seconds` (keep-alives until then)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while (left := deadline - asyncio.get_running_loop().time()) > 0:
        try:
            message = await stream.next(left)
        except TimeoutError:
            return False
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            return True
    return False


async def test_revoking_the_token_ends_an_open_live_stream(app, committed, monkeypatch):
    monkeypatch.setattr(live, "KEEPALIVE", 0.2)
    transport = httpx.ASGITransport(app=app, client=("10.1.2.3", 5000))
    async with httpx.AsyncClient(transport=transport, base_url="http://ruam.test") as browser:
        round_, me = await my_round(browser, committed)
        async with unit_of_work(committed) as session:
            await make_member(session, round_)
            await make_clause(session, round_)
        cookie = f"ruam_session={browser.cookies['ruam_session']}"
    stream = Stream(app, f"/facilitate/{round_.slug}/live/events", cookie)
    try:
        assert (await stream.next())["status"] == 200
        assert not await _ended(stream, 0.6)  # keep-alives while the session stands
        async with unit_of_work(committed) as session:
            token = await session.scalar(select(ApiToken).where(ApiToken.participant_id == me.id))
            await revoke_token(session, None, token.id)
        assert await _ended(stream, 2.0)
    finally:
        await stream.close()
