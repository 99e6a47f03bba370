"""Opinion-group membership is stored apart from a version's summary: reading the summary never reads it,
a person's own group and the whole list are read from the version's membership row, and versions stored
the old way (the list inside the result) still read."""


import numpy as np
from sqlalchemy import func, select, text

from server.consolidation import memberships
from server.consolidation.models import ConsolidatedProposal, ProposalMembership
from server.consolidation.queries import shown_version
from server.consolidation.report import report
from server.consolidation.service import consolidate, latest
from server.disclosure import FACILITATOR, PUBLIC
from server.drafts import service as drafts
from server.ids import uuid7
from server.people.models import Participant
from server.rounds import service as rounds
from server.rounds.service import groups_of
from tests.factories import make_member, make_round
from tests.migrations import migration as load_migration

PEOPLE, CLAUSES = 3_000, 30


async def _crowd(session, round_, people: int, clauses: int):
    """`people` members of the round voting on `clauses` clauses, written by COPY as the benchmark does: two
    camps, and one person in ten with fewer than 7 votes (so not clustered). Returns (ids, votes per person)."""
    facilitator = await session.get(Participant, round_.created_by_id)
    await rounds.move_phase(session, facilitator, round_.id, "drafting")
    draft = await drafts.create_draft(session, facilitator, round_.id, title="ร่างนโยบาย")
    clause_ids = [(await drafts.add_clause(session, facilitator, draft.id, text=f"ข้อ {i}")).id for i in range(clauses)]
    await rounds.move_phase(session, facilitator, round_.id, "deliberation")
    group_id = next(g.id for g in await groups_of(session, round_.id) if g.key == "villagers")
    rng = np.random.default_rng(7)
    ids = [uuid7() for _ in range(people)]
    raw = (await (await session.connection()).get_raw_connection()).driver_connection
    await raw.copy_records_to_table("participants", columns=["id", "display_name", "role", "locale", "languages"],
                                    records=[(p, f"Person {i}", "participant", "th", []) for i, p in enumerate(ids)])
    await raw.copy_records_to_table("memberships", columns=["round_id", "participant_id", "group_id", "facilitates"],
                                    records=[(round_.id, p, group_id, False) for p in ids])
    counts = np.where(np.arange(people) % 10 == 0, 3, 12)
    camp = rng.integers(0, 2, people)
    votes = []
    for i, person in enumerate(ids):
        for c in rng.choice(clauses, size=counts[i], replace=False).tolist():
            value = 1 if (c < clauses // 2) == (camp[i] == 0) else -1
            votes.append((uuid7(), round_.id, person, clause_ids[c], value, person))
    await raw.copy_records_to_table("votes", records=votes, columns=[
        "id", "round_id", "participant_id", "clause_id", "value", "entered_by_id"])
    return ids, counts


async def test_a_large_rounds_summary_names_no_one_and_each_clustered_person_is_listed_once(session):
    round_ = await make_round(session)
    ids, counts = await _crowd(session, round_, PEOPLE, CLAUSES)
    stored = await consolidate(session, round_.id)
    clustered = int((counts >= 7).sum())

    session.expunge_all()  # read back from PostgreSQL, as a page would
    proposal = await latest(session, round_.id)
    assert proposal is not None and proposal.id == stored.id and proposal.result["opinion_group_count"] >= 2
    summary, listed_inside = (await session.execute(text(
        "SELECT result::text, jsonb_exists(result, 'opinion_groups') FROM consolidated_proposals WHERE id = :i"),
        {"i": proposal.id})).one()
    assert not listed_inside and "opinion_groups" not in proposal.result
    assert not any(str(p) in summary for p in ids)  # nobody named in what every reader reads
    assert len(summary) < 36 * PEOPLE  # smaller than the ids of the people alone

    row = await session.get(ProposalMembership, proposal.id)
    assert row is not None and len(row.participant_ids) == len(row.opinion_groups) == clustered
    rows = list(zip(row.participant_ids, row.opinion_groups, strict=True))
    assert set(row.opinion_groups) == set(range(proposal.result["opinion_group_count"]))
    assert set(row.participant_ids) == {p for p, n in zip(ids, counts.tolist(), strict=True) if n >= 7}

    listed = await memberships.of_version(session, proposal)
    assert listed == {str(p): g for p, g in rows}
    placed = next(p for p, n in zip(ids, counts.tolist(), strict=True) if n >= 7)
    assert await memberships.group_of(session, proposal, placed) == listed[str(placed)]
    assert await memberships.group_of(session, proposal, ids[0]) is None  # 3 votes: not clustered

    # the same inputs store nothing new, memberships included
    assert (await consolidate(session, round_.id)).id == proposal.id
    assert await session.scalar(select(func.count()).select_from(ProposalMembership).where(
        ProposalMembership.proposal_id.in_(select(ConsolidatedProposal.id).where(
            ConsolidatedProposal.round_id == round_.id)))) == 1

    # a version deleted takes its memberships with it
    await session.delete(proposal)
    await session.flush()
    assert not await session.scalar(select(func.count()).select_from(ProposalMembership).where(
        ProposalMembership.proposal_id == stored.id))


async def _old_format_version(session, external: str = "p-17"):
    """A version as stored before 0022: its list inside the result, keyed by external id or else by id."""
    round_ = await make_round(session)
    imported = await make_member(session, round_, external_source="polis", external_id=external)
    local = await make_member(session, round_)
    outsider = await make_member(session, round_)
    stored = await consolidate(session, round_.id)  # a real summary to start from
    await session.execute(text("DELETE FROM proposal_memberships WHERE proposal_id = :i"), {"i": stored.id})
    session.expunge_all()
    proposal = await latest(session, round_.id)
    proposal.result = {**proposal.result, "opinion_groups": {external: 1, str(local.id): 0},
                       "opinion_group_count": 2}
    await session.flush()
    return round_, proposal, imported, local, outsider


async def test_an_old_format_version_still_reads(session):
    round_, proposal, imported, local, outsider = await _old_format_version(session)

    assert await memberships.of_version(session, proposal) == {"p-17": 1, str(local.id): 0}
    assert await memberships.group_of(session, proposal, imported.id) == 1
    assert await memberships.group_of(session, proposal, local.id) == 0
    assert await memberships.group_of(session, proposal, outsider.id) is None
    # every reader of the summary gets it without the list, facilitators included
    for audience in (PUBLIC, FACILITATOR):
        assert "opinion_groups" not in (await shown_version(session, proposal, audience)).result
    assert (await report(session, round_, proposal, FACILITATOR)).proposal.id == proposal.id


async def test_the_migration_moves_old_lists_it_can_and_downgrading_puts_them_back(session):
    migration = load_migration("0022_proposal_memberships.py")
    _, moved, imported, local, _ = await _old_format_version(session)
    # a list naming someone no longer in the round cannot be moved whole: it stays where it is
    _, kept, *_ = await _old_format_version(session, "p-18")
    kept.result = {**kept.result, "opinion_groups": {"p-gone": 0}}
    await session.flush()

    await session.execute(text(migration.MOVE))
    await session.execute(text(migration.STRIP))
    session.expunge_all()
    moved, kept = await session.get(ConsolidatedProposal, moved.id), await session.get(ConsolidatedProposal, kept.id)
    assert "opinion_groups" not in moved.result
    row = await session.get(ProposalMembership, moved.id)
    assert dict(zip(row.participant_ids, row.opinion_groups, strict=True)) == {imported.id: 1, local.id: 0}
    assert await memberships.group_of(session, moved, imported.id) == 1
    assert await session.get(ProposalMembership, kept.id) is None
    assert await memberships.of_version(session, moved) == {"p-17": 1, str(local.id): 0}
    assert kept.result["opinion_groups"] == {"p-gone": 0}
    assert await memberships.of_version(session, kept) == {"p-gone": 0}

    await session.execute(text(migration.PUT_BACK))
    session.expunge_all()
    assert (await session.get(ConsolidatedProposal, moved.id)).result["opinion_groups"] == {
        "p-17": 1, str(local.id): 0}


async def test_a_version_keeps_what_the_next_starts_from_matched_to_the_next_rows_and_columns(session):
    """Base clusters and principal axes are stored with each version and come back in the next version's
    row and column order: a newcomer and a new clause have none, everyone else their own."""
    round_ = await make_round(session)
    ids, counts = await _crowd(session, round_, 300, 12)
    first = await consolidate(session, round_.id)
    stored = (await session.execute(select(ProposalMembership).where(
        ProposalMembership.proposal_id == first.id))).scalar_one()
    assert len(stored.base_clusters) == len(stored.participant_ids) == int((counts >= 7).sum())
    assert min(stored.base_clusters) >= 0 and len(stored.axis_statement_ids) == 12
    axes = np.frombuffer(stored.axes, dtype="<f8").reshape(2, 12)
    assert np.allclose(np.linalg.norm(axes, axis=1), 1.0)

    newcomer = await make_member(session, round_)
    facilitator = await session.get(Participant, round_.created_by_id)
    inputs_rows = sorted([*ids, newcomer.id])
    draft_id = (await session.scalar(text("SELECT draft_id FROM clauses WHERE round_id = :r LIMIT 1"),
                                     {"r": round_.id}))
    await rounds.move_phase(session, facilitator, round_.id, "drafting")
    extra = await drafts.add_clause(session, facilitator, draft_id, text="ข้อใหม่")
    columns = [extra.id, *reversed(stored.axis_statement_ids)]
    prior = await memberships.prior(session, first, inputs_rows, columns, None)

    group_of = dict(zip(stored.participant_ids, stored.opinion_groups, strict=True))
    base_of = dict(zip(stored.participant_ids, stored.base_clusters, strict=True))
    assert prior.group.tolist() == [group_of.get(p, -1) for p in inputs_rows]
    assert prior.base.tolist() == [base_of.get(p, -1) for p in inputs_rows]
    assert prior.axes[:, 0].tolist() == [0.0, 0.0]  # the new clause
    assert prior.axes[:, 1:].tolist() == axes[:, ::-1].tolist()
