"""Only administrators act on staff: a facilitator cannot bring an administrator (or another facilitator)
into their round, nor act for one who is in it.

Without this, "a facilitator acts for the members of their rounds" would be a loophole: add the admin to
your own round first, then withdraw them (their sessions and tokens die with it).
"""

import pytest

from schema import ids
from server.rounds import service as rounds
from tests.factories import make_participant, make_round
from tests.schema.conftest import api, token_for  # noqa: F401 -- the fixture, for this module

RESULT = "__typename ... on Error { message }"
ADD = """mutation ($round: ID!, $who: ID!, $facilitates: Boolean!) {
  addMember(roundId: $round, participantId: $who, facilitates: $facilitates) { RESULT } }""".replace("RESULT", RESULT)
WITHDRAW = "mutation ($who: ID) { withdraw(participantId: $who) { RESULT } }".replace("RESULT", RESULT)


@pytest.fixture
async def round_and_staff(session):
    facilitator = await make_participant(session, role="facilitator")
    round_ = await make_round(session, facilitator)
    admin = await make_participant(session, role="admin")
    colleague = await make_participant(session, role="facilitator")
    token = await token_for(session, facilitator, "read", "participate", "facilitate")
    return round_, admin, colleague, token


async def test_a_facilitator_cannot_add_an_admin_to_their_round_then_withdraw_them(
        api, session, round_and_staff):
    round_, admin, colleague, token = round_and_staff
    for person, facilitates in ((admin, False), (admin, True), (colleague, False)):
        added = (await api.data(ADD, {"round": ids.encode("Round", round_.id), "who": ids.encode("Participant", person.id),
                                      "facilitates": facilitates}, token=token))["addMember"]
        assert added["__typename"] == "NotPermitted"
    gone = (await api.data(WITHDRAW, {"who": ids.encode("Participant", admin.id)}, token=token))["withdraw"]
    assert gone["__typename"] == "NotPermitted"
    await session.refresh(admin)
    assert admin.withdrawn_at is None


async def test_a_facilitator_cannot_act_for_a_colleague_an_admin_put_in_their_round(
        api, session, round_and_staff):
    round_, admin, colleague, token = round_and_staff
    await rounds.add_member(session, admin, round_.id, colleague.id, group_key=None, facilitates=True)
    gone = (await api.data(WITHDRAW, {"who": ids.encode("Participant", colleague.id)}, token=token))["withdraw"]
    assert gone["__typename"] == "NotPermitted"
    admin_token = await token_for(session, admin, "read", "participate", "facilitate", "admin")
    by_admin = (await api.data(WITHDRAW, {"who": ids.encode("Participant", colleague.id)},
                               token=admin_token))["withdraw"]
    assert by_admin["__typename"] == "Participant"
    await session.refresh(colleague)
    assert colleague.withdrawn_at is not None
