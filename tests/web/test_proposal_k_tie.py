"""The proposal page says when the number of opinion groups is a close call, and shows both."""

from sqlalchemy import select

from server.consolidation.models import ConsolidatedProposal
from server.database import unit_of_work
from tests.web.conftest import csrf_of
from tests.web.test_facilitate_proposal import _deliberated as deliberated


async def test_a_tie_between_two_numbers_of_groups_is_shown(client, committed):
    client.cookies.set("lang", "en")
    round_, _ = await deliberated(client, committed)
    empty = await client.get(f"/facilitate/{round_.slug}/proposal")
    made = await client.post(f"/facilitate/{round_.slug}/proposal/consolidate", data={"csrf_token": csrf_of(empty)})
    page = (await client.get(made.headers["location"])).text
    assert 'id="k-tie"' not in page  # four voters: no groups, so no tie
    async with unit_of_work(committed) as session:
        proposal = await session.scalar(select(ConsolidatedProposal).where(ConsolidatedProposal.round_id == round_.id))
        proposal.result = {**proposal.result, "k_tie": {
            "k": 4, "sizes": [9, 8, 4, 3], "silhouette": 0.483, "runner_up_k": 3, "runner_up_sizes": [12, 9, 3],
            "runner_up_silhouette": 0.482, "gap": 0.001}}
    page = (await client.get(made.headers["location"])).text
    assert "Close call: 4 opinion groups (9, 8, 4, 3 people) or 3 groups (12, 9, 3 people)" in page
    client.cookies.set("lang", "th")
    page = (await client.get(made.headers["location"])).text
    assert "ตัดสินยาก" in page and "12, 9, 3" in page
