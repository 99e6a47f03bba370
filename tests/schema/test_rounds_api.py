"""Reading rounds, drafts, support per group, comment threads and your own votes."""

import pytest

from server.deliberation import service as deliberation
from tests.schema.scenario import deliberating_round

ROUND = """query ($id: ID!) {
  round(id: $id) {
    slug title viewerRole areaCodes
    currentPhase { key name opens { action roles } }
    phases { key isCurrent }
    rules { threshold fewerThan groups { key quorum } }
    members { edges { node { participant { displayName } group { key } facilitates } } }
    drafts { title clauses { position text answers { title }
      support { group { key } agree disagree pass seen support fewerThanThree } } }
  }
}"""


@pytest.fixture
async def s(session):
    return await deliberating_round(session)


def _support(round_data, position=1):
    clause = next(c for c in round_data["drafts"][0]["clauses"] if c["position"] == position)
    return {g["group"]["key"]: g for g in clause["support"]}


async def test_a_round_with_its_phases_groups_rules_and_drafts(api, s):
    data = (await api.data(ROUND, {"id": s.round_id}, token=s.tokens["villager"], lang="th"))["round"]
    assert data["slug"] == s.round.slug and data["title"] == "รอบทดสอบ" and data["viewerRole"] == "participant"
    assert data["currentPhase"]["key"] == "deliberation" and data["currentPhase"]["name"]
    assert {"action": "vote", "roles": ["admin", "facilitator", "participant"]} in data["currentPhase"]["opens"]
    assert [p["key"] for p in data["phases"] if p["isCurrent"]] == ["deliberation"]
    assert data["rules"] == {"threshold": 0.6, "fewerThan": 3,
                             "groups": [{"key": "government", "quorum": 1}, {"key": "villagers", "quorum": 2}]}
    assert data["members"] is None  # for facilitators only
    assert data["drafts"][0]["clauses"][0]["answers"] == [{"title": s.needs[0].title}]
    by_slug = await api.data("query ($slug: String!) { round(slug: $slug) { id } }", {"slug": s.round.slug},
                             token=s.tokens["stranger"])
    assert by_slug["round"]["id"] == s.round_id


async def test_support_per_group_hides_figures_resting_on_fewer_than_three(api, s):
    data = (await api.data(ROUND, {"id": s.round_id}, token=s.tokens["villager"]))["round"]
    support = _support(data)
    assert support["villagers"] == {"group": {"key": "villagers"}, "agree": 3, "disagree": 0, "pass": 0, "seen": 3,
                                    "support": 0.8, "fewerThanThree": False}
    # one official voted: shown to nobody but the round's facilitators
    assert support["government"] == {"group": {"key": "government"}, "agree": None, "disagree": None, "pass": None,
                                     "seen": None, "support": None, "fewerThanThree": True}

    data = (await api.data(ROUND, {"id": s.round_id}, token=s.tokens["facilitator"]))["round"]
    assert _support(data)["government"]["disagree"] == 1 and _support(data)["government"]["fewerThanThree"]
    assert data["viewerRole"] == "facilitator"
    assert {m["node"]["participant"]["displayName"] for m in data["members"]["edges"]} >= {
        v.display_name for v in s.villagers}
    # a token without the facilitate scope reads like anyone
    data = (await api.data(ROUND, {"id": s.round_id}, token=s.tokens["facilitator_read_only"]))["round"]
    assert _support(data)["government"]["seen"] is None and data["members"] is None


async def test_you_see_your_own_votes_and_nobody_elses(api, s):
    votes = """query ($round: ID) { viewer { participant { displayName } votes(roundId: $round) {
      edges { node { choice clause { text } amendment { text } enteredByProxy } } } } }"""
    mine = (await api.data(votes, {"round": s.round_id}, token=s.tokens["official"]))["viewer"]
    memberships = (await api.data("{ viewer { memberships { round { slug } group { key } role } } }",
                                  token=s.tokens["official"]))["viewer"]["memberships"]
    assert memberships == [{"round": {"slug": s.round.slug}, "group": {"key": "government"}, "role": "participant"}]
    assert [e["node"]["choice"] for e in mine["votes"]["edges"]] == ["DISAGREE"]
    clause_vote = """query ($id: ID!) { node(id: $id) { ... on Clause { viewerVote { choice } } } }"""
    assert (await api.data(clause_vote, {"id": s.gid("Clause", s.clauses[0])},
                           token=s.tokens["villager"]))["node"]["viewerVote"] == {"choice": "AGREE"}
    assert (await api.data(clause_vote, {"id": s.gid("Clause", s.clauses[0])},
                           token=s.tokens["stranger"]))["node"]["viewerVote"] is None
    # no field names another person's vote: the schema has no way to ask
    schema_text = (await api.data("{ __type(name: \"Vote\") { fields { name } } }"))["__type"]["fields"]
    assert {f["name"] for f in schema_text} == {"clause", "amendment", "choice", "enteredByProxy", "updatedAt"}


