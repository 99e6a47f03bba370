"""Exclusion data: only with its own consent, gone with it, entered for someone only through a proxy record,
and summed per group and area with the small-group rule."""

import pytest
from sqlalchemy import select

from server.disclosure import FACILITATOR, PUBLIC, Audience
from server.errors import NotPermitted, ValidationError
from server.exclusion import service as exclusion
from server.exclusion.service import Answers
from server.exclusion.summary import NOT_SAID, summary
from server.people import service as people
from server.people.models import ConsentRecord, ExclusionRecord, Participant
from server.proxies.service import record_proxy
from server.rounds.service import GroupSpec, add_member
from tests.factories import make_member, make_participant, make_round

PINK = Answers(id_document="pink_card", welfare_card="not", disability_card="eligible_not_held",
               services_missed=["health", "welfare"], reasons=["documents", "distance"], area_code="9101")


async def test_nothing_is_kept_without_its_own_consent(session):
    person = await make_participant(session)
    await people.record_consent(session, person, person.id, purpose="sensitive_data", granted=True)
    with pytest.raises(ValidationError) as caught:
        await exclusion.save(session, person, person.id, PINK)
    assert "agree" in caught.value.field_messages("en")
    assert "ยินยอม" in caught.value.field_messages("th")["agree"]
    assert await session.get(ExclusionRecord, person.id) is None

    row = await exclusion.save(session, person, person.id, PINK, agree=True)
    assert (row.id_document, row.services_missed, row.proxy_id) == ("pink_card", ["health", "welfare"], None)
    assert await people.has_consent(session, person.id, "exclusion_data")


async def test_answers_outside_the_lists_are_refused(session):
    person = await make_participant(session)
    with pytest.raises(ValidationError) as caught:
        await exclusion.save(session, person, person.id, Answers(id_document="passport", services_missed=["bank"],
                                                                 area_code="99999"), agree=True)
    assert set(caught.value.field_messages("en")) == {"id_document", "services_missed", "area_code"}
    assert await session.get(ExclusionRecord, person.id) is None


async def test_taking_back_the_consent_or_leaving_deletes_the_answers(session):
    person = await make_participant(session)
    await exclusion.save(session, person, person.id, PINK, agree=True)
    await people.record_consent(session, person, person.id, purpose="exclusion_data", granted=False)
    assert await session.get(ExclusionRecord, person.id) is None

    await exclusion.save(session, person, person.id, PINK, agree=True)
    await people.withdraw(session, person, person.id)
    assert await session.get(ExclusionRecord, person.id) is None


async def test_a_facilitator_enters_them_only_through_a_proxy_record_for_that_person(session):
    facilitator = await make_participant(session, role="facilitator")
    round_ = await make_round(session, facilitator)
    person = await make_member(session, round_)
    other = await make_member(session, round_)
    with pytest.raises(NotPermitted):
        await exclusion.save(session, facilitator, person.id, PINK, agree=True)
    proxy = await record_proxy(session, facilitator, round_.id, method="meeting", consent="thumbprint",
                               participant_id=person.id)
    with pytest.raises(NotPermitted):  # a record for someone else
        await exclusion.save(session, facilitator, other.id, PINK, agree=True, proxy_id=proxy.id)
    colleague = await make_participant(session, role="facilitator")
    admin = await make_participant(session, role="admin")
    await add_member(session, admin, round_.id, colleague.id, group_key=None, facilitates=True)
    with pytest.raises(NotPermitted):  # another facilitator's record
        await exclusion.save(session, colleague, person.id, PINK, agree=True, proxy_id=proxy.id)

    row = await exclusion.save(session, facilitator, person.id, PINK, agree=True, proxy_id=proxy.id)
    assert (row.recorded_by_id, row.proxy_id) == (facilitator.id, proxy.id)
    consent = await session.scalar(select(ConsentRecord).where(ConsentRecord.participant_id == person.id,
                                                               ConsentRecord.purpose == "exclusion_data"))
    assert (consent.method, consent.proxy_id, consent.recorded_by_id) == ("thumbprint", proxy.id, facilitator.id)


async def test_another_person_can_neither_set_nor_read_mine(session):
    round_ = await make_round(session)
    me = await make_member(session, round_)
    neighbour = await make_member(session, round_)
    with pytest.raises(NotPermitted):
        await exclusion.save(session, neighbour, me.id, PINK, agree=True)
    await exclusion.save(session, me, me.id, PINK, agree=True)
    with pytest.raises(NotPermitted):
        await exclusion.mine(session, neighbour, me.id)
    assert (await exclusion.mine(session, me, me.id)).id_document == "pink_card"


async def _answered(session, round_, group, answers: Answers) -> Participant:
    person = await make_member(session, round_, group)
    await exclusion.save(session, person, person.id, answers, agree=True)
    return person


