"""Each rule the services enforce, apart from the phase matrix."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from server.deliberation import service as deliberation
from server.deliberation.models import Vote
from server.errors import (
    Conflict,
    NotPermitted,
    PhaseClosed,
    ProxyRequired,
    ValidationError,
)
from server.needs import service as needs
from server.people.models import Participant
from server.proxies.service import record_proxy
from server.rounds import service as rounds
from tests.factories import (
    make_clause,
    make_member,
    make_need,
    make_participant,
    make_round,
)


async def test_facilitators_act_only_in_their_own_rounds(session):
    mine = await make_round(session)
    theirs = await make_round(session)
    me = await session.get(Participant, mine.created_by_id)
    member_of_theirs = await make_member(session, theirs)

    with pytest.raises(NotPermitted):
        await rounds.move_phase(session, me, theirs.id, "deliberation")
    with pytest.raises(NotPermitted):
        await rounds.add_member(session, me, theirs.id, member_of_theirs.id, group_key="villagers")
    with pytest.raises(NotPermitted):
        await record_proxy(session, me, theirs.id, participant_id=member_of_theirs.id, method="meeting",
                           consent="verbal")
    await rounds.move_phase(session, me, mine.id, "deliberation")
    assert mine.current_phase == "deliberation"


async def test_a_participant_cannot_move_phases_or_moderate(session):
    round_ = await make_round(session, phase="deliberation")
    clause = await make_clause(session, round_)
    member = await make_member(session, round_)
    comment = await deliberation.post_comment(session, member, clause_id=clause.id, stance="question",
                                              body="ใครจะดูแล?")
    with pytest.raises(NotPermitted):
        await rounds.move_phase(session, member, round_.id, "published")
    with pytest.raises(NotPermitted):
        await deliberation.moderate_comment(session, member, comment.id, state="hidden", reason="spam")


async def test_input_on_someones_behalf_needs_a_proxy_record(session):
    round_ = await make_round(session, phase="deliberation")
    facilitator = await session.get(Participant, round_.created_by_id)
    clause = await make_clause(session, round_)
    elder = await make_member(session, round_)

    with pytest.raises(ProxyRequired):
        await deliberation.cast_vote(session, facilitator, clause.id, "agree", on_behalf_of=elder.id)

    proxy = await record_proxy(session, facilitator, round_.id, participant_id=elder.id, method="meeting",
                               consent="verbal", consent_note="ยินยอมด้วยวาจาที่ประชุมหมู่บ้าน")
    vote = await deliberation.cast_vote(session, facilitator, clause.id, "agree", proxy_id=proxy.id)
    assert (vote.participant_id, vote.entered_by_id, vote.proxy_id) == (elder.id, facilitator.id, proxy.id)


async def test_a_proxy_record_belongs_to_the_facilitator_who_made_it(session):
    round_ = await make_round(session, phase="deliberation")
    clause = await make_clause(session, round_)
    first = await session.get(Participant, round_.created_by_id)
    second = await make_participant(session, role="facilitator")
    admin = await make_participant(session, role="admin")  # only administrators bring staff into a round
    await rounds.add_member(session, admin, round_.id, second.id, group_key=None, facilitates=True)
    elder = await make_member(session, round_)
    proxy = await record_proxy(session, first, round_.id, participant_id=elder.id, method="phone",
                               consent="verbal")
    with pytest.raises(NotPermitted):
        await deliberation.cast_vote(session, second, clause.id, "agree", proxy_id=proxy.id)
    participant = await make_member(session, round_)
    with pytest.raises(NotPermitted):  # a participant is no facilitator, proxy or not
        await deliberation.cast_vote(session, participant, clause.id, "agree", proxy_id=proxy.id)


async def test_meeting_input_is_kept_without_a_named_author_but_cannot_vote(session):
    round_ = await make_round(session, phase="needs")
    facilitator = await session.get(Participant, round_.created_by_id)
    meeting = await record_proxy(session, facilitator, round_.id, people_count=23,
                                 meeting="ประชุมหมู่บ้านเกาะหลีเป๊ะ 12 พ.ย.", method="meeting", consent="verbal")
    groups = {g.key: g for g in await rounds.groups_of(session, round_.id)}
    need = await make_need(session, round_, facilitator, proxy_id=meeting.id, group_id=groups["villagers"].id)
    assert (need.author_id, need.entered_by_id, need.group_id) == (None, facilitator.id, groups["villagers"].id)

    clause = await make_clause(session, round_)
    await rounds.move_phase(session, facilitator, round_.id, "deliberation")
    with pytest.raises(ValidationError) as caught:
        await deliberation.cast_vote(session, facilitator, clause.id, "agree", proxy_id=meeting.id)
    assert "on_behalf_of" in caught.value.fields


async def test_proxy_input_follows_the_phase_of_the_people_represented(session):
    round_ = await make_round(session, phase="drafting")  # drafting opens no need submission
    facilitator = await session.get(Participant, round_.created_by_id)
    elder = await make_member(session, round_)
    proxy = await record_proxy(session, facilitator, round_.id, participant_id=elder.id, method="paper",
                               consent="thumbprint")
    with pytest.raises(PhaseClosed):
        await make_need(session, round_, facilitator, proxy_id=proxy.id)


async def test_a_phase_past_its_end_is_closed(session):
    round_ = await make_round(session, phase="deliberation")
    facilitator = await session.get(Participant, round_.created_by_id)
    clause = await make_clause(session, round_)
    voter = await make_member(session, round_)
    now = datetime.now(UTC)
    await rounds.schedule_phase(session, facilitator, round_.id, "deliberation",
                                starts_at=now - timedelta(days=7), ends_at=now - timedelta(minutes=1))
    with pytest.raises(PhaseClosed):
        await deliberation.cast_vote(session, voter, clause.id, "agree")
    await rounds.schedule_phase(session, facilitator, round_.id, "deliberation",
                                starts_at=now - timedelta(days=7), ends_at=now + timedelta(days=1))
    await deliberation.cast_vote(session, voter, clause.id, "agree")


async def test_schedule_must_end_after_it_starts(session):
    round_ = await make_round(session)
    facilitator = await session.get(Participant, round_.created_by_id)
    now = datetime.now(UTC)
    with pytest.raises(ValidationError):
        await rounds.schedule_phase(session, facilitator, round_.id, "needs", starts_at=now, ends_at=now)


async def test_round_slugs_are_unique_and_well_formed(session):
    round_ = await make_round(session)
    with pytest.raises(Conflict):
        await make_round(session, slug=round_.slug)
    with pytest.raises(ValidationError) as caught:
        await make_round(session, slug="Satun 2026!", groups=[], threshold=1.5)
    assert set(caught.value.fields) == {"slug", "groups", "threshold"}


async def test_endorsing_twice_counts_once(session):
    round_ = await make_round(session, phase="needs")
    author = await make_member(session, round_)
    need = await make_need(session, round_, author)
    neighbour = await make_member(session, round_)
    assert await needs.endorse_need(session, neighbour, need.id) is True
    assert await needs.endorse_need(session, neighbour, need.id) is False


async def test_moderation_needs_a_reason_to_hide(session):
    round_ = await make_round(session, phase="deliberation")
    facilitator = await session.get(Participant, round_.created_by_id)
    clause = await make_clause(session, round_)
    member = await make_member(session, round_)
    comment = await deliberation.post_comment(session, member, clause_id=clause.id, stance="oppose", body="ไม่เห็นด้วย")
    with pytest.raises(ValidationError) as caught:
        await deliberation.moderate_comment(session, facilitator, comment.id, state="hidden")
    assert caught.value.field_messages("th")["reason"] == "ช่องนี้ต้องไม่ว่าง"
    hidden = await deliberation.moderate_comment(session, facilitator, comment.id, state="hidden",
                                                 reason="ข้อมูลส่วนตัวของผู้อื่น")
    assert (hidden.moderation, hidden.moderated_by_id) == ("hidden", facilitator.id)


async def test_withdrawn_participants_cannot_act_but_their_votes_stay(session):
    from server.people import service as people

    round_ = await make_round(session, phase="deliberation")
    clause = await make_clause(session, round_)
    voter = await make_member(session, round_, contact="081-234-5678")
    await deliberation.cast_vote(session, voter, clause.id, "agree")
    await people.withdraw(session, voter, voter.id)
    assert (voter.display_name, voter.contact) == ("—", None)
    assert await session.scalar(select(Vote.value).where(Vote.participant_id == voter.id)) == 1
    with pytest.raises(NotPermitted):
        await deliberation.cast_vote(session, voter, clause.id, "disagree")
