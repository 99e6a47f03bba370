"""Consolidation end to end over the database: stored versions, idempotency, determinism."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from server.consolidation import memberships
from server.consolidation.details import result_of
from server.consolidation.models import ConsolidatedProposal
from server.consolidation.service import consolidate
from server.deliberation import service as deliberation
from server.drafts import service as drafts
from server.imports.polis import import_polis
from server.people.service import system_actor
from server.rounds import service as rounds
from tests.factories import (
    make_clause,
    make_member,
    make_need,
    make_participant,
    make_round,
)

POLIS = Path(__file__).parent.parent / "data" / "polis"


async def _versions(session, round_id):
    return await session.scalar(select(func.count()).select_from(ConsolidatedProposal)
                                .where(ConsolidatedProposal.round_id == round_id))


async def test_same_inputs_store_one_version_and_new_votes_a_second(session):
    round_ = await import_polis(session, await system_actor(session), POLIS / "london.youth.policing")
    first = await consolidate(session, round_.id)
    again = await consolidate(session, round_.id)
    assert again.id == first.id and await _versions(session, round_.id) == 1
    assert first.changes == {"first_version": True}
    assert first.input_counts["votes"] == 638

    # a new participant agreeing with everything changes the inputs: version 2, with its differences
    newcomer = await make_participant(session)
    facilitator = await session.get(type(newcomer), round_.created_by_id)
    await rounds.add_member(session, facilitator, round_.id, newcomer.id, group_key="participants")
    for statement in (await result_of(session, first))["statements"][:10]:
        await deliberation.cast_vote(session, newcomer, statement["clause_id"], "agree")
    second = await consolidate(session, round_.id)
    assert second.version == 2 and second.inputs_hash != first.inputs_hash
    assert set(second.changes) >= {"added", "removed", "status_changed", "adopted_changed"}


async def test_recomputing_from_scratch_gives_identical_results(session):
    round_ = await import_polis(session, await system_actor(session), POLIS / "brexit-consensus")
    # the import's version starts from its replayed history; from scratch means without one
    await session.delete(await consolidate(session, round_.id))
    await session.flush()
    first = await consolidate(session, round_.id)
    whole = await result_of(session, first)
    await session.delete(first)
    await session.flush()
    second = await consolidate(session, round_.id)
    assert second.result == first.result and second.inputs_hash == first.inputs_hash
    assert await result_of(session, second) == whole


async def test_the_cli_contract_fields(session):
    round_ = await import_polis(session, await system_actor(session), POLIS / "scoop-hivemind.freshwater")
    proposal = await consolidate(session, round_.id)
    result = await result_of(session, proposal)  # what --json prints: the summary and its details
    listed = await memberships.of_version(session, proposal)  # --json prints it beside the summary
    assert len(listed) > 50 and "opinion_groups" not in result
    assert all(isinstance(g, int) for g in listed.values())
    statement = result["statements"][0]
    assert {"external_id", "gic", "groups", "status"} <= set(statement)
    assert set(result["consensus"]) <= {s["external_id"] for s in result["statements"]}


async def test_inclusive_status_needs_and_adopted_amendment(session):
    facilitator = await make_participant(session, role="facilitator")
    round_ = await make_round(session, facilitator)  # villagers quorum 2, government quorum 1
    villagers = [await make_member(session, round_) for _ in range(3)]
    official = await make_member(session, round_, group_key="government")
    answered = await make_need(session, round_, villagers[0], title="โฉนดชุมชน")
    forgotten = await make_need(session, round_, villagers[1], title="ไฟฟ้า")
    clause = await make_clause(session, round_, answers=[answered.id])
    other = await make_clause(session, round_)
    await rounds.move_phase(session, facilitator, round_.id, "deliberation")
    amendment = await drafts.propose_amendment(session, villagers[0], clause.id, text="ภายในหกเดือน")
    for person in villagers:
        await deliberation.cast_vote(session, person, clause.id, "disagree")
        await deliberation.cast_vote(session, person, clause.id, "agree", amendment_id=amendment.id)
        await deliberation.cast_vote(session, person, other.id, "agree")
    await deliberation.cast_vote(session, official, clause.id, "agree")
    await deliberation.cast_vote(session, official, clause.id, "agree", amendment_id=amendment.id)
    await deliberation.post_comment(session, villagers[2], clause_id=clause.id, stance="oppose",
                                    body="หนึ่งปีนานเกินไป ชาวบ้านรอไม่ได้")

    result = await result_of(session, await consolidate(session, round_.id))
    by_id = {s["id"]: s for s in result["statements"]}
    assert by_id[str(clause.id)]["status"] == "contested"           # villagers 1/5 < 0.6
    assert by_id[str(amendment.id)]["status"] == "consensus"        # villagers 4/5, government 2/3
    assert by_id[str(other.id)]["status"] == "under_heard"          # government never voted
    assert by_id[str(other.id)]["groups_lacking_quorum"] == ["government"]
    adopted = {c["clause_id"]: c for c in result["clauses"]}
    assert adopted[str(clause.id)]["adopted"] == str(amendment.id)
    assert adopted[str(clause.id)]["text"] == "ภายในหกเดือน"
    assert adopted[str(clause.id)]["answers"] == [str(answered.id)]
    assert adopted[str(clause.id)]["voices"]["against"][0]["body"].startswith("หนึ่งปี")
    assert result["needs"]["unanswered_by_group"] == {
        "villagers": [{"need_id": str(forgotten.id), "title": "ไฟฟ้า"}]}
    assert result["under_heard_groups"] == ["government"]


async def test_only_the_rounds_facilitators_publish_a_version(session):
    from server.consolidation.service import publish, published
    from server.errors import NotFound, NotPermitted
    from server.people.models import Participant

    round_ = await make_round(session)
    facilitator = await session.get(Participant, round_.created_by_id)
    proposal = await consolidate(session, round_.id)
    assert await published(session, round_.id) is None
    with pytest.raises(NotPermitted):
        await publish(session, await make_participant(session, role="facilitator"), round_.id, 1, while_voting=True)
    with pytest.raises(NotFound):
        await publish(session, facilitator, round_.id, 7, while_voting=True)
    done = await publish(session, facilitator, round_.id, proposal.version, while_voting=True)
    assert done.published_at is not None and (await published(session, round_.id)).id == proposal.id
