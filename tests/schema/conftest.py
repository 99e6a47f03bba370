"""Driving /graphql through the real app, with each request's transaction inside the test's.

Requests get sessions on the test's own connection, so what a request commits is a savepoint in
the test's transaction and is rolled back with it; the test sees the request's writes and the
request sees the test's data without anything being committed.
"""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from server.app import create_app
from server.auth.service import create_token
from server.config import Settings
from server.people.models import Participant
from server.runtime import Runtime
from tests.factories import make_member, make_participant, make_round

_names = itertools.count(1)


class Api:
    """Posts GraphQL documents; returns the decoded answer (and checks the HTTP status)."""

    def __init__(self, client: httpx.AsyncClient, app: Any):
        self.client, self.app = client, app

    async def __call__(self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None,
                       lang: str = "en", status: int = 200, headers: dict[str, str] | None = None) -> dict[str, Any]:
        sent = {"Accept-Language": lang, **(headers or {})}
        if token:
            sent["Authorization"] = f"Bearer {token}"
        response = await self.client.post("/graphql", json={"query": query, "variables": variables or {}},
                                          headers=sent)
        assert response.status_code == status, response.text
        return response.json()

    async def data(self, query: str, variables: dict[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
        """The answer's data, when it must have no errors."""
        answer = await self(query, variables, **kwargs)
        assert "errors" not in answer, answer["errors"]
        return answer["data"]

    @property
    def view(self) -> Any:
        return next(r.app for r in self.app.routes if getattr(r, "path", None) == "/graphql")


@pytest.fixture
async def api(services, engine, session, redis, tmp_path):
    settings = dataclasses.replace(Settings.from_env({"DATA_DIR": str(tmp_path)}),
                                   database_url=services.database_url, redis_url=services.redis_url)
    app = create_app(settings)
    sessions = async_sessionmaker(bind=session.bind, join_transaction_mode="create_savepoint",
                                  expire_on_commit=False)
    app.state.runtime = Runtime(settings, services, engine, sessions, redis)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ruam.test") as client:
        yield Api(client, app)


async def token_for(session, participant: Participant, *scopes: str) -> str:
    """A fresh API token for `participant` (default scopes: read and participate)."""
    _, plain = await create_token(session, None, participant.id, name=f"test token {next(_names)}",
                                  scopes=list(scopes or ("read", "participate")))
    return plain


async def add_readers_from_elsewhere(session, tokens: dict[str, str]) -> None:
    """Tokens for the two curious outsiders of the security tests: a member of another round, and a
    facilitator of another round."""
    tokens["member_elsewhere"] = await token_for(session, await make_member(session, await make_round(session)))
    elsewhere = await make_participant(session, role="facilitator")
    await make_round(session, elsewhere)
    tokens["facilitator_elsewhere"] = await token_for(session, elsewhere, "read", "facilitate")
