"""exclusion and setExclusionData over the API: consent first, one's own answers only (or a facilitator's
through a proxy record), and the small-group rule for every caller outside the round's facilitators."""

from schema import ids
from server.exclusion import service as exclusion
from server.exclusion.service import Answers
from server.people.models import ExclusionRecord
from server.proxies.service import record_proxy
from tests.factories import make_member, make_participant, make_round
from tests.schema.conftest import token_for

SET = """mutation($answers: ExclusionAnswersInput!, $agree: Boolean, $participantId: ID, $proxyId: ID) {
  setExclusionData(answers: $answers, agree: $agree, participantId: $participantId, proxyId: $proxyId) {
    __typename
    ... on ExclusionAnswers { idDocument servicesNotReached areaCode enteredThroughProxy }
    ... on ValidationError { message fields { field message } }
    ... on NotPermitted { message }
  }
}"""
SUMMARY = """query($roundId: ID!, $level: AreaLevel) {
  exclusion(roundId: $roundId, level: $level) {
    level fewerThan
    rows { group areaCode areaName answered noIdCard welfareCard disabilityCardNotHeld
           servicesNotReached { code people } reasons { code people } }
  }
}"""
PINK = {"idDocument": "PINK_CARD", "servicesNotReached": ["HEALTH"], "areaCode": "9101"}


async def test_nothing_is_stored_without_consent_then_my_own_answers_are(api, session):
    person = await make_participant(session)
    token = await token_for(session, person)
    refused = (await api.data(SET, {"answers": PINK}, token=token))["setExclusionData"]
    assert refused["__typename"] == "ValidationError" and refused["fields"][0]["field"] == "agree"
    assert await session.get(ExclusionRecord, person.id) is None
    saved = (await api.data(SET, {"answers": PINK, "agree": True}, token=token))["setExclusionData"]
    assert saved == {"__typename": "ExclusionAnswers", "idDocument": "PINK_CARD", "servicesNotReached": ["HEALTH"],
                     "areaCode": "9101", "enteredThroughProxy": False}
    mine = await api.data("{ myExclusionData { idDocument } }", token=token)
    assert mine == {"myExclusionData": {"idDocument": "PINK_CARD"}}


async def test_another_person_can_neither_set_nor_read_mine(api, session):
    round_ = await make_round(session)
    me = await make_member(session, round_)
    neighbour = await make_member(session, round_)
    await exclusion.save(session, me, me.id, Answers(id_document="thai_id"), agree=True)
    token = await token_for(session, neighbour, "read", "participate", "facilitate")
    answer = await api(SET, {"answers": PINK, "agree": True, "participantId": ids.encode("Participant", me.id)},
                       token=token)
    assert answer["data"]["setExclusionData"]["__typename"] == "NotPermitted"
    assert (await session.get(ExclusionRecord, me.id)).id_document == "thai_id"
    theirs = await api.data("{ myExclusionData { idDocument } }", token=token)
    assert theirs == {"myExclusionData": None}


async def test_a_facilitator_sets_them_through_a_proxy_record(api, session):
    facilitator = await make_participant(session, role="facilitator")
    round_ = await make_round(session, facilitator)
    person = await make_member(session, round_)
    proxy = await record_proxy(session, facilitator, round_.id, method="meeting", consent="verbal",
                               participant_id=person.id)
    token = await token_for(session, facilitator, "read", "participate", "facilitate")
    whom = ids.encode("Participant", person.id)
    without = await api.data(SET, {"answers": PINK, "agree": True, "participantId": whom}, token=token)
    assert without["setExclusionData"]["__typename"] == "NotPermitted"
    saved = await api.data(SET, {"answers": PINK, "agree": True, "participantId": whom,
                                 "proxyId": ids.encode("ProxyRecord", proxy.id)}, token=token)
    assert saved["setExclusionData"]["enteredThroughProxy"] is True
    assert (await session.get(ExclusionRecord, person.id)).proxy_id == proxy.id


async def test_the_summary_hides_small_counts_and_their_totals_outside_the_facilitators(api, session):
    facilitator = await make_participant(session, role="facilitator")
    round_ = await make_round(session, facilitator)
    for document in ("pink_card", "none", "none"):
        person = await make_member(session, round_)
        await exclusion.save(session, person, person.id, Answers(id_document=document, area_code="9101"), agree=True)
    lone = await make_member(session, round_)
    await exclusion.save(session, lone, lone.id, Answers(id_document="none", area_code="9105"), agree=True)
    member = await token_for(session, lone)
    staff = await token_for(session, facilitator, "read", "facilitate")
    variables = {"roundId": ids.encode("Round", round_.id), "level": "DISTRICT"}

    def rows(answer):
        return {(r["group"], r["areaCode"]): r for r in answer["exclusion"]["rows"]}

    full = rows(await api.data(SUMMARY, variables, token=staff))
    assert full[("villagers", "9101")]["noIdCard"] == 3 and full[("villagers", "9105")]["noIdCard"] == 1
    assert full[("villagers", None)]["noIdCard"] == 4
    shown = rows(await api.data(SUMMARY, variables, token=member))
    assert shown[("villagers", "9101")]["noIdCard"] == 3 and shown[("villagers", "9101")]["areaName"] == "Mueang Satun"
    assert shown[("villagers", "9105")]["noIdCard"] is None
    # the total minus Mueang Satun's 3 would be La-ngu's 1; the province is the same sum
    assert shown[("villagers", None)]["noIdCard"] is None and shown[(None, None)]["answered"] is None
    by_province = rows(await api.data(SUMMARY, {**variables, "level": "PROVINCE"}, token=member))
    assert by_province[("villagers", "91")]["noIdCard"] is None
    assert all(c["people"] is None for c in shown[("villagers", "9105")]["servicesNotReached"])


def test_the_apis_choices_are_the_lists_the_service_checks():
    """GraphQL declares its enums itself; a code added to (or dropped from) server/people/models.py's lists
    without the schema would be refused, or offered and refused, only through the API."""
    from schema.exclusion import DisabilityCard, ExclusionReason, IdDocument, PublicService, WelfareCard
    from server.people.models import DISABILITY_CARDS, ID_DOCUMENTS, REASONS, SERVICES, WELFARE_CARDS

    for enum, codes in ((IdDocument, ID_DOCUMENTS), (WelfareCard, WELFARE_CARDS), (DisabilityCard, DISABILITY_CARDS),
                        (PublicService, SERVICES), (ExclusionReason, REASONS)):
        assert [member.value for member in enum] == list(codes)
