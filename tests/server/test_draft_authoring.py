"""Writing a draft's clauses: edited in place while nobody has reacted and voting has not opened, a new
version afterwards (the old text keeps its votes), reordered, withdrawn, linked to needs."""

import pytest
from sqlalchemy import select, text

from server.consolidation.details import result_of
from server.consolidation.service import consolidate
from server.deliberation import fast
from server.deliberation import service as deliberation
from server.deliberation.models import Vote
from server.deliberation.queries import tallies
from server.drafts import authoring
from server.drafts import service as drafts
from server.drafts.models import Clause, clause_needs
from server.drafts.reading import read_draft
from server.errors import Conflict, NotPermitted, PhaseClosed, ValidationError
from server.events.models import Event
from server.people.models import Participant
from server.people.service import create_organisation, system_actor
from server.rounds import service as rounds
from tests.factories import make_member, make_need, make_participant, make_round
from tests.schema.conftest import token_for
from tests.vote_paths import through_the_lane, through_the_service


async def _draft_of_three(session, round_=None):
    round_ = round_ or await make_round(session)
    facilitator = await session.get(Participant, round_.created_by_id)
    await rounds.move_phase(session, facilitator, round_.id, "drafting")
    draft = await drafts.create_draft(session, facilitator, round_.id, title="ร่างนโยบายที่ดิน")
    clauses = [await drafts.add_clause(session, facilitator, draft.id, text=words)
               for words in ("ข้อหนึ่ง", "ข้อสอง", "ข้อสาม")]
    return round_, facilitator, draft, clauses


async def _need(session, round_, facilitator=None):
    """A need raised in the needs phase, the round then put back in the phase it was in."""
    facilitator = facilitator or await session.get(Participant, round_.created_by_id)
    previous = round_.current_phase
    await rounds.move_phase(session, facilitator, round_.id, "needs")
    need = await make_need(session, round_, await make_member(session, round_))
    if previous != "needs":
        await rounds.move_phase(session, facilitator, round_.id, previous)
    return need


async def _order(session, draft_id):
    await session.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))  # the deferred uniqueness, checked now
    await session.execute(text("SET CONSTRAINTS ALL DEFERRED"))
    rows = await session.execute(select(Clause.text, Clause.position).where(
        Clause.draft_id == draft_id, Clause.status == "current").order_by(Clause.position))
    return [tuple(r) for r in rows]


async def _events(session, subject_id):
    return (await session.scalars(select(Event.type).where(Event.subject_id == subject_id).order_by(Event.id))).all()


async def test_before_voting_opens_an_edit_changes_the_clause_in_place(session):
    _, facilitator, _, (first, _, _) = await _draft_of_three(session)
    edited = await authoring.edit_clause(session, facilitator, first.id, text="ข้อหนึ่ง แก้แล้ว")
    assert edited.id == first.id and edited.text == "ข้อหนึ่ง แก้แล้ว" and edited.status == "current"
    assert await session.scalar(select(Clause.id).where(Clause.supersedes_id == first.id)) is None
    assert await _events(session, first.id) == ["clause.added", "clause.edited"]


async def test_a_comment_already_given_makes_even_an_early_edit_a_new_version(session):
    round_, facilitator, _, (first, _, _) = await _draft_of_three(session)
    member = await make_member(session, round_)
    await deliberation.post_comment(session, member, clause_id=first.id, stance="question", body="ที่ไหน")
    edited = await authoring.edit_clause(session, facilitator, first.id, text="ข้อหนึ่ง ที่ตำบลนี้")
    assert edited.id != first.id and edited.supersedes_id == first.id


