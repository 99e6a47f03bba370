"""The transactional outbox: an event is written with its change, and never without it."""

import pytest
from sqlalchemy import func, select

from server.deliberation import service as deliberation
from server.deliberation.models import Vote
from server.drafts import service as drafts
from server.errors import PhaseClosed
from server.events.models import Event
from server.needs import service as needs
from server.people import service as people
from server.proxies.service import record_proxy
from server.rounds import service as rounds
from tests.factories import (
    make_clause,
    make_member,
    make_need,
    make_participant,
    make_round,
)


async def _events(session, round_id):
    rows = await session.execute(select(Event.type, Event.subject_id).where(Event.round_id == round_id)
                                 .order_by(Event.id))
    return rows.all()


async def test_every_change_in_a_round_writes_its_event(session):
    facilitator = await make_participant(session, role="facilitator")
    round_ = await make_round(session, facilitator)
    member = await make_member(session, round_)
    need = await make_need(session, round_, member)
    await needs.endorse_need(session, facilitator, need.id)
    proxy = await record_proxy(session, facilitator, round_.id, participant_id=member.id, method="phone",
                               consent="verbal")
    clause = await make_clause(session, round_, answers=[need.id])
    await rounds.move_phase(session, facilitator, round_.id, "deliberation")
    amendment = await drafts.propose_amendment(session, member, clause.id, text="ภายในหกเดือน")
    vote = await deliberation.cast_vote(session, member, clause.id, "pass")
    comment = await deliberation.post_comment(session, facilitator, clause_id=clause.id, stance="support",
                                              body="ดี", on_behalf_of=member.id, proxy_id=proxy.id)
    await deliberation.moderate_comment(session, facilitator, comment.id, state="pending", reason="ตรวจสอบ")

    events = await _events(session, round_.id)
    types = [t for t, _ in events]
    assert types == [
        "round.created", "membership.set", "need.submitted", "need.endorsed", "proxy.recorded",
        "round.phase_moved", "draft.created", "clause.added", "round.phase_moved", "round.phase_moved",
        "amendment.proposed", "vote.cast", "comment.posted", "comment.moderated",
    ]
    subjects = dict(events)
    assert subjects["need.submitted"] == need.id
    assert subjects["amendment.proposed"] == amendment.id
    assert subjects["vote.cast"] == vote.id
    assert subjects["comment.moderated"] == comment.id


async def test_participant_changes_write_events_too(session):
    person = await make_participant(session)
    await people.record_consent(session, person, person.id, purpose="sensitive_data", granted=True)
    await people.set_sensitive_data(session, person, person.id, disability="hearing")
    rows = await session.execute(select(Event.type, Event.payload).where(Event.subject_id == person.id)
                                 .order_by(Event.id))
    assert [(t, p.get("fields")) for t, p in rows] == [
        ("participant.created", None), ("consent.recorded", None), ("sensitive_data.updated", ["disability"])]


async def test_a_rolled_back_change_leaves_no_event(session):
    round_ = await make_round(session, phase="deliberation")
    clause = await make_clause(session, round_)
    voter = await make_member(session, round_)
    before = await _events(session, round_.id)

    with pytest.raises(RuntimeError):
        async with session.begin_nested():
            await deliberation.cast_vote(session, voter, clause.id, "agree")
            raise RuntimeError("the request failed after the service returned")

    assert await _events(session, round_.id) == before
    assert await session.scalar(select(func.count()).select_from(Vote).where(Vote.clause_id == clause.id)) == 0


async def test_a_refused_change_writes_no_event(session):
    round_ = await make_round(session, phase="needs")
    clause = await make_clause(session, round_)
    voter = await make_member(session, round_)
    before = await _events(session, round_.id)
    with pytest.raises(PhaseClosed):
        await deliberation.cast_vote(session, voter, clause.id, "agree")
    assert await _events(session, round_.id) == before
