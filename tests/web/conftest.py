"""The app over the test database, driven in-process with httpx; data for it is committed."""

import dataclasses
import re

import httpx
import pytest

from server.app import create_app
from server.auth.service import create_invites
from server.config import Settings
from server.database import make_sessionmaker, unit_of_work
from server.drafts.service import add_clause
from server.people.models import Participant
from server.rounds.service import move_phase
from tests.factories import make_clause, make_round


@pytest.fixture
def committed(engine):
    return make_sessionmaker(engine)


@pytest.fixture
async def client(services, engine, redis, tmp_path):
    settings = dataclasses.replace(Settings.from_env({"DATA_DIR": str(tmp_path)}),
                                   database_url=services.database_url, redis_url=services.redis_url)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("10.1.2.3", 5000))
        async with httpx.AsyncClient(transport=transport, base_url="http://ruam.test") as client:
            yield client


def csrf_of(page: httpx.Response) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


async def join_round(client: httpx.AsyncClient, committed, *, phase: str = "deliberation"):
    """A round with a draft of two clauses, and this client signed in as a member who consented."""
    async with unit_of_work(committed) as session:
        round_ = await make_round(session, title={"th": "รอบทดสอบร่าง", "en": "Draft test round"})
        facilitator = await session.get(Participant, round_.created_by_id)
        first = await make_clause(session, round_, text="รัฐจะออกโฉนดชุมชนภายในหนึ่งปี")
        await move_phase(session, facilitator, round_.id, "drafting")
        second = await add_clause(session, facilitator, first.draft_id, text="รัฐจะจัดหาน้ำประปาให้ทุกหมู่บ้าน")
        await move_phase(session, facilitator, round_.id, phase)
        [(_, code)] = await create_invites(session, facilitator, round_.id, group_key="villagers")
    await join_with_code(client, code)
    return round_, first, second


async def join_with_code(client: httpx.AsyncClient, code: str) -> None:
    """This client joins with an invite code as มาลี and gives the required consent."""
    form = await client.get(f"/j/{code}")
    joined = await client.post("/join", data={"code": code, "display_name": "มาลี", "locale": "th",
                                              "csrf_token": csrf_of(form)})
    consent = await client.get(joined.headers["location"])
    await client.post("/consent", data={"next": "/", "data_processing": "yes", "csrf_token": csrf_of(consent)})