async def test_after_voting_opens_an_edit_is_a_new_version_and_old_votes_stay_with_the_old_text(session):
    round_, facilitator, draft, (first, second, third) = await _draft_of_three(session)
    need = await _need(session, round_)
    await authoring.link_needs(session, facilitator, first.id, [need.id])
    voter = await make_member(session, round_)
    await rounds.move_phase(session, facilitator, round_.id, "deliberation")
    await deliberation.cast_vote(session, voter, first.id, "agree")

    new = await authoring.edit_clause(session, facilitator, first.id, text="ข้อหนึ่ง ฉบับใหม่")
    await session.refresh(first)
    assert new.id != first.id and new.supersedes_id == first.id and new.position == first.position == 1
    assert first.status == "superseded" and first.text == "ข้อหนึ่ง"
    # the vote stays, retrievable, on the old text; the new text starts with none
    assert (await session.scalars(select(Vote.clause_id).where(Vote.participant_id == voter.id))).all() == [first.id]
    counted = await tallies(session, [(first.id, None), (new.id, None)])
    assert sum(t.agree for t in counted.get((first.id, None), {}).values()) == 1
    assert counted.get((new.id, None), {}) == {}
    # the needs it answered come along
    assert (await session.scalars(select(clause_needs.c.need_id).where(clause_needs.c.clause_id == new.id))).all() \
        == [need.id]
    assert await _events(session, new.id) == ["clause.revised"]

    # the voter's page shows the new text as changed, the earlier one on demand, and asks them to vote again
    view = await read_draft(session, draft.id, voter.id)
    shown = {c.clause.id: c for c in view.clauses}
    assert list(shown) == [new.id, second.id, third.id]
    assert shown[new.id].earlier == [first] and shown[new.id].vote_again and shown[new.id].my_vote is None
    assert not shown[second.id].vote_again

    await deliberation.cast_vote(session, voter, new.id, "disagree")
    view = await read_draft(session, draft.id, voter.id)
    assert not view.clauses[0].vote_again and view.clauses[0].my_vote == "disagree"


@pytest.mark.parametrize("path", [through_the_service, through_the_lane], ids=["service", "fast lane"])
async def test_the_earlier_text_takes_no_more_votes_on_either_path(session, path):
    fast.forget()
    round_, facilitator, _, (first, _, _) = await _draft_of_three(session)
    voter = await make_member(session, round_)
    token = await token_for(session, voter)
    await rounds.move_phase(session, facilitator, round_.id, "deliberation")
    await path(session, token, first.id, "agree")  # remembered by the fast lane while current
    new = await authoring.edit_clause(session, facilitator, first.id, text="ข้อหนึ่ง ฉบับใหม่")
    with pytest.raises(Conflict):
        await path(session, token, first.id, "disagree")
    with pytest.raises(Conflict):
        await deliberation.post_comment(session, voter, clause_id=first.id, stance="oppose", body="ไม่")
    with pytest.raises(Conflict):
        await drafts.propose_amendment(session, voter, first.id, text="อีกแบบ")
    await path(session, token, new.id, "pass")
    assert sorted((await session.execute(select(Vote.clause_id, Vote.value).where(
        Vote.participant_id == voter.id))).all()) == sorted([(first.id, 1), (new.id, 0)])


async def test_consolidation_reads_the_new_version_and_not_the_old(session):
    round_, facilitator, _, (first, second, third) = await _draft_of_three(session)
    voters = [await make_member(session, round_) for _ in range(3)]
    await rounds.move_phase(session, facilitator, round_.id, "deliberation")
    for voter in voters:
        for clause in (first, second, third):
            await deliberation.cast_vote(session, voter, clause.id, "agree")
    amendment = await drafts.propose_amendment(session, voters[0], first.id, text="ข้อหนึ่ง อีกแบบ")
    await deliberation.cast_vote(session, voters[1], first.id, "agree", amendment_id=amendment.id)
    before = await consolidate(session, round_.id)
    assert {s["clause_id"] for s in (await result_of(session, before))["statements"]} == {str(c.id) for c in (first, second, third)}

    new = await authoring.edit_clause(session, facilitator, first.id, text="ข้อหนึ่ง ฉบับใหม่")
    await deliberation.cast_vote(session, voters[0], new.id, "disagree")
    after = await consolidate(session, round_.id)
    whole = await result_of(session, after)
    statements = {s["id"]: s for s in whole["statements"]}
    assert str(first.id) not in statements and str(amendment.id) not in statements  # not the current proposal
    assert statements[str(new.id)]["groups"]["villagers"] == {**statements[str(new.id)]["groups"]["villagers"],
                                                              "agree": 0, "disagree": 1, "seen": 1}
    assert statements[str(second.id)]["groups"]["villagers"]["agree"] == 3
    assert [c["clause_id"] for c in whole["clauses"]] == [str(new.id), str(second.id), str(third.id)]
    assert after.input_counts["votes"] == 7  # 3 on each of two clauses and 1 on the new text
    assert await session.scalar(select(Vote.id).where(Vote.clause_id == first.id).limit(1)) is not None  # kept


