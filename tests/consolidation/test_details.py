"""A version's statements and clauses are stored apart from its summary (details.py): reading the summary never
reads them, what the summary's digest decides is what all the statements decide, a page of the report reads
its clauses only and every clause is on exactly one page, and migration 0025 moves stored versions both ways."""


from sqlalchemy import delete, event, text

from server.consolidation import details
from server.consolidation import report as report_module
from server.consolidation.details import result_of, summary_of
from server.consolidation.models import ConsolidatedProposal, ProposalDetails
from server.consolidation.queries import shown_version
from server.consolidation.report import report
from server.consolidation.service import consolidate, latest
from server.deliberation.service import cast_vote, post_comment
from server.disclosure import FACILITATOR, PUBLIC
from server.drafts import service as drafts
from server.ids import uuid7
from server.people.models import Participant
from server.rounds import service as rounds
from server.rounds.models import Round
from tests.factories import make_clause, make_member, make_round
from tests.migrations import migration as load_migration

CLAUSES = 7


async def _round_with_clauses(session):
    """Seven clauses, each in a draft of its own; one amended, one commented on; the government's one member
    votes on some only, so outside the facilitators some figures read "fewer than 3"."""
    round_ = await make_round(session)
    clauses = [await make_clause(session, round_, text=f"ข้อ {i}") for i in range(CLAUSES)]
    villagers = [await make_member(session, round_) for _ in range(3)]
    official = await make_member(session, round_, group_key="government")
    facilitator = await session.get(Participant, round_.created_by_id)
    await rounds.move_phase(session, facilitator, round_.id, "deliberation")
    amendment = await drafts.propose_amendment(session, villagers[0], clauses[3].id, text="ข้อ 3 อีกแบบ")
    for i, clause in enumerate(clauses):
        for person in villagers:
            await cast_vote(session, person, clause.id, "agree" if i % 3 else "disagree")
            if clause == clauses[3]:
                await cast_vote(session, person, clause.id, "agree", amendment_id=amendment.id)
        if i % 2:
            await cast_vote(session, official, clause.id, "agree")
    await cast_vote(session, official, clauses[3].id, "agree", amendment_id=amendment.id)
    await post_comment(session, villagers[1], clause_id=clauses[4].id, stance="oppose", body="ยังไม่พอ")
    return round_, clauses, await consolidate(session, round_.id)


class Statements:
    """The SQL a connection sends while the block runs."""

    def __init__(self, connection):
        self.connection, self.sent = connection, []

    def __enter__(self):
        event.listen(self.connection, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc):
        event.remove(self.connection, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, parameters, context, executemany):
        self.sent.append(statement)

    def read_details(self) -> bool:
        return any("proposal_details" in s for s in self.sent)


async def test_reading_the_summary_reads_no_detail_and_its_digest_decides_as_every_statement_would(session):
    round_, _, stored = await _round_with_clauses(session)
    assert "statements" not in stored.result and "clauses" not in stored.result
    assert stored.result["details"]["clauses"] == CLAUSES and stored.result["details"]["statements"] == CLAUSES + 1
    session.expunge_all()
    connection = (await session.connection()).sync_connection
    for audience in (PUBLIC, FACILITATOR):
        with Statements(connection) as sql:
            proposal = await latest(session, round_.id)
            summary = await shown_version(session, proposal, audience, details.SUMMARY)
        assert sql.sent and not sql.read_details()
        assert summary.result["statements"] == [] and summary.result["clauses"] == []
        with Statements(connection) as sql:
            whole = await shown_version(session, proposal, audience)
        assert sql.read_details() and len(whole.result["clauses"]) == CLAUSES
        # what rests on every statement reads the same from the digest as from the statements themselves
        assert summary.input_counts == whole.input_counts
        assert summary.result["under_heard_groups"] == whole.result["under_heard_groups"]
        assert "details" not in summary.result and "details" not in whole.result
    assert whole.input_counts["votes"] is not None  # the facilitators read every total
    public = await shown_version(session, proposal, PUBLIC, details.SUMMARY)
    assert public.input_counts["votes"] is None  # the government's one voter is behind it


