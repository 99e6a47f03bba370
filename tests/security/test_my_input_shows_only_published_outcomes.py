""""My input" tells a member what became of their input: the outcome its facilitators published, never a
working version they have not (which may still change, and which nobody else may read)."""

from __future__ import annotations

from server.consolidation.service import consolidate, publish
from server.database import unit_of_work
from server.deliberation.service import cast_vote
from server.i18n import translate
from server.people.models import Participant
from tests.factories import make_member
from tests.web.conftest import client, committed, csrf_of, join_round  # noqa: F401 (fixture)
from web.icons import STATUS_NAMES


async def test_no_status_from_an_unpublished_version(client, committed):
    round_, first, _second = await join_round(client, committed)
    page = await client.get(f"/drafts/{first.draft_id}")
    vote = await client.post(f"/clauses/{first.id}/vote", data={"choice": "agree", "csrf_token": csrf_of(page)})
    assert vote.status_code == 303, vote.text
    async with unit_of_work(committed) as session:
        facilitator = await session.get(Participant, round_.created_by_id)
        for _ in range(3):
            await cast_vote(session, await make_member(session, round_), first.id, "agree")
        unpublished = await consolidate(session, round_.id)
    mine = (await client.get(f"/rounds/{round_.slug}/mine")).text
    assert first.text in mine and not _statuses(mine), mine

    async with unit_of_work(committed) as session:
        await publish(session, facilitator, round_.id, unpublished.version, while_voting=True)
    mine = (await client.get(f"/rounds/{round_.slug}/mine")).text
    assert _statuses(mine)  # once published, the outcome is theirs to see


def _statuses(page: str) -> list[str]:
    return [text for name in STATUS_NAMES.values() for text in (translate(name, "th"), translate(name, "en"))
            if text in page]