@pytest.fixture
async def satun(session):
    """Chao Lay: 4 on Ko Lipe's district (Mueang Satun, 9101), 1 in La-ngu (9105), 1 who gave no district;
    farmers: 3 in Mueang Satun. Also counted by nobody: a facilitator's own answers, a person whose row has
    no consent behind it, and a member with no group."""
    facilitator = await make_participant(session, role="facilitator")
    round_ = await make_round(session, facilitator, groups=[GroupSpec("chaolay", {"en": "Chao Lay"}),
                                                             GroupSpec("farmers", {"en": "Farmers"})])
    lipe = [
        Answers(id_document="pink_card", welfare_card="not", disability_card="eligible_not_held",
                services_missed=["health", "welfare"], reasons=["documents", "distance"], area_code="9101"),
        Answers(id_document="none", welfare_card="has", services_missed=["health"], reasons=["distance"],
                area_code="910101"),
        Answers(id_document="thai_id", welfare_card="has", disability_card="eligible_not_held",
                services_missed=["health", "school"], reasons=["distance", "cost"], area_code="9101"),
        Answers(id_document="pink_card", welfare_card="dont_know", disability_card="eligible_not_held",
                services_missed=["health"], reasons=["language"], area_code="9101"),
    ]
    for answers in lipe:
        await _answered(session, round_, "chaolay", answers)
    await _answered(session, round_, "chaolay", Answers(id_document="none", area_code="9105"))
    await _answered(session, round_, "chaolay", Answers(id_document="none"))
    for _ in range(3):
        await _answered(session, round_, "farmers", Answers(id_document="thai_id", welfare_card="has",
                                                            area_code="9101"))
    await exclusion.save(session, facilitator, facilitator.id, PINK, agree=True)
    await _answered(session, round_, None, PINK)
    unconsented = await make_member(session, round_, "farmers")
    session.add(ExclusionRecord(participant_id=unconsented.id, id_document="none", area_code="9101",
                                recorded_by_id=unconsented.id, updated_at=facilitator.created_at))
    await session.flush()
    return round_


async def test_the_summary_counts_what_was_given_by_hand(session, satun):
    shown = await summary(session, satun, FACILITATOR, "district")
    lipe = shown.row("chaolay", "9101")
    assert [lipe[f] for f in ("answered", "no_id", "welfare_card", "disability_unregistered")] == [4, 3, 2, 3]
    assert dict(lipe.services)["health"] == 4 and dict(lipe.services)["school"] == 1
    assert dict(lipe.reasons) == {"language": 1, "distance": 3, "documents": 1, "cost": 1, "other": 0}
    assert shown.row("chaolay", "9105")["no_id"] == 1
    assert shown.row("chaolay", NOT_SAID)["answered"] == 1
    assert shown.row("farmers", "9101")["answered"] == 3  # the row without consent is not counted
    assert shown.row("chaolay", None)["answered"] == 6 and shown.row("chaolay", None)["no_id"] == 5
    assert shown.total["answered"] == 9  # no facilitator, no member without a group
    by_province = await summary(session, satun, FACILITATOR, "province")
    assert by_province.row("chaolay", "91")["answered"] == 5 and by_province.row("chaolay", NOT_SAID)["answered"] == 1


@pytest.mark.parametrize("viewer", ["member", "public"])
async def test_outside_the_facilitators_small_figures_and_what_adds_them_up_are_hidden(session, satun, viewer):
    audience = Audience(member=True) if viewer == "member" else PUBLIC
    by_district = await summary(session, satun, audience, "district")
    lipe = by_district.row("chaolay", "9101")
    assert (lipe["answered"], lipe["no_id"], lipe["disability_unregistered"]) == (4, 3, 3)
    assert lipe["welfare_card"] is None  # 2 people
    assert dict(lipe.services)["school"] is None
    assert by_district.row("chaolay", "9105")["answered"] is None
    assert by_district.row("chaolay", NOT_SAID)["answered"] is None
    # the group's total minus Ko Lipe's district would give La-ngu's one person and the one who said nowhere
    assert by_district.row("chaolay", None)["answered"] is None
    assert by_district.row(None, "9101")["answered"] == 7  # both groups' cells there read 3 or more
    assert by_district.row(None, "9101")["welfare_card"] is None  # 2 + 3: a part reads "fewer than 3"
    assert by_district.total["answered"] is None
    # asking for provinces instead: Satun's figure adds La-ngu's one person to Ko Lipe's four
    by_province = await summary(session, satun, audience, "province")
    assert by_province.row("chaolay", "91")["answered"] is None
    assert all(r["answered"] is None for r in by_province.rows if r.group is None or r.group.key == "chaolay")
    assert [(r.group.key, r.area) for r in by_district.listed] == [("chaolay", "9101"), ("farmers", "9101")]


async def test_whether_a_total_shows_never_depends_on_a_hidden_zero(session, satun):
    """La-ngu holds 1 Chao Lay; had it held none, the group total must hide just the same."""
    person = await session.scalar(select(ExclusionRecord.participant_id).where(ExclusionRecord.area_code == "9105"))
    await people.record_consent(session, await session.get(Participant, person), person,
                                purpose="exclusion_data", granted=False)
    shown = await summary(session, satun, PUBLIC, "district")
    assert shown.row("chaolay", "9105")["answered"] is None
    assert shown.row("chaolay", None)["answered"] is None
