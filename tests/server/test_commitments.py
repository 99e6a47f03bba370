"""Commitments: who records and updates them and when, how statuses move, the history they keep,
members' checks of delivery, and the events each change writes with it."""

from datetime import date

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from server.commitments import service
from server.commitments.models import Commitment, CommitmentCheck
from server.commitments.queries import check_counts, round_views, updates_of
from server.disclosure import FACILITATOR, Audience
from server.drafts import service as drafts
from server.errors import NotPermitted, NotPublished, ValidationError
from server.events.audiences import Disclosed, disclose
from server.events.models import Event
from server.people.models import Participant
from server.people.my_input import my_input
from server.rounds import service as rounds
from tests.factories import (
    make_clause,
    make_commitment,
    make_member,
    make_participant,
    make_round,
    publish_round,
    published_answer,
)


@pytest.fixture
async def published(session):
    """A round whose first clause answers a villager's need, deliberated and published."""
    round_, facilitator, villager, clause, _ = await published_answer(session)
    return round_, facilitator, villager, clause


async def _events(session, round_id, *types):
    return (await session.scalars(select(Event).where(Event.round_id == round_id, Event.type.in_(types))
                                  .order_by(Event.id))).all()


def _fields(error) -> set[str]:
    return set(error.value.fields)


async def test_nothing_is_recorded_before_the_proposal_is_published(session):
    round_ = await make_round(session)
    facilitator = await session.get(Participant, round_.created_by_id)
    clause = await make_clause(session, round_)
    with pytest.raises(NotPublished):
        await service.record_commitment(session, facilitator, clause.id, agency="กรมที่ดิน", owner="สำนักงานที่ดิน")
    await publish_round(session, round_)
    await rounds.move_phase(session, facilitator, round_.id, "drafting")
    later = await drafts.add_clause(session, facilitator, clause.draft_id, text="ข้อที่เพิ่มหลังเผยแพร่")
    with pytest.raises(NotPublished, match="Clause 2"):  # not in the published version
        await service.record_commitment(session, facilitator, later.id, agency="กรมที่ดิน", owner="สำนักงานที่ดิน")
    made = await service.record_commitment(session, facilitator, clause.id, agency="กรมที่ดิน", owner="สำนักงานที่ดิน")
    assert made.status == "pending" and made.round_id == round_.id


async def test_only_the_rounds_facilitators_and_administrators_record_and_update(session, published):
    _round, _facilitator, villager, clause = published
    other_facilitator = await make_participant(session, role="facilitator")
    await make_round(session, other_facilitator)  # facilitates another round only
    admin = await make_participant(session, role="admin")
    for outsider in (villager, other_facilitator):
        with pytest.raises(NotPermitted):
            await service.record_commitment(session, outsider, clause.id, agency="กรมที่ดิน", owner="ที่ดินจังหวัด")
    commitment = await service.record_commitment(session, admin, clause.id, agency="กรมที่ดิน", owner="ที่ดินจังหวัด")
    with pytest.raises(NotPermitted):
        await service.update_commitment(session, villager, commitment.id, status="done")
    await service.update_commitment(session, admin, commitment.id, status="accepted")
    assert commitment.status == "accepted"


async def test_a_rejection_needs_its_reason_and_statuses_move_only_forward_or_reopen(session, published):
    _round, facilitator, _villager, clause = published
    with pytest.raises(ValidationError) as refused:
        await make_commitment(session, clause, status="rejected")
    assert _fields(refused) == {"note"}
    rejected = await make_commitment(session, clause, status="rejected", note="ไม่มีงบประมาณปีนี้")
    assert rejected.reason == "ไม่มีงบประมาณปีนี้"
    reconsidered = await service.update_commitment(session, facilitator, rejected.id, status="accepted",
                                                   note="ได้งบกลางแล้ว")
    assert (reconsidered.status, reconsidered.reason) == ("accepted", None)

    commitment = await make_commitment(session, clause)
    with pytest.raises(ValidationError) as refused:
        await service.update_commitment(session, facilitator, commitment.id, status="rejected", note="  ")
    assert _fields(refused) == {"note"}
    await service.update_commitment(session, facilitator, commitment.id, status="done",
                                    evidence_url="https://example.org/photos/water-tank.jpg")
    with pytest.raises(ValidationError) as refused:
        await service.update_commitment(session, facilitator, commitment.id, status="accepted")
    assert "cannot become" in str(refused.value)
    with pytest.raises(ValidationError) as refused:  # nothing said, nothing changed
        await service.update_commitment(session, facilitator, commitment.id)
    assert _fields(refused) == {"note"}
    await service.update_commitment(session, facilitator, commitment.id, status="in_progress",
                                    note="ชาวบ้านแจ้งว่าถังรั่ว")  # reopened
    assert commitment.status == "in_progress"


async def test_bad_input_is_named_field_by_field(session, published):
    _round, _facilitator, _villager, clause = published
    with pytest.raises(ValidationError) as refused:
        await make_commitment(session, clause, agency=" ", owner="x" * 201, status="maybe",
                              due_date=date(2570, 3, 31), evidence_url="javascript:alert(1)")
    assert _fields(refused) == {"agency", "owner", "status", "due_date", "evidence_url"}
    await make_commitment(session, clause, agency="กรมทรัพยากรทางทะเลและชายฝั่ง")
    with pytest.raises(ValidationError) as refused:  # one commitment per agency and clause
        await make_commitment(session, clause, agency=" กรมทรัพยากรทางทะเลและชายฝั่ง ")
    assert _fields(refused) == {"agency"}


