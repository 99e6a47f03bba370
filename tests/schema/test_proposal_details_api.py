"""A proposal's summary fields read no detail: its statements and clauses are read (server/consolidation/details.py)
only when a query asks for them, or for what changed."""

from server.consolidation.service import consolidate, publish
from tests.schema.scenario import deliberating_round
from tests.statements import counting

SUMMARY = """query ($id: ID!) { round(id: $id) { latestProposal {
  version threshold opinionGroupCount consensus inputCounts underHeardGroups
  groups { key participants fewerThanThree } unansweredNeeds { groupKey needs } } } }"""
WITH_CLAUSES = """query ($id: ID!) { round(id: $id) { latestProposal {
  version inputCounts underHeardGroups clauses { clauseId status } } } }"""


async def test_the_summary_fields_read_no_detail_and_say_what_the_details_would(api, session, engine):
    s = await deliberating_round(session)
    proposal = await consolidate(session, s.round.id)
    await publish(session, s.facilitator, s.round.id, proposal.version, while_voting=True)
    for reader in ("villager", "facilitator"):
        with counting(engine) as sql:
            summary = (await api.data(SUMMARY, {"id": s.round_id}, token=s.tokens[reader]))["round"]["latestProposal"]
        assert summary["version"] == 1 and not any("proposal_details" in q for q in sql.queries)
        with counting(engine) as sql:
            whole = (await api.data(WITH_CLAUSES, {"id": s.round_id}, token=s.tokens[reader]))["round"]["latestProposal"]
        assert any("proposal_details" in q for q in sql.queries) and len(whole["clauses"]) == len(s.clauses)
        # what rests on every statement reads the same from the summary's digest
        assert (summary["inputCounts"], summary["underHeardGroups"]) == (whole["inputCounts"], whole["underHeardGroups"])
    assert summary["inputCounts"]["votes"] is not None  # the facilitator's