async def test_reordering_keeps_positions_unique_and_the_ends_stay_put(session):
    _, facilitator, draft, (_, second, third) = await _draft_of_three(session)
    await authoring.move_clause(session, facilitator, third.id, "up")
    assert await _order(session, draft.id) == [("ข้อหนึ่ง", 1), ("ข้อสาม", 2), ("ข้อสอง", 3)]
    await authoring.move_clause(session, facilitator, third.id, "up")
    await authoring.move_clause(session, facilitator, third.id, "up")  # already first: nothing moves
    await authoring.move_clause(session, facilitator, second.id, "down")  # already last
    assert await _order(session, draft.id) == [("ข้อสาม", 1), ("ข้อหนึ่ง", 2), ("ข้อสอง", 3)]
    assert (await _events(session, third.id)).count("clause.moved") == 2
    with pytest.raises(ValidationError):
        await authoring.move_clause(session, facilitator, third.id, "sideways")


async def test_withdrawing_closes_the_gap_and_only_before_voting_opens(session):
    round_, facilitator, draft, (first, second, third) = await _draft_of_three(session)
    await authoring.withdraw_clause(session, facilitator, first.id)
    assert await _order(session, draft.id) == [("ข้อสอง", 1), ("ข้อสาม", 2)]
    added = await drafts.add_clause(session, facilitator, draft.id, text="ข้อสี่")
    assert added.position == 3
    assert [c.clause.id for c in (await read_draft(session, draft.id, None)).clauses] == [second.id, third.id,
                                                                                         added.id]
    with pytest.raises(Conflict):
        await authoring.edit_clause(session, facilitator, first.id, text="กลับมา")
    await rounds.move_phase(session, facilitator, round_.id, "deliberation")
    with pytest.raises(Conflict):
        await authoring.withdraw_clause(session, facilitator, second.id)


async def test_linking_needs_of_another_round_is_refused(session):
    round_, facilitator, _, (first, _, _) = await _draft_of_three(session)
    elsewhere = await make_round(session)
    foreign = await _need(session, elsewhere)
    own = await _need(session, round_)
    with pytest.raises(ValidationError) as refused:
        await authoring.link_needs(session, facilitator, first.id, [own.id, foreign.id])
    assert "answers" in refused.value.fields
    assert (await session.scalars(select(clause_needs.c.need_id).where(clause_needs.c.clause_id == first.id))).all() \
        == []
    await authoring.link_needs(session, facilitator, first.id, [own.id])
    await authoring.link_needs(session, facilitator, first.id, [own.id])  # again: nothing new
    assert (await _events(session, first.id)).count("clause.needs_linked") == 1
    await authoring.unlink_needs(session, facilitator, first.id, [own.id])
    assert (await session.scalars(select(clause_needs.c.need_id).where(clause_needs.c.clause_id == first.id))).all() \
        == []


async def test_a_member_cannot_change_a_clause_in_any_phase(session):
    round_, facilitator, _, (first, _, _) = await _draft_of_three(session)
    member = await make_member(session, round_)
    outsider = await make_participant(session, role="facilitator")
    own = await _need(session, round_)
    for phase in ("drafting", "deliberation"):
        await rounds.move_phase(session, facilitator, round_.id, phase)
        for person, refusal in ((member, PhaseClosed), (outsider, NotPermitted)):
            for attempt in (lambda p: authoring.edit_clause(session, p, first.id, text="ของฉัน"),
                            lambda p: authoring.move_clause(session, p, first.id, "down"),
                            lambda p: authoring.withdraw_clause(session, p, first.id),
                            lambda p: authoring.link_needs(session, p, first.id, [own.id])):
                with pytest.raises(refusal):
                    async with session.begin_nested():
                        await attempt(person)
    await session.refresh(first)
    assert first.text == "ข้อหนึ่ง" and first.status == "current" and first.position == 1


async def test_two_organisations_each_put_a_draft_in_the_same_round(session):
    round_ = await make_round(session)
    admin = await system_actor(session)
    ministry = await create_organisation(session, admin, name_th="กระทรวง", name_en="Ministry", kind="government")
    cso = await create_organisation(session, admin, name_th="มูลนิธิ", name_en="Foundation", kind="cso")
    school = await create_organisation(session, admin, name_th="มหาวิทยาลัย", name_en="University", kind="academic")
    facilitator = await session.get(Participant, round_.created_by_id)
    await rounds.move_phase(session, facilitator, round_.id, "drafting")
    one = await drafts.create_draft(session, facilitator, round_.id, title="ร่างของรัฐ", organisation_id=ministry.id)
    two = await drafts.create_draft(session, facilitator, round_.id, title="ร่างของภาคประชาสังคม",
                                    organisation_id=cso.id)
    assert (one.organisation_id, two.organisation_id) == (ministry.id, cso.id)
    with pytest.raises(ValidationError) as refused:
        await drafts.create_draft(session, facilitator, round_.id, title="ร่าง", organisation_id=school.id)
    assert "organisation_id" in refused.value.fields
