"""Helpers for the facilitator pages' tests: people signed in through the real sign-in page.

A facilitator signs in with a staff API token (server/auth/staff.py), exactly as in production,
so the tests need no back door into the session.
"""

from __future__ import annotations

import httpx

from server.auth.models import ApiToken
from server.auth.service import create_token
from server.database import unit_of_work
from server.people.models import Participant
from server.rounds.models import Round
from tests.factories import make_participant, make_round
from tests.web.conftest import csrf_of


async def sign_in_as(client: httpx.AsyncClient, committed, *, role: str = "facilitator",
                     scopes: tuple[str, ...] = ("facilitate",)) -> Participant:
    person, _, _ = await signed_in_with_token(client, committed, role=role, scopes=scopes)
    return person


async def signed_in_with_token(client: httpx.AsyncClient, committed, *, role: str = "facilitator",
                               scopes: tuple[str, ...] = ("facilitate",)) -> tuple[Participant, ApiToken, str]:
    """A new person signed in on `client` with a new staff token: the person, the token's row and the
    session cookie as a browser would send it."""
    async with unit_of_work(committed) as session:
        person = await make_participant(session, role=role)
        token, plain = await create_token(session, None, person.id, name="test sign-in", scopes=list(scopes))
    form = await client.get("/facilitate/sign-in")
    signed = await client.post("/facilitate/sign-in", data={"token": plain, "next": "/facilitate",
                                                            "csrf_token": csrf_of(form)})
    assert signed.status_code == 303, signed.text
    return person, token, f"ruam_session={client.cookies['ruam_session']}"


async def my_round(client: httpx.AsyncClient, committed, *, phase: str | None = None,
                   **overrides) -> tuple[Round, Participant]:
    """A round made by a facilitator who is signed in on `client`."""
    me = await sign_in_as(client, committed)
    async with unit_of_work(committed) as session:
        round_ = await make_round(session, me, phase=phase, **overrides)
    return round_, me


async def token_of(client: httpx.AsyncClient, path: str) -> str:
    return csrf_of(await client.get(path))


def htmx(token: str | None = None) -> dict[str, str]:
    headers = {"HX-Request": "true"}
    if token:
        headers["X-CSRF-Token"] = token
    return headers
