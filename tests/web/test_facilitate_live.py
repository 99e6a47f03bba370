"""The live page for a projector, and its server-sent events as votes arrive."""

import asyncio
import dataclasses

import httpx
import pytest

from server.app import create_app
from server.config import Settings
from server.database import unit_of_work
from server.deliberation.service import cast_vote
from server.events.relay import relay_batch
from server.rounds.service import move_phase
from tests.factories import make_clause, make_member
from tests.web.facilitation import htmx, my_round


async def _round(client, committed, voters=0):
    round_, me = await my_round(client, committed)
    async with unit_of_work(committed) as session:
        members = [await make_member(session, round_) for _ in range(max(voters, 1))]
        clause = await make_clause(session, round_, text="รัฐจะจัดหาน้ำประปาให้ทุกหมู่บ้าน")
        await move_phase(session, me, round_.id, "deliberation")
        for member in members[:voters]:
            await cast_vote(session, member, clause.id, "agree")
    return round_, clause, members


async def test_the_page_shows_current_figures_without_javascript(client, committed):
    client.cookies.set("lang", "en")  # the figures' words are checked in English
    round_, _clause, _ = await _round(client, committed, voters=2)
    page = await client.get(f"/facilitate/{round_.slug}/live")
    assert page.status_code == 200 and "รัฐจะจัดหาน้ำประปาให้ทุกหมู่บ้าน" in page.text
    assert "agree 2 · disagree 0 · pass 0" in page.text and "2 of 2 members voted; quorum 2" in page.text
    assert f'href="/facilitate/{round_.slug}/live"' in page.text and '<script src="/static/live.js"' in page.text
    assert 'data-stream="/facilitate/' in page.text
    projected = await client.get(f"/facilitate/{round_.slug}/live?public=1", headers=htmx())
    assert "<html" not in projected.text and 'id="figures"' in projected.text
    assert "fewer than 3" in projected.text and "agree 2" not in projected.text
    assert (await client.get("/static/live.js")).status_code == 200


@pytest.fixture
async def app(services, engine, redis, tmp_path):
    settings = dataclasses.replace(Settings.from_env({"DATA_DIR": str(tmp_path)}),
                                   database_url=services.database_url, redis_url=services.redis_url)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


class Stream:
    """Drives the ASGI app for one streaming request (httpx's ASGI transport waits for the whole body)."""

    def __init__(self, app, path: str, cookie: str):
        self.messages: asyncio.Queue = asyncio.Queue()
        self.gone = asyncio.Event()
        self.asked = False
        scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"}, "http_version": "1.1",
                 "method": "GET", "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
                 "root_path": "", "client": ("10.1.2.3", 5000), "server": ("ruam.test", 80),
                 "headers": [(b"host", b"ruam.test"), (b"cookie", cookie.encode()), (b"accept-language", b"en")]}
        self.task = asyncio.create_task(app(scope, self._receive, self.messages.put))

    async def _receive(self):
        if not self.asked:
            self.asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await self.gone.wait()
        return {"type": "http.disconnect"}

    async def next(self, timeout: float = 5.0) -> dict:
        return await asyncio.wait_for(self.messages.get(), timeout)

    async def close(self) -> None:
        self.gone.set()
        await asyncio.wait_for(self.task, 5)


async def test_a_vote_cast_after_connecting_arrives_as_an_event(app, committed, redis):
    transport = httpx.ASGITransport(app=app, client=("10.1.2.3", 5000))
    async with httpx.AsyncClient(transport=transport, base_url="http://ruam.test") as client:
        round_, clause, [member] = await _round(client, committed)
        cookie = f"ruam_session={client.cookies['ruam_session']}"
    stream = Stream(app, f"/facilitate/{round_.slug}/live/events", cookie)
    try:
        start = await stream.next()
        assert start["status"] == 200 and (b"content-type", b"text/event-stream; charset=utf-8") in start["headers"]
        assert b": connected" in (await stream.next())["body"]
        async with unit_of_work(committed) as session:
            await cast_vote(session, member, clause.id, "disagree")
        # earlier tests leave their committed events in the outbox: publish them all, the vote among them
        relayed = 0
        while True:
            async with unit_of_work(committed) as session:
                batch = len(await relay_batch(session, redis))
            if not batch:
                break
            relayed += batch
        assert relayed
        body = b""
        while b"event: figures" not in body:
            body += (await stream.next())["body"]
        text = body.decode()
        assert "agree 0 · disagree 1 · pass 0" in text and "1 of 1 members voted" in text
        event = text[text.index("event: figures"):].strip()
        assert all(line.startswith(("event:", "data:")) for line in event.splitlines())
    finally:
        await stream.close()


async def test_the_stream_is_for_facilitators_only(client, committed):
    round_, _, _ = await _round(client, committed)
    client.cookies.clear()
    assert (await client.get(f"/facilitate/{round_.slug}/live/events")).status_code == 303
