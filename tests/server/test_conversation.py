"""Conversation: replies two levels deep, comments on needs and whole drafts, "me too" given and taken back,
and finding a round's needs by area, sector, hazard and words."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from server.deliberation import moderation_queue
from server.deliberation.models import Comment
from server.deliberation.service import moderate_comment, post_comment
from server.deliberation.threads import threads_on
from server.disclosure import FACILITATOR, PUBLIC
from server.errors import NotFound, NotPermitted, ValidationError
from server.events.audiences import EVENT_AUDIENCES, disclose
from server.events.models import Event
from server.needs import browse
from server.needs.models import Endorsement
from server.needs.queries import NeedFilter
from server.needs.service import endorse_need, undo_endorsement
from server.people.models import Participant
from tests.factories import make_clause, make_member, make_need, make_round


@pytest.fixture
async def talk(session):
    round_ = await make_round(session)  # in its first phase: needs, where comments and "me too" are open
    raiser, neighbour = await make_member(session, round_), await make_member(session, round_)
    need = await make_need(session, round_, raiser)
    return round_, raiser, neighbour, need


async def _say(session, who, body="เห็นด้วย", **target):
    return await post_comment(session, who, stance="support", body=body, **target)


async def test_a_reply_to_a_reply_joins_the_same_thread(session, talk):
    _, raiser, neighbour, need = talk
    first = await _say(session, raiser, need_id=need.id)
    reply = await _say(session, neighbour, need_id=need.id, parent_id=first.id)
    again = await _say(session, raiser, need_id=need.id, parent_id=reply.id)
    assert (reply.parent_id, again.parent_id) == (first.id, first.id)
    [thread] = (await threads_on(session, "need", [need.id], PUBLIC))[need.id]
    assert thread.comment.id == first.id and [r.id for r in thread.replies] == [reply.id, again.id]


async def test_nothing_sits_deeper_than_two_levels(session, talk):
    round_, raiser, _, need = talk
    first = await _say(session, raiser, need_id=need.id)
    reply = await _say(session, raiser, need_id=need.id, parent_id=first.id)
    # the database refuses it too, for anything that writes comments around the service
    with pytest.raises(DBAPIError, match="opens a thread"):
        async with session.begin_nested():
            session.add(Comment(round_id=round_.id, need_id=need.id, parent_id=reply.id, author_id=raiser.id,
                                entered_by_id=raiser.id, stance="support", body="ลึกเกินไป"))
            await session.flush()


async def test_a_reply_stays_on_its_threads_target(session, talk):
    round_, raiser, _, need = talk
    other = await make_need(session, round_, raiser, title="ไม่มีน้ำจืด")
    first = await _say(session, raiser, need_id=need.id)
    with pytest.raises(ValidationError) as refused:
        await _say(session, raiser, need_id=other.id, parent_id=first.id)
    assert "parent" in refused.value.fields


async def test_a_reply_to_a_hidden_comment_is_not_shown_nor_written(session, talk):
    round_, raiser, neighbour, need = talk
    facilitator = await session.get(Participant, round_.created_by_id)
    first = await _say(session, raiser, body="ชื่อและเบอร์โทรของเจ้าหน้าที่", need_id=need.id)
    reply = await _say(session, neighbour, body="ใช่ เขาชื่อ...", need_id=need.id, parent_id=first.id)
    await moderate_comment(session, facilitator, first.id, state="hidden", reason="ข้อมูลส่วนตัว")
    assert (await threads_on(session, "need", [need.id], PUBLIC)).get(need.id, []) == []
    [seen] = (await threads_on(session, "need", [need.id], FACILITATOR))[need.id]
    assert [r.id for r in seen.replies] == [reply.id]  # the facilitators still read it all
    with pytest.raises(ValidationError):
        await _say(session, neighbour, need_id=need.id, parent_id=first.id)


async def test_comments_on_a_need_and_on_a_whole_draft_reach_the_moderation_queue(session, talk):
    round_, _, neighbour, need = talk
    clause = await make_clause(session, round_)
    on_need = await _say(session, neighbour, body="บ้านเราก็เป็น", need_id=need.id)
    on_draft = await _say(session, neighbour, body="ร่างนี้ดีโดยรวม", draft_id=clause.draft_id)
    assert (await threads_on(session, "draft", [clause.draft_id], PUBLIC))[clause.draft_id][0].comment.id == on_draft.id
    queued, _ = await moderation_queue.queue(session, round_.id)
    targets = {q.comment.id: (q.target, q.target_text) for q in queued}
    assert targets[on_need.id] == ("need", need.title)
    assert targets[on_draft.id] == ("draft", "ร่างนโยบาย")
    with pytest.raises(ValidationError):  # exactly one target
        await _say(session, neighbour, need_id=need.id, draft_id=clause.draft_id)


async def test_a_hidden_need_takes_no_comments_from_participants(session, talk):
    _, _, neighbour, need = talk
    need.status = "hidden"
    await session.flush()
    with pytest.raises(NotFound):
        await _say(session, neighbour, need_id=need.id)


async def test_me_too_once_per_person_and_taken_back(session, talk):
    _, raiser, neighbour, need = talk

    async def count():
        return await session.scalar(select(func.count()).select_from(Endorsement).where(Endorsement.need_id == need.id))

    assert await endorse_need(session, neighbour, need.id) is True
    assert await endorse_need(session, neighbour, need.id) is False
    assert await count() == 1
    assert await undo_endorsement(session, neighbour, need.id) is True
    assert await undo_endorsement(session, neighbour, need.id) is False
    assert await count() == 0
    with pytest.raises(ValidationError):
        await endorse_need(session, raiser, need.id)  # one's own need already counts them
    types = (await session.scalars(select(Event.type).where(Event.subject_id == need.id).order_by(Event.id))).all()
    assert types == ["need.submitted", "need.endorsed", "need.endorsement_withdrawn"]


async def test_taking_me_too_back_is_declared_and_hides_who(session, talk):
    _, _, neighbour, need = talk
    await endorse_need(session, neighbour, need.id)
    await undo_endorsement(session, neighbour, need.id)
    event = await session.scalar(select(Event).where(Event.type == "need.endorsement_withdrawn"))
    assert "need.endorsement_withdrawn" in EVENT_AUDIENCES
    public = disclose(event, PUBLIC)
    assert public.actor_id is None and "participant_id" not in public.payload
    assert disclose(event, FACILITATOR).payload["participant_id"] == str(neighbour.id)


async def test_finding_needs_by_area_sector_hazard_and_words(session, talk):
    round_, raiser, neighbour, _ = talk
    await make_need(session, round_, raiser, title="ไม่มีน้ำประปาใช้", area_code="910201", sector="water",
                    hazards=["drought"])
    await make_need(session, round_, raiser, title="เรือประมงเสียหายจากพายุ", area_code="910101",
                    sector="fisheries", hazards=["storm"])

    async def titles(**wanted):
        found = await browse.browse(session, round_, neighbour, NeedFilter(**wanted))
        return sorted(v.need.title for v in found.needs)

    assert await titles(area_code="9102") == ["ไม่มีน้ำประปาใช้"]
    assert await titles(sector="fisheries") == ["เรือประมงเสียหายจากพายุ"]
    assert await titles(hazard="coastal") == ["น้ำกัดเซาะชายฝั่ง"]
    assert await titles(text="ประปา") == ["ไม่มีน้ำประปาใช้"]
    assert await titles(area_code="9101", hazard="storm") == ["เรือประมงเสียหายจากพายุ"]
    with pytest.raises(ValidationError):
        await titles(area_code="ตำบล")


async def test_a_participant_of_another_round_reads_and_says_nothing_there(session, talk):
    _, _, _, need = talk
    elsewhere = await make_round(session)
    outsider = await make_member(session, elsewhere)
    round_ = await session.get(type(elsewhere), need.round_id)
    with pytest.raises(NotPermitted):
        await browse.browse(session, round_, outsider, NeedFilter())
    with pytest.raises(NotPermitted):
        await _say(session, outsider, need_id=need.id)
    with pytest.raises(NotPermitted):
        await endorse_need(session, outsider, need.id)
