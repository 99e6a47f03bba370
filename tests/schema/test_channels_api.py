"""Standing channels through the API: raising a need in one with submitNeed, triage by its facilitators only
(a member's token, or another organisation's facilitator, is refused), "me too" counted across, and the outcome
and a private answer read by the author and nobody else."""

from __future__ import annotations

from schema import ids
from server.needs.service import endorse_need
from server.people.models import Participant
from tests.channels import join_channel, make_channel
from tests.factories import make_need, make_round
from tests.schema.conftest import token_for

RESULT = "__typename ... on Error { message code } ... on ValidationError { fields { field message } }"
SUBMIT = """mutation ($input: SubmitNeedInput!) { submitNeed(input: $input) { __typename ... on Need { id } } }"""
NEED = """query ($id: ID!) { node(id: $id) { ... on Need { endorsements answer tags status
  outcome { received answer mergedInto { id } takenInto { round { id } need { id } answeredByClauses } } } } }"""


async def test_raise_triage_and_read_the_outcome(api, session):
    channel = await make_channel(session)
    facilitator = await session.get_one(Participant, channel.created_by_id)
    person, neighbour = await join_channel(session, channel), await join_channel(session, channel)
    stranger = await session.get_one(Participant, (await make_channel(session)).created_by_id)
    round_ = await make_round(session, facilitator)
    tokens = {"facilitator": await token_for(session, facilitator, "read", "facilitate"),
              "person": await token_for(session, person), "neighbour": await token_for(session, neighbour),
              "stranger": await token_for(session, stranger, "read", "facilitate")}

    listed = await api.data("{ channels { id areaCodes organisation { id } round { slug } } }",
                            token=tokens["neighbour"])
    assert {"id": ids.encode("Round", channel.id), "areaCodes": ["91"],
            "organisation": {"id": ids.encode("Organisation", channel.organisation_id)},
            "round": {"slug": channel.slug}} in listed["channels"]
    raised = await api.data(SUBMIT, {"input": {"roundId": ids.encode("Round", channel.id), "title": "ท่าเรือพัง",
                                               "areaCode": "910101", "sector": "land_housing", "severity": 3}},
                            token=tokens["person"])
    need_id = raised["submitNeed"]["id"]
    other = await make_need(session, channel, neighbour, title="ท่าเรือชำรุด")
    await endorse_need(session, neighbour, ids.decode(need_id, "Need"))

    answer = f"mutation {{ answerNeed(needId: \"{need_id}\", answer: \"จะซ่อมวันจันทร์\") {{ {RESULT} }} }}"
    tag = f"mutation {{ tagNeed(needId: \"{need_id}\", tags: [\"ท่าเรือ\"]) {{ {RESULT} }} }}"
    bring = (f"mutation {{ bringNeedIntoRound(needId: \"{need_id}\", roundId: \"{ids.encode('Round', round_.id)}\") "
             f"{{ {RESULT} ... on Need {{ id round {{ id }} }} }} }}")
    merge = (f"mutation {{ mergeNeed(needId: \"{ids.encode('Need', other.id)}\", intoId: \"{need_id}\") "
             f"{{ {RESULT} }} }}")
    for who in ("person", "stranger"):
        for document in (answer, tag, bring, merge):
            answered = await api.data(document, token=tokens[who])
            [result] = answered.values()
            assert result["__typename"] == "NotPermitted", (who, document, result)
    seen = (await api.data(NEED, {"id": need_id}, token=tokens["person"]))["node"]
    assert seen["outcome"] == {"received": True, "answer": None, "mergedInto": None, "takenInto": []}
    assert seen["tags"] is None and seen["endorsements"] == 1

    for document in (answer, tag, merge):
        [result] = (await api.data(document, token=tokens["facilitator"])).values()
        assert result["__typename"] == "Need", result
    [copy] = (await api.data(bring, token=tokens["facilitator"])).values()
    assert copy["round"]["id"] == ids.encode("Round", round_.id)

    mine = (await api.data(NEED, {"id": need_id}, token=tokens["person"]))["node"]
    # the neighbour's "me too" and the merged need's author (the same neighbour): one person
    assert mine["endorsements"] == 1 and mine["answer"] == "จะซ่อมวันจันทร์"
    assert mine["outcome"]["answer"] == "จะซ่อมวันจันทร์" and mine["outcome"]["received"] is False
    assert mine["outcome"]["takenInto"] == [{"round": {"id": ids.encode("Round", round_.id)},
                                             "need": {"id": copy["id"]}, "answeredByClauses": []}]
    theirs = (await api.data(NEED, {"id": need_id}, token=tokens["neighbour"]))["node"]
    assert (theirs["answer"], theirs["outcome"], theirs["tags"]) == (None, None, None)
    staff = (await api.data(NEED, {"id": need_id}, token=tokens["facilitator"]))["node"]
    assert staff["tags"] == ["ท่าเรือ"] and staff["outcome"]["answer"] == "จะซ่อมวันจันทร์"
    # the copy in the round counts the same people
    in_round = (await api.data(NEED, {"id": copy["id"]}, token=tokens["facilitator"]))["node"]
    assert in_round["endorsements"] == 1 and in_round["outcome"] is None