async def test_hidden_comments_show_to_facilitators_only(api, s, session):
    shown = await deliberation.post_comment(session, s.villagers[0], body="เห็นด้วยครับ", stance="support",
                                            clause_id=s.clauses[0].id)
    reply = await deliberation.post_comment(session, s.villagers[1], body="ใช่", stance="support",
                                            clause_id=s.clauses[0].id, parent_id=shown.id)
    hidden = await deliberation.post_comment(session, s.official, body="ข้อความหยาบคาย", stance="oppose",
                                             clause_id=s.clauses[0].id)
    await deliberation.moderate_comment(session, s.facilitator, hidden.id, state="hidden", reason="ถ้อยคำไม่สุภาพ")
    thread = """query ($id: ID!) { node(id: $id) { ... on Clause { comments(first: 10) { edges { node {
      body stance moderation moderationReason replies { body } } } } } } }"""

    public = (await api.data(thread, {"id": s.gid("Clause", s.clauses[0])}, token=s.tokens["villager"]))["node"]
    assert [e["node"]["body"] for e in public["comments"]["edges"]] == ["เห็นด้วยครับ"]
    assert public["comments"]["edges"][0]["node"]["replies"] == [{"body": "ใช่"}]
    staff = (await api.data(thread, {"id": s.gid("Clause", s.clauses[0])}, token=s.tokens["facilitator"]))["node"]
    assert [(e["node"]["body"], e["node"]["moderationReason"]) for e in staff["comments"]["edges"]] == [
        ("เห็นด้วยครับ", None), ("ข้อความหยาบคาย", "ถ้อยคำไม่สุภาพ")]

    # the next page continues after the cursor, and replies come with their comment
    page = """query ($id: ID!, $after: String) { node(id: $id) { ... on Clause { comments(first: 1, after: $after) {
      edges { node { body } } pageInfo { hasNextPage endCursor } } } } }"""
    first = (await api.data(page, {"id": s.gid("Clause", s.clauses[0])}, token=s.tokens["facilitator"]))["node"]
    assert first["comments"]["pageInfo"]["hasNextPage"] is True
    second = (await api.data(page, {"id": s.gid("Clause", s.clauses[0]),
                                    "after": first["comments"]["pageInfo"]["endCursor"]},
                             token=s.tokens["facilitator"]))["node"]["comments"]
    assert [e["node"]["body"] for e in second["edges"]] == ["ข้อความหยาบคาย"]
    assert second["pageInfo"]["hasNextPage"] is False

    node = "query ($id: ID!) { node(id: $id) { id ... on Comment { body } } }"
    assert (await api.data(node, {"id": s.gid("Comment", hidden)}, token=s.tokens["villager"]))["node"] is None
    assert (await api.data(node, {"id": s.gid("Comment", hidden)}, token=s.tokens["facilitator"]))["node"]
    assert (await api.data(node, {"id": s.gid("Comment", reply)}, token=s.tokens["villager"]))["node"]["body"] == "ใช่"


async def test_every_node_type_is_found_by_its_global_id(api, s, session):
    amendment = (await deliberation.cast_vote(session, s.villagers[0], s.clauses[1].id, "pass"))
    found = """query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"""
    wanted = [("Round", s.round), ("Need", s.needs[0]), ("Draft", s.draft), ("Clause", s.clauses[0]),
              ("Participant", s.villagers[0])]
    gids = [s.gid(t, row) for t, row in wanted]
    data = await api.data(found, {"ids": [*gids, "bm9wZQ==", "garbage", s.gid("Vote", amendment)]},
                          token=s.tokens["villager"])
    assert [n and n["__typename"] for n in data["nodes"]] == [t for t, _ in wanted] + [None, None, None]
    assert [n["id"] for n in data["nodes"][:5]] == gids
    # other people are visible to staff only
    other = (await api.data(found, {"ids": [s.gid("Participant", s.villagers[1])]}, token=s.tokens["villager"]))
    assert other["nodes"] == [None]
