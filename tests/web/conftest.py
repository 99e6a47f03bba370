"""The app over the test database, driven in-process with httpx; data for it is committed."""

import dataclasses
import re

import httpx
import pytest

from server.app import create_app
from server.config import Settings
from server.database import make_sessionmaker


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
