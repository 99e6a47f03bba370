"""A standing channel: needs raised between rounds by invite or by proxy, triaged by the channel's facilitators
only, "me too" counted across merged and copied needs, and what became of a need told to its author."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from server.channels import rules
from server.channels import service as channels
from server.channels.outcome import outcomes
from server.consolidation.marks import ask
from server.consolidation.models import ConsolidationMark
from server.errors import Conflict, NotPermitted, ValidationError
from server.events.models import Event
from server.needs import service as needs
from server.needs.me_too import me_too_counts
from server.needs.models import Need
from server.people.models import Participant
from server.proxies.entry import start_proxy
from server.rounds.access import refusal, standing
from tests.channels import join_channel, make_channel, make_organisation
from tests.factories import make_clause, make_member, make_need, make_participant, make_round, publish_round


async def _facilitator(session, channel) -> Participant:
    return await session.get_one(Participant, channel.created_by_id)


async def test_a_channel_is_always_open_to_its_members_and_never_consolidated(session):
    channel = await make_channel(session)
    person = await join_channel(session, channel)
    place = await standing(session, channel.id, person)
    assert [a for a in ("submit_need", "endorse_need", "comment", "vote") if refusal(place, a) is None] == [
        "submit_need", "endorse_need", "comment"]
    need = await make_need(session, channel, person, title="ท่าเรือพัง")
    assert need.round_id == channel.id and need.author_id == person.id
    await ask(session, {channel.id: 1})
    assert await session.get(ConsolidationMark, channel.id) is None


async def test_only_the_organisations_own_facilitators_or_an_admin_open_its_channel(session):
    organisation = await make_organisation(session)
    other = await make_organisation(session)
    stranger = await make_participant(session, role="facilitator", organisation_id=other.id)
    with pytest.raises(NotPermitted):
        await channels.create_channel(session, stranger, organisation_id=organisation.id, slug="not-mine",
                                      title={"en": "Not mine"})
    villager = await make_participant(session, organisation_id=organisation.id)
    with pytest.raises(NotPermitted):
        await channels.create_channel(session, villager, organisation_id=organisation.id, slug="not-mine",
                                      title={"en": "Not mine"})
    admin = await make_participant(session, role="admin")
    channel = await channels.create_channel(session, admin, organisation_id=organisation.id, slug="for-them",
                                            title={"en": "Theirs"})
    assert (channel.kind, channel.organisation_id) == ("channel", organisation.id)


async def test_a_facilitator_raises_a_need_in_the_channel_for_someone(session):
    channel = await make_channel(session)
    facilitator = await _facilitator(session, channel)
    person = await join_channel(session, channel)
    proxy = await start_proxy(session, facilitator, channel.id, who="member", participant_id=person.id,
                              method="phone", consent="verbal")
    need = await make_need(session, channel, facilitator, proxy_id=proxy.id)
    assert (need.author_id, need.entered_by_id, need.proxy_id) == (person.id, facilitator.id, proxy.id)


async def _triage_refused(session, actor, need, other_need, round_) -> None:
    for act in (lambda: channels.merge_need(session, actor, need.id, other_need.id),
                lambda: channels.tag_need(session, actor, need.id, ["ท่าเรือ"]),
                lambda: channels.bring_into_round(session, actor, need.id, round_.id),
                lambda: channels.answer_need(session, actor, need.id, "จะซ่อมเดือนหน้า")):
        async with session.begin_nested():
            with pytest.raises(NotPermitted):
                await act()


async def test_only_the_channels_facilitators_triage(session):
    channel = await make_channel(session)
    person, neighbour = await join_channel(session, channel), await join_channel(session, channel)
    need, other_need = await make_need(session, channel, person), await make_need(session, channel, neighbour)
    round_ = await make_round(session)
    # a member of the channel, another organisation's facilitator (of their own channel and of the round)
    stranger_channel = await make_channel(session)
    stranger = await _facilitator(session, stranger_channel)
    for actor in (person, stranger):
        await _triage_refused(session, actor, need, other_need, round_)
    await session.refresh(need)
    assert (need.status, need.tags) == ("open", [])
    assert await session.scalar(select(Need).where(Need.origin_id == need.id)) is None


async def test_triage_is_for_channels_not_rounds(session):
    round_ = await make_round(session)
    facilitator = await _facilitator(session, round_)
    need = await make_need(session, round_, await make_member(session, round_))
    with pytest.raises(NotPermitted):
        await channels.tag_need(session, facilitator, need.id, ["x"])


async def test_a_merged_needs_me_toos_and_author_count_once_per_person_with_the_kept_one(session):
    channel = await make_channel(session)
    facilitator = await _facilitator(session, channel)
    author, duplicate_author, both, only_dup, only_kept = [await join_channel(session, channel) for _ in range(5)]
    kept = await make_need(session, channel, author, title="ท่าเรือพัง")
    duplicate = await make_need(session, channel, duplicate_author, title="ท่าเรือชำรุด")
    for person in (both, only_kept):
        await needs.endorse_need(session, person, kept.id)
    for person in (both, only_dup, author):  # the kept need's author said "me too" to the duplicate
        await needs.endorse_need(session, person, duplicate.id)
    assert (await me_too_counts(session, [kept.id]))[kept.id] == 2

    await channels.merge_need(session, facilitator, duplicate.id, kept.id)
    # both, only_kept, only_dup and the duplicate's author: once each; never the kept need's own author
    counts = await me_too_counts(session, [kept.id, duplicate.id])
    assert counts[kept.id] == 4 and counts[duplicate.id] == 4
    await session.refresh(duplicate)
    assert (duplicate.status, duplicate.duplicate_of_id) == ("merged", kept.id)
    # hidden from the channel's people like a hidden need, and "me too" goes to the kept one
    with pytest.raises(Exception, match="need"):
        await needs.endorse_need(session, only_kept, duplicate.id)
    told = (await outcomes(session, [duplicate]))[duplicate.id]
    assert told.merged_into is not None and told.merged_into.id == kept.id and not told.received
    event = await session.scalar(select(Event).where(Event.type == "need.merged", Event.subject_id == duplicate.id))
    assert event.payload == {"kept_id": str(kept.id), "author_id": str(duplicate_author.id)}


async def test_merging_refuses_a_need_of_another_channel_or_itself(session):
    channel, other = await make_channel(session), await make_channel(session)
    facilitator = await _facilitator(session, channel)
    need = await make_need(session, channel, await join_channel(session, channel))
    elsewhere = await make_need(session, other, await join_channel(session, other))
    for into in (elsewhere.id, need.id):
        async with session.begin_nested():
            with pytest.raises(ValidationError):
                await channels.merge_need(session, facilitator, need.id, into)


async def test_bringing_a_need_into_a_round_links_both_ways_and_its_author_sees_the_clause(session):
    channel = await make_channel(session)
    facilitator = await _facilitator(session, channel)
    person = await join_channel(session, channel)
    need = await make_need(session, channel, person, title="ท่าเรือพัง", body="เรือเข้าไม่ได้")
    round_ = await make_round(session, facilitator)
    # a facilitator of the channel who does not facilitate the round cannot put needs in it
    other_round = await make_round(session)
    with pytest.raises(NotPermitted):
        await channels.bring_into_round(session, facilitator, need.id, other_round.id)

    copy = await channels.bring_into_round(session, facilitator, need.id, round_.id)
    assert (copy.round_id, copy.origin_id, copy.title, copy.author_id, copy.photo) == (
        round_.id, need.id, "ท่าเรือพัง", None, None)
    with pytest.raises(Conflict):
        await channels.bring_into_round(session, facilitator, need.id, round_.id)
    told = (await outcomes(session, [need]))[need.id]
    assert [(t.round.id, t.copy.id, t.clauses) for t in told.taken] == [(round_.id, copy.id, [])]

    # a "me too" in the round counts on the channel's need too, and the other way round
    member = await make_member(session, round_)
    await needs.endorse_need(session, member, copy.id)
    assert (await me_too_counts(session, [need.id, copy.id])) == {need.id: 1, copy.id: 1}

    clause = await make_clause(session, round_, answers=[copy.id])
    assert (await outcomes(session, [need]))[need.id].taken[0].clauses == []  # not published yet
    await publish_round(session, round_)
    [taken] = (await outcomes(session, [need]))[need.id].taken
    assert [c.id for c in taken.clauses] == [clause.id]


async def test_an_answer_goes_to_the_author_and_to_others_only_when_public(session):
    channel = await make_channel(session)
    facilitator = await _facilitator(session, channel)
    person, neighbour = await join_channel(session, channel), await join_channel(session, channel)
    need = await make_need(session, channel, person)
    answer = await channels.answer_need(session, facilitator, need.id, "  จะซ่อมเดือนหน้า ")
    assert (answer.body, answer.public) == ("จะซ่อมเดือนหน้า", False)
    assert (await outcomes(session, [need]))[need.id].answer is answer
    assert rules.sees_answer(answer.public, person.id, need.author_id, False, True)
    assert not rules.sees_answer(answer.public, neighbour.id, need.author_id, False, True)
    answer = await channels.answer_need(session, facilitator, need.id, "ซ่อมแล้ว", public=True)
    assert rules.sees_answer(answer.public, neighbour.id, need.author_id, False, True)
    assert not rules.sees_answer(answer.public, neighbour.id, need.author_id, False, False)
    with pytest.raises(ValidationError):
        await channels.answer_need(session, facilitator, need.id, "  ")


async def test_tags_are_a_few_short_words(session):
    channel = await make_channel(session)
    facilitator = await _facilitator(session, channel)
    need = await make_need(session, channel, await join_channel(session, channel))
    tagged = await channels.tag_need(session, facilitator, need.id, [" ท่าเรือ", "ท่าเรือ", "", "urgent"])
    assert tagged.tags == ["ท่าเรือ", "urgent"]
    for tags in ([str(i) for i in range(rules.MAX_TAGS + 1)], ["x" * (rules.TAG_LENGTH + 1)]):
        async with session.begin_nested():
            with pytest.raises(ValidationError):
                await channels.tag_need(session, facilitator, need.id, tags)
