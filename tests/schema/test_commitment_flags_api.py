"""Follow-through through the API: a commitment's flags by the one rule, and the round's filter."""

from datetime import date

import pytest

from server.commitments.service import record_commitment
from server.consolidation.service import consolidate, publish
from tests.schema.scenario import deliberating_round

ROUND = """query ($id: ID!, $flagged: Boolean) { round(id: $id) { commitments(flagged: $flagged) { agency flags } } }"""


@pytest.fixture
async def s(session):
    return await deliberating_round(session)


async def test_flags_and_the_filter(api, s, session):
    proposal = await consolidate(session, s.round.id)
    await publish(session, s.facilitator, s.round.id, proposal.version, while_voting=True)
    await record_commitment(session, s.facilitator, s.clauses[0].id, agency="กรมที่ดิน", owner="ที่ดินสตูล",
                            due_date=date(2021, 1, 31))
    await record_commitment(session, s.facilitator, s.clauses[0].id, agency="อบต.", owner="ปลัด",
                            due_date=date(2099, 1, 31))
    await record_commitment(session, s.facilitator, s.clauses[0].id, agency="กรมประมง", owner="ประมงสตูล",
                            due_date=date(2021, 1, 31), status="rejected", note="ไม่มีงบ")
    every = (await api.data(ROUND, {"id": s.round_id}, token=s.tokens["villager"]))["round"]["commitments"]
    assert {c["agency"]: c["flags"] for c in every} == {"กรมที่ดิน": ["OVERDUE"], "อบต.": [], "กรมประมง": []}
    late = (await api.data(ROUND, {"id": s.round_id, "flagged": True}, token=s.tokens["villager"]))
    assert late["round"]["commitments"] == [{"agency": "กรมที่ดิน", "flags": ["OVERDUE"]}]
    others = (await api.data(ROUND, {"id": s.round_id, "flagged": False}, token=s.tokens["villager"]))
    assert [c["agency"] for c in others["round"]["commitments"]] == ["อบต.", "กรมประมง"]
