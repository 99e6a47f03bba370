"""The root page lists the rounds, in the reader's language."""

import dataclasses

import httpx
import pytest

from server.app import create_app
from server.config import Settings
from server.database import make_sessionmaker, unit_of_work
from tests.factories import make_member, make_round


@pytest.fixture
async def client(services, engine, tmp_path):
    settings = dataclasses.replace(Settings.from_env({"DATA_DIR": str(tmp_path)}),
                                   database_url=services.database_url, redis_url=services.redis_url)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://ruam.test") as client:
            yield client


async def test_root_lists_rounds_with_phase_and_participation(client, engine):
    async with unit_of_work(make_sessionmaker(engine)) as session:
        round_ = await make_round(session, title={"th": "รอบทดสอบหน้าแรก", "en": "Home page round"})
        await make_member(session, round_)
        await make_member(session, round_)

    thai = await client.get("/", headers={"Accept-Language": "th-TH,th;q=0.9"})
    assert thai.status_code == 200
    assert "รอบทดสอบหน้าแรก" in thai.text and "ความต้องการ" in thai.text
    assert 'lang="th"' in thai.text

    english = await client.get("/?lang=en")
    assert "Home page round" in english.text and "Needs" in english.text
    assert "2 participants in 2 groups" in english.text


async def test_user_text_is_escaped(client, engine):
    async with unit_of_work(make_sessionmaker(engine)) as session:
        await make_round(session, title={"th": "<script>alert(1)</script>"})
    page = await client.get("/")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;" in page.text


async def test_health(client):
    assert (await client.get("/healthz")).json() == {"status": "ok"}
