"""A participant sees what they gave and what became of it."""

from server.consolidation.service import consolidate, publish
from server.deliberation import service as deliberation
from server.people.models import Participant
from server.people.my_input import my_input
from server.rounds import service as rounds
from tests.factories import make_clause, make_member, make_need, make_round


async def test_my_need_shows_the_clause_that_answers_it_and_its_status(session):
    round_ = await make_round(session)
    facilitator = await session.get(Participant, round_.created_by_id)
    me = await make_member(session, round_)
    mine = await make_need(session, round_, me, title="ไฟฟ้าเข้าไม่ถึง")
    clause = await make_clause(session, round_, answers=[mine.id])
    await rounds.move_phase(session, facilitator, round_.id, "deliberation")
    await deliberation.cast_vote(session, me, clause.id, "agree")
    await deliberation.post_comment(session, me, clause_id=clause.id, stance="support", body="ดีมาก")
    proposal = await consolidate(session, round_.id)
    unpublished = await my_input(session, me.id, round_.id)
    assert [a["status"] for a in unpublished.needs[0]["answered_by"]] == [None]  # its facilitators' draft yet
    await publish(session, facilitator, round_.id, proposal.version, while_voting=True)

    given = await my_input(session, me.id, round_.id)
    [need] = given.needs
    assert need["need"].id == mine.id
    assert [(a["clause"].id, a["status"]) for a in need["answered_by"]] == [(clause.id, "under_heard")]
    assert [(v["clause"].id, v["choice"]) for v in given.votes] == [(clause.id, "agree")]
    assert [c.body for c in given.comments] == ["ดีมาก"]
