"""Shaping a round after it is made: each refusal of a phase edit, groups until deliberation opens, and
the rule that says when a round's dates move it on."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from server.auth.models import InviteCode
from server.auth.service import create_invites
from server.deliberation.service import cast_vote
from server.errors import NotPermitted, ValidationError
from server.events.models import Event
from server.people.models import Participant
from server.rounds import phases, setup
from server.rounds import service as rounds
from server.rounds.models import StakeholderGroup
from server.rounds.service import GroupSpec
from tests.factories import make_clause, make_member, make_need, make_round

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


async def _round(session, phase=None):
    round_ = await make_round(session, phase=phase)
    return round_, await session.get(Participant, round_.created_by_id)


def _by_key(round_):
    return {p.key: p for p in phases.load(round_.phases)}


async def _refused(session, me, round_, edited) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        await setup.edit_phases(session, me, round_.id, edited)
    return caught.value.field_messages("en")


async def test_a_facilitator_renames_reorders_opens_adds_and_removes_phases(session):
    round_, me = await _round(session, phase="drafting")
    p = _by_key(round_)
    renamed = replace(p["deliberation"], names={"th": "ประชุมลงมติ", "en": "Village vote"},
                      opens={**p["deliberation"].opens, "submit_need": frozenset({"participant"})},
                      starts_at=NOW, ends_at=NOW + timedelta(days=7))
    added = phases.Phase("site_visit", {"comment": frozenset({"participant", "facilitator"})}, names={"en": "Site visit"})
    edited = [p["needs"], p["drafting"], added, renamed, p["published"], p["consolidation"]]  # follow_up removed
    await setup.edit_phases(session, me, round_.id, edited)

    stored = phases.load(round_.phases)
    assert [q.key for q in stored] == ["needs", "drafting", "site_visit", "deliberation", "published", "consolidation"]
    assert stored[3].title("th") == "ประชุมลงมติ" and stored[3].title("en") == "Village vote"
    assert stored[3].allows("submit_need", "participant") and not stored[3].allows("submit_need", "admin")
    assert stored[3].starts_at == NOW and stored[2].title("th") == "Site visit"  # no Thai name: the one there is
    assert stored[0].title("en") == "Needs"  # not renamed: the usual name
    event = await session.scalar(select(Event).where(Event.round_id == round_.id, Event.type == "round.phases_edited"))
    assert event.actor_id == me.id and event.payload["added"] == ["site_visit"] and event.payload["removed"] == ["follow_up"]


async def test_each_refused_phase_edit_says_why(session):
    round_, me = await _round(session, phase="drafting")
    p = _by_key(round_)
    later = [p["deliberation"], p["consolidation"], p["published"], p["follow_up"]]

    gone_current = await _refused(session, me, round_, [p["needs"], *later])
    assert "current one, so it cannot be removed" in gone_current["phases"]
    ran_removed = await _refused(session, me, round_, [p["drafting"], *later])
    assert "already run, so it cannot be removed" in ran_removed["phase.needs"]
    ran_moved = await _refused(session, me, round_, [p["drafting"], p["needs"], *later])
    assert "must stay before the current phase" in ran_moved["phase.needs"]
    jumped = await _refused(session, me, round_, [p["needs"], p["deliberation"], p["drafting"], *later[1:]])
    assert "has not run yet, so it cannot go before the current phase (Drafting)" in jumped["phase.deliberation"]
    twice = await _refused(session, me, round_, [p["needs"], p["drafting"], *later, p["follow_up"]])
    assert "different name" in twice["phases"]
    bad_key = await _refused(session, me, round_, [p["needs"], p["drafting"], phases.Phase("Site Visit!")])
    assert "lower-case letters" in bad_key["phases"]
    unknown = await _refused(session, me, round_, [p["needs"], p["drafting"],
                                                   phases.Phase("x", {"vote": frozenset({"mayor"})})])
    assert "Unknown role: mayor" in unknown["phases"]
    backwards = await _refused(session, me, round_, [p["needs"], p["drafting"],
                                                     replace(p["deliberation"], starts_at=NOW, ends_at=NOW)])
    assert "must end after it starts" in backwards["phase.deliberation"]
    long_name = await _refused(session, me, round_, [p["needs"], replace(p["drafting"], names={"th": "ก" * 81})])
    assert "at most 80 characters" in long_name["phase.drafting"]
    assert [q.key for q in phases.load(round_.phases)] == [q.key for q in phases.TEMPLATES["standard"]]


async def test_a_refusal_names_the_phase_as_the_facilitator_named_it(session):
    round_, me = await _round(session, phase="drafting")
    p = _by_key(round_)
    named = [replace(p["needs"], names={"th": "รวบรวมปัญหา", "en": "Gathering"}), p["drafting"]]
    await setup.edit_phases(session, me, round_.id, named)
    refused = await _refused(session, me, round_, [p["drafting"]])
    assert "The Gathering phase has already run" in refused["phase.needs"]
    with pytest.raises(ValidationError) as caught:
        await setup.edit_phases(session, me, round_.id, [p["drafting"]])
    assert "รวบรวมปัญหา" in caught.value.field_messages("th")["phase.needs"]


async def test_a_member_or_another_rounds_facilitator_cannot_edit(session):
    round_, me = await _round(session)
    other, _ = await _round(session)
    member = await make_member(session, round_)
    for actor, target in ((member, round_), (me, other)):
        with pytest.raises(NotPermitted):
            await setup.edit_phases(session, actor, target.id, phases.load(target.phases)[:1])
        with pytest.raises(NotPermitted):
            await setup.edit_groups(session, actor, target.id, [GroupSpec("villagers", {"en": "V"})])


def test_the_rule_that_moves_a_round_on_by_its_dates():
    a, b, c = phases.Phase("a"), phases.Phase("b"), phases.Phase("c")
    undated = [a, b, c]
    assert phases.next_due(undated, "a", NOW) is None  # no date: never
    assert phases.next_due([replace(a, ends_at=NOW), b, c], "a", NOW) == b  # ended
    assert phases.next_due([replace(a, ends_at=NOW + timedelta(seconds=1)), b, c], "a", NOW) is None
    assert phases.next_due([a, replace(b, starts_at=NOW), c], "a", NOW).key == "b"  # the next has started
    assert phases.next_due([a, replace(b, starts_at=NOW + timedelta(hours=1)), c], "a", NOW) is None
    assert phases.next_due([a, b, replace(c, ends_at=NOW - timedelta(days=1))], "c", NOW) is None  # the last
    assert phases.next_due([a, replace(b, starts_at=NOW), c], "b", NOW) is None  # only from the current phase


async def test_groups_change_until_deliberation_opens(session):
    round_, me = await _round(session, phase="drafting")
    member = await make_member(session, round_, "villagers")
    await create_invites(session, me, round_.id, group_key="government")  # a code nobody used
    edited = [GroupSpec("villagers", {"th": "ชาวบ้าน", "en": "Villagers"}, quorum=4),
              GroupSpec("fishers", {"th": "ชาวประมง"}, quorum=2)]  # government removed, fishers added
    await setup.edit_groups(session, me, round_.id, edited)
    stored = (await session.scalars(select(StakeholderGroup).where(StakeholderGroup.round_id == round_.id)
                                    .order_by(StakeholderGroup.key))).all()
    assert [(g.key, g.name, g.quorum) for g in stored] == [
        ("fishers", {"th": "ชาวประมง"}, 2), ("villagers", {"th": "ชาวบ้าน", "en": "Villagers"}, 4)]
    assert await session.scalar(select(InviteCode.id).where(InviteCode.round_id == round_.id)) is None
    event = await session.scalar(select(Event).where(Event.round_id == round_.id, Event.type == "round.groups_edited"))
    assert event.payload["added"] == ["fishers"] and event.payload["removed"] == ["government"]

    with pytest.raises(ValidationError) as caught:  # a group with a member stays
        await setup.edit_groups(session, me, round_.id, [GroupSpec("fishers", {"th": "ชาวประมง"})])
    assert "has members or needs" in caught.value.field_messages("en")["group.villagers"]
    with pytest.raises(ValidationError) as caught:
        await setup.edit_groups(session, me, round_.id, [*edited, GroupSpec("x", {}, quorum=-1)])
    assert caught.value.field_messages("en")["group.x"] in {"Give the group a name.",
                                                            "Enter a whole number from 0 to 100000."}

    await rounds.move_phase(session, me, round_.id, "deliberation")
    with pytest.raises(NotPermitted) as refused:
        await setup.edit_groups(session, me, round_.id, edited)
    assert "Deliberation has opened" in refused.value.message("en")
    clause = await make_clause(session, round_)  # (moves to drafting and back)
    await cast_vote(session, member, clause.id, "agree")
    await rounds.move_phase(session, me, round_.id, "drafting")  # moved back, with a vote kept: still fixed
    with pytest.raises(NotPermitted):
        await setup.edit_groups(session, me, round_.id, edited)


async def test_a_group_a_need_names_is_not_removed(session):
    round_, me = await _round(session)
    author = await make_member(session, round_, "government")
    await make_need(session, round_, author)
    await rounds.add_member(session, me, round_.id, author.id, group_key="villagers")
    with pytest.raises(ValidationError) as caught:
        await setup.edit_groups(session, me, round_.id, [GroupSpec("villagers", {"en": "Villagers"})])
    assert "group.government" in caught.value.field_messages("en")