async def test_every_step_is_appended_to_the_history_with_its_event(session, published):
    round_, facilitator, _villager, clause = published
    commitment = await make_commitment(session, clause, due_date=date(2027, 3, 31), note="รับเรื่องในที่ประชุม")
    await service.update_commitment(session, facilitator, commitment.id, status="accepted")
    await service.update_commitment(session, facilitator, commitment.id, due_date=date(2027, 6, 30),
                                    note="เลื่อนเพราะรองบประมาณ")
    with pytest.raises(ValidationError):  # a refused step leaves nothing behind
        async with session.begin_nested():
            await service.update_commitment(session, facilitator, commitment.id, status="bogus")
    await service.update_commitment(session, facilitator, commitment.id, status="done",
                                    evidence_url="https://example.org/report.pdf")

    [history] = (await updates_of(session, [commitment.id])).values()
    assert [(u.previous_status, u.status) for u in history] == [
        (None, "pending"), ("pending", "accepted"), ("accepted", "accepted"), ("accepted", "done")]
    assert [u.due_date for u in history] == [date(2027, 3, 31), None, date(2027, 6, 30), None]
    assert history[2].note == "เลื่อนเพราะรองบประมาณ" and history[3].evidence_url == "https://example.org/report.pdf"
    assert {u.recorded_by_id for u in history} == {facilitator.id}
    assert commitment.due_date == date(2027, 6, 30)

    events = await _events(session, round_.id, "commitment.recorded", "commitment.updated")
    assert [e.type for e in events] == ["commitment.recorded"] + ["commitment.updated"] * 3
    assert {e.subject_id for e in events} == {commitment.id}
    assert [e.payload["update_id"] for e in events] == [str(u.id) for u in history]
    assert events[2].payload["due_date"] == "2027-06-30" and events[3].payload["evidence"] is True


async def test_members_check_delivery_once_each_and_only_counts_are_shown(session, published):
    round_, _facilitator, villager, clause = published
    neighbour = await make_member(session, round_)
    commitment = await make_commitment(session, clause)
    await service.check_commitment(session, villager, commitment.id, answer="partly", comment="ได้ถังแต่ไม่มีท่อ")
    await service.check_commitment(session, neighbour, commitment.id, answer="not_delivered")
    again = await service.check_commitment(session, villager, commitment.id, answer="delivered")
    assert (again.answer, again.comment) == ("delivered", "")
    assert await session.scalar(select(func.count()).select_from(CommitmentCheck)
                                .where(CommitmentCheck.commitment_id == commitment.id)) == 2
    assert (await check_counts(session, [commitment.id]))[commitment.id] == {
        "delivered": 1, "partly": 0, "not_delivered": 1}

    stranger = await make_participant(session)
    admin = await make_participant(session, role="admin")
    for outsider in (stranger, admin):  # an administrator from outside is not the community
        with pytest.raises(NotPermitted):
            await service.check_commitment(session, outsider, commitment.id, answer="delivered")
    with pytest.raises(ValidationError) as refused:
        await service.check_commitment(session, villager, commitment.id, answer="yes", comment="ก" * 1001)
    assert _fields(refused) == {"answer", "comment"}

    checks = await _events(session, round_.id, "commitment.checked")
    assert [e.payload for e in checks] == [{"answer": "partly"}, {"answer": "not_delivered"}, {"answer": "delivered"}]
    assert checks[0].actor_id == villager.id  # kept, and shown to nobody, facilitators included
    assert disclose(checks[0], FACILITATOR) == Disclosed(None, commitment.id, {})
    assert disclose(checks[0], Audience(person_id=villager.id)).payload == {"answer": "partly"}


async def test_my_input_and_the_round_home_show_the_response_and_my_own_check(session, published):
    round_, facilitator, villager, clause = published
    commitment = await make_commitment(session, clause, agency="กรมที่ดิน", due_date=date(2027, 3, 31))
    await service.update_commitment(session, facilitator, commitment.id, status="in_progress",
                                    note="รังวัดแล้วสองหมู่บ้าน")
    await service.check_commitment(session, villager, commitment.id, answer="partly")

    given = await my_input(session, villager.id, round_.id)
    [answer] = given.needs[0]["answered_by"]
    [view] = answer["commitments"]
    assert (view.commitment.agency, view.commitment.status, view.latest.note) == (
        "กรมที่ดิน", "in_progress", "รังวัดแล้วสองหมู่บ้าน")
    assert view.mine.answer == "partly" and view.counts["partly"] == 1 and view.clause.id == clause.id
    [public] = await round_views(session, round_.id)
    assert public.mine is None and public.checked == 1


async def test_the_database_refuses_a_rejection_without_its_reason(session, published):
    _round, _facilitator, _villager, clause = published
    commitment = await make_commitment(session, clause)
    with pytest.raises(IntegrityError):
        async with session.begin_nested():
            await session.execute(update(Commitment).where(Commitment.id == commitment.id)
                                  .values(status="rejected", reason=" "))
