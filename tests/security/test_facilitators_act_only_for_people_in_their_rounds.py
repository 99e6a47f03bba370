"""A facilitator's rights over people reach the members of the rounds they facilitate, no further.

Attacked as a facilitator with no round of their own would, through /graphql: they must not withdraw
someone (which erases their personal data and ends their sessions), record consent or sensitive data in
their name, nor read their name with node(id:). The facilitator of the person's round still can.
"""

import pytest

from schema import ids
from server.people import service as people
from server.people.models import Participant, SensitiveData
from tests.factories import make_member, make_participant, make_round
from tests.schema.conftest import api, token_for  # noqa: F401 -- the fixture, for this module

RESULT = "__typename ... on Error { message }"
WITHDRAW = "mutation ($who: ID) { withdraw(participantId: $who) { RESULT } }".replace("RESULT", RESULT)
CONSENT = """mutation ($who: ID) { recordConsent(purpose: DATA_PROCESSING, granted: false, participantId: $who) {
  RESULT } }""".replace("RESULT", RESULT)
SENSITIVE = """mutation ($who: ID) { setSensitiveData(ethnicity: "Moken", participantId: $who) { RESULT } }
""".replace("RESULT", RESULT)
NODE = "query ($who: ID!) { node(id: $who) { ... on Participant { displayName role } } }"


@pytest.fixture
async def people_(session):
    """A facilitator with no rounds; a member of someone else's round (who consented to sensitive data); an
    admin; and the facilitator of the member's round."""
    round_ = await make_round(session)
    member = await make_member(session, round_)
    await people.record_consent(session, member, member.id, purpose="sensitive_data", granted=True)
    lone = await make_participant(session, role="facilitator")
    admin = await make_participant(session, role="admin")
    theirs = await session.get(Participant, round_.created_by_id)
    tokens = {name: await token_for(session, person, "read", "participate", "facilitate")
              for name, person in (("lone", lone), ("theirs", theirs))}
    return member, admin, tokens


async def test_a_facilitator_without_rounds_cannot_withdraw_anyone(api, session, people_):
    member, admin, tokens = people_
    for person in (member, admin):
        refused = (await api.data(WITHDRAW, {"who": ids.encode("Participant", person.id)},
                                  token=tokens["lone"]))["withdraw"]
        assert refused["__typename"] == "NotPermitted"
        await session.refresh(person)
        assert person.withdrawn_at is None and person.display_name != "—"


async def test_a_facilitator_without_rounds_cannot_consent_or_store_sensitive_data_for_anyone(
        api, session, people_):
    member, admin, tokens = people_
    for person in (member, admin):
        who = {"who": ids.encode("Participant", person.id)}
        assert (await api.data(CONSENT, who, token=tokens["lone"]))["recordConsent"]["__typename"] == "NotPermitted"
        assert (await api.data(SENSITIVE, who, token=tokens["lone"]))["setSensitiveData"]["__typename"] \
            == "NotPermitted"
    assert await session.get(SensitiveData, member.id) is None


async def test_a_facilitator_without_rounds_cannot_read_anyones_name(api, people_):
    member, admin, tokens = people_
    for person in (member, admin):
        found = await api.data(NODE, {"who": ids.encode("Participant", person.id)}, token=tokens["lone"])
        assert found["node"] is None


async def test_the_facilitator_of_their_round_still_acts_for_them(api, session, people_):
    member, admin, tokens = people_
    who = {"who": ids.encode("Participant", member.id)}
    seen = await api.data(NODE, who, token=tokens["theirs"])
    assert seen["node"] == {"displayName": member.display_name, "role": "participant"}
    stored = (await api.data(SENSITIVE, who, token=tokens["theirs"]))["setSensitiveData"]
    assert stored["__typename"] == "SensitiveDataPayload"
    assert (await api.data(NODE, {"who": ids.encode("Participant", admin.id)}, token=tokens["theirs"]))["node"] \
        is None
    gone = (await api.data(WITHDRAW, who, token=tokens["theirs"]))["withdraw"]
    assert gone["__typename"] == "Participant"