async def test_a_paged_report_shows_every_clause_once_in_reading_order(session, monkeypatch):
    monkeypatch.setattr(details, "BLOCK", 2)  # a page of 3 spans two blocks
    round_, clauses, proposal = await _round_with_clauses(session)
    monkeypatch.setattr(report_module, "PAGE_SIZE", 3)
    whole = await report(session, round_, proposal, FACILITATOR)
    assert whole.pages == 1 and [c.clause_id for c in whole.clauses] == [str(c.id) for c in clauses]

    connection = (await session.connection()).sync_connection
    seen, texts = [], []
    for number in (1, 2, 3):
        with Statements(connection) as sql:
            page = await report(session, round_, proposal, FACILITATOR, page=number)
        assert page.pages == 3 and page.page == number and page.clause_total == CLAUSES
        assert page.first_number == 3 * (number - 1) + 1
        seen += [c.clause_id for c in page.clauses]
        texts += [c.text for c in page.clauses]
        assert sql.read_details()
    assert seen == [c.clause_id for c in whole.clauses] and len(set(seen)) == CLAUSES
    assert texts == [c.text for c in whole.clauses] and "ข้อ 3 อีกแบบ" in texts  # the amendment adopted
    beyond = await report(session, round_, proposal, FACILITATOR, page=9)
    assert beyond.page == 3 and [c.clause_id for c in beyond.clauses] == seen[6:]

    # moved since the version was computed: the pages follow the clauses' places now, as the whole report does
    last = clauses[-1]
    await session.execute(text("UPDATE drafts SET created_at = created_at - interval '1 day' WHERE id = :d"),
                          {"d": last.draft_id})
    session.expunge_all()
    round_ = await session.get(Round, round_.id)
    proposal = await session.get(ConsolidatedProposal, proposal.id)
    first = await report(session, round_, proposal, FACILITATOR, page=1)
    whole = await report(session, round_, proposal, FACILITATOR)
    assert first.clauses[0].clause_id == str(last.id) == whole.clauses[0].clause_id


async def test_a_few_clauses_and_the_outline_read_only_what_they_need(session, monkeypatch):
    monkeypatch.setattr(details, "BLOCK", 3)
    _, clauses, proposal = await _round_with_clauses(session)
    assert await session.scalar(text("SELECT count(*) FROM proposal_details WHERE proposal_id = :p"),
                                {"p": proposal.id}) == 3
    some = await result_of(session, proposal, details.clauses([clauses[3].id, "not-an-id"]))
    assert [c["clause_id"] for c in some["clauses"]] == [str(clauses[3].id)]
    assert len(some["statements"]) == 2 and some["details"]["clauses"] == CLAUSES  # the clause and its amendment
    whole = await result_of(session, proposal)
    outline = await result_of(session, proposal, details.OUTLINE)
    assert [(s["id"], s["kind"], s["status"]) for s in outline["statements"]] == [
        (s["id"], s["kind"], s["status"]) for s in whole["statements"]]
    assert outline["clauses"] == [{"clause_id": c["clause_id"], "adopted": c["adopted"]} for c in whole["clauses"]]


async def test_the_migration_moves_stored_versions_apart_and_back(session):
    migration = load_migration("0025_proposal_details.py")
    _, _, proposal = await _round_with_clauses(session)
    whole = await result_of(session, proposal)
    # a version as stored before 0025: everything in its result
    await session.execute(delete(ProposalDetails).where(ProposalDetails.proposal_id == proposal.id))
    proposal.result = whole
    await session.flush()

    # and a large one, 250 clauses with an amendment each, amendments after every clause as compute.py lists them
    ids = [str(uuid7()) for _ in range(250)]
    large_result = {**whole, "statements": [
        {**whole["statements"][0], "id": i, "clause_id": i, "kind": "clause"} for i in ids] + [
        {**whole["statements"][0], "id": str(uuid7()), "clause_id": i, "kind": "amendment"} for i in ids],
        "clauses": [{**whole["clauses"][0], "clause_id": i, "adopted": i} for i in ids]}
    large = ConsolidatedProposal(round_id=proposal.round_id, version=proposal.version + 1,
                                 algorithm_version=proposal.algorithm_version, parameters={}, inputs_hash="0" * 64,
                                 input_counts={}, result=large_result, changes={})
    session.add(large)
    await session.flush()

    await session.execute(text(migration.MOVE))
    await session.execute(text(migration.SUMMARIZE))
    session.expunge_all()
    moved = await session.get(ConsolidatedProposal, proposal.id)
    assert moved.result == summary_of(whole)  # the same digest as a version stored since
    assert await result_of(session, moved) == whole
    moved_large = await session.get(ConsolidatedProposal, large.id)
    assert moved_large.result == summary_of(large_result) and await result_of(session, moved_large) == large_result
    blocks = (await session.execute(text(
        "SELECT block, cardinality(clause_ids), jsonb_array_length(statements) FROM proposal_details "
        "WHERE proposal_id = :p ORDER BY block"), {"p": large.id})).all()
    assert [tuple(b) for b in blocks] == [(0, 100, 200), (1, 100, 200), (2, 50, 100)]
    page = await result_of(session, moved_large, details.page(2, 100))  # none of these clauses exists now
    assert [c["clause_id"] for c in page["clauses"]] == ids[100:200] and len(page["statements"]) == 200

    await session.execute(text(migration.PUT_BACK))
    session.expunge_all()
    assert (await session.get(ConsolidatedProposal, proposal.id)).result == whole
    assert (await session.get(ConsolidatedProposal, large.id)).result == large_result
