"""What community representatives say about their needs stays in their round: a participant of another round
finds none of its needs, reads none of the talk on them, and neither comments nor says "me too" there,
however they ask the API (a list, a round, a guessed id, a comment's id, a mutation). Staff and integrators'
tokens still read open needs everywhere, as the API promises."""

from __future__ import annotations

import json

import pytest

from schema import ids
from server.deliberation.service import post_comment
from tests.factories import make_member, make_participant, make_round
from tests.schema.conftest import api, token_for  # noqa: F401 (fixture)
from tests.schema.scenario import deliberating_round

SAID = "เจ้าของที่ดินข่มขู่ชาวบ้าน"


@pytest.fixture
async def s(session):
    s = await deliberating_round(session)
    s.comment = await post_comment(session, s.villagers[1], need_id=s.needs[0].id, stance="support", body=SAID)
    s.reply = await post_comment(session, s.villagers[2], need_id=s.needs[0].id, stance="support", body="จริง",
                                 parent_id=s.comment.id)
    s.tokens["elsewhere"] = await token_for(session, await make_member(session, await make_round(session)))
    s.tokens["integrator"] = await token_for(session, await make_participant(session, role="integrator"), "read")
    return s


READS = """query ($round: ID!, $need: ID!, $comment: ID!, $reply: ID!) {
  needs(filter: {roundId: $round}) { totalCount edges { node { title } } }
  round(id: $round) { needs { totalCount edges { node { title comments { totalCount } } } } }
  need: node(id: $need) { ... on Need { title } }
  comment: node(id: $comment) { ... on Comment { body } }
  reply: node(id: $reply) { ... on Comment { body parent { body } } }
}"""


def _asked(s):
    return {"round": s.round_id, "need": ids.encode("Need", s.needs[0].id),
            "comment": ids.encode("Comment", s.comment.id), "reply": ids.encode("Comment", s.reply.id)}


async def test_a_participant_of_another_round_reads_none_of_its_needs(api, s):
    data = await api.data(READS, _asked(s), token=s.tokens["elsewhere"])
    assert data["needs"] == {"totalCount": 0, "edges": []}
    assert data["round"]["needs"] == {"totalCount": 0, "edges": []}
    assert (data["need"], data["comment"], data["reply"]) == (None, None, None)
    text = json.dumps(data, ensure_ascii=False)
    assert SAID not in text and s.needs[0].title not in text


@pytest.mark.parametrize("reader", ["villager", "integrator", "facilitator"])
async def test_its_own_people_staff_and_integrators_still_read_them(api, s, reader):
    data = await api.data(READS, _asked(s), token=s.tokens[reader])
    assert data["needs"]["totalCount"] == 2 and data["need"] == {"title": s.needs[0].title}
    assert data["comment"] == {"body": SAID} and data["reply"] == {"body": "จริง", "parent": {"body": SAID}}


MUTATIONS = """mutation ($need: ID!, $comment: ID!) {
  postComment(input: {needId: $need, stance: SUPPORT, body: "แอบเข้ามา"}) { __typename }
  reply: postComment(input: {needId: $need, parentId: $comment, stance: SUPPORT, body: "แอบตอบ"}) { __typename }
  endorseNeed(needId: $need) { __typename }
  undoEndorseNeed(needId: $need) { __typename }
}"""


async def test_nor_comments_nor_says_me_too_there(api, s):
    data = await api.data(MUTATIONS, {"need": ids.encode("Need", s.needs[0].id),
                                      "comment": ids.encode("Comment", s.comment.id)}, token=s.tokens["elsewhere"])
    assert {answer["__typename"] for answer in data.values()} == {"NotPermitted"}, data


async def test_a_reply_to_a_hidden_comment_is_hidden_with_it(api, s, session):
    s.comment.moderation = "hidden"
    await session.flush()
    data = await api.data(READS, _asked(s), token=s.tokens["official"])  # a member of the round
    assert (data["comment"], data["reply"]) == (None, None)
    [listed] = [e["node"] for e in data["round"]["needs"]["edges"] if e["node"]["title"] == s.needs[0].title]
    assert listed["comments"]["totalCount"] == 0
