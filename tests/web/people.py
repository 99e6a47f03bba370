"""Helpers for the tests of one person across rounds and phones: a second round to join, a person's card."""

from __future__ import annotations

import re

import httpx

from server.auth.service import create_invites
from server.database import unit_of_work
from server.people.models import Participant
from server.rounds.service import move_phase
from tests.factories import make_clause, make_round
from tests.web.conftest import csrf_of


async def another_round(committed, *, title: str = "รอบระนอง") -> tuple:
    """A second round in deliberation with one clause, and an invite code to it."""
    async with unit_of_work(committed) as session:
        round_ = await make_round(session, title={"th": title, "en": "Ranong round"})
        facilitator = await session.get(Participant, round_.created_by_id)
        clause = await make_clause(session, round_, text="รัฐจะสร้างท่าเรือชุมชนที่ระนอง")
        await move_phase(session, facilitator, round_.id, "deliberation")
        [(_, code)] = await create_invites(session, facilitator, round_.id, group_key="villagers")
    return round_, clause, code


async def card_code(client: httpx.AsyncClient) -> str:
    """The code of the card shown once after joining (or after a new card is made), as printed."""
    page = await client.get("/me/card")
    assert page.status_code == 200
    return re.search(r'<p class="code">([A-Z0-9-]+)</p>', page.text).group(1)


async def vote(client: httpx.AsyncClient, clause, choice: str = "agree") -> None:
    page = await client.get(f"/drafts/{clause.draft_id}")
    voted = await client.post(f"/clauses/{clause.id}/vote", data={"choice": choice, "csrf_token": csrf_of(page)})
    assert voted.status_code == 303, voted.text
