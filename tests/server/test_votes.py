"""Voting: one vote per participant and target, a re-vote replaces, and phases decide when."""

import pytest
from sqlalchemy import func, select

from server.deliberation import service as deliberation
from server.deliberation.models import Vote
from server.drafts import service as drafts
from server.errors import NotFound, PhaseClosed, ValidationError
from server.events.models import Event
from tests.factories import make_clause, make_member, make_round


async def test_revote_replaces_the_earlier_vote(session):
    round_ = await make_round(session, phase="deliberation")
    clause = await make_clause(session, round_)
    voter = await make_member(session, round_)

    first = await deliberation.cast_vote(session, voter, clause.id, "agree")
    second = await deliberation.cast_vote(session, voter, clause.id, "disagree")

    assert first.id == second.id
    votes = (await session.scalars(select(Vote).where(Vote.clause_id == clause.id))).all()
    assert [(v.participant_id, v.value) for v in votes] == [(voter.id, -1)]
    events = await session.scalar(
        select(func.count()).select_from(Event).where(Event.type == "vote.cast", Event.round_id == round_.id))
    assert events == 2


async def test_votes_on_an_amendment_are_separate_from_the_clause(session):
    round_ = await make_round(session, phase="deliberation")
    clause = await make_clause(session, round_)
    voter = await make_member(session, round_)
    amendment = await drafts.propose_amendment(session, voter, clause.id, text="ภายในหกเดือน")

    await deliberation.cast_vote(session, voter, clause.id, "disagree")
    await deliberation.cast_vote(session, voter, clause.id, "agree", amendment_id=amendment.id)

    rows = (await session.execute(select(Vote.amendment_id, Vote.value).where(Vote.clause_id == clause.id)
                                  .order_by(Vote.value))).all()
    assert rows == [(None, -1), (amendment.id, 1)]


async def test_vote_outside_deliberation_is_refused(session):
    round_ = await make_round(session, phase="needs")
    clause = await make_clause(session, round_)
    voter = await make_member(session, round_)
    with pytest.raises(PhaseClosed) as caught:
        await deliberation.cast_vote(session, voter, clause.id, "agree")
    assert "Needs" in str(caught.value)
    assert "ความต้องการ" in caught.value.message("th")


async def test_unknown_choice_and_clause_are_clear_errors(session):
    round_ = await make_round(session, phase="deliberation")
    clause = await make_clause(session, round_)
    voter = await make_member(session, round_)
    with pytest.raises(ValidationError) as caught:
        await deliberation.cast_vote(session, voter, clause.id, "maybe")
    assert caught.value.field_messages("en")["choice"] == "Choose one of: agree, disagree, pass."
    with pytest.raises(NotFound):
        await deliberation.cast_vote(session, voter, round_.id, "agree")
