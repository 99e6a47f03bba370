"""Consolidated proposals (any version, and what changed) and the event log (paged, people left out)."""

import pytest

from server.consolidation.service import consolidate, publish
from server.deliberation import service as deliberation
from server.needs import service as needs
from server.rounds import service as rounds
from tests.schema.scenario import deliberating_round

PROPOSALS = """query ($id: ID!) { round(id: $id) {
  latestProposal { version inputsHash inputCounts threshold underHeardGroups
    groups { key participants fewerThanThree }
    clauses { clauseId adoptedId amended text status groupsToAsk answers }
    statements { id kind status groups { groupKey agree seen support fewerThanThree } }
    changes { firstVersion added removed statusChanged { statement before after } adoptedChanged }
    changesSince(version: 1) { firstVersion statusChanged { before after } } }
  proposal(version: 1) { version changes { firstVersion } }
  proposals(first: 1) { edges { node { version } } pageInfo { hasNextPage endCursor } }
} }"""


@pytest.fixture
async def s(session):
    return await deliberating_round(session)


async def test_versions_with_their_differences_and_small_groups_hidden(api, s, session):
    first = await consolidate(session, s.round.id)
    for villager in s.villagers:
        await deliberation.cast_vote(session, villager, s.clauses[1].id, "agree")
    second = await consolidate(session, s.round.id)
    assert (first.version, second.version) == (1, 2)
    for version in (1, 2):  # a villager reads published versions only
        await publish(session, s.facilitator, s.round.id, version, while_voting=True)

    data = (await api.data(PROPOSALS, {"id": s.round_id}, token=s.tokens["villager"]))["round"]
    latest = data["latestProposal"]
    assert latest["version"] == 2 and latest["inputsHash"] == second.inputs_hash and latest["threshold"] == 0.6
    assert {g["key"]: (g["participants"], g["fewerThanThree"]) for g in latest["groups"]} == {
        "villagers": (3, False), "government": (None, True)}
    clause = latest["clauses"][0]
    assert clause["clauseId"] == s.gid("Clause", s.clauses[0]) == clause["adoptedId"] and not clause["amended"]
    assert clause["answers"] == [s.gid("Need", s.needs[0])]
    by_id = {st["id"]: st for st in latest["statements"]}
    groups = {g["groupKey"]: g for g in by_id[s.gid("Clause", s.clauses[0])]["groups"]}
    assert groups["villagers"]["agree"] == 3 and groups["government"] == {
        "groupKey": "government", "agree": None, "seen": None, "support": None, "fewerThanThree": True}
    assert latest["changes"]["firstVersion"] is False
    assert latest["changesSince"] == {"firstVersion": False, "statusChanged": latest["changes"]["statusChanged"]
                                      and [{k: c[k] for k in ("before", "after")}
                                           for c in latest["changes"]["statusChanged"]]}
    assert data["proposal"] == {"version": 1, "changes": {"firstVersion": True}}
    page = data["proposals"]
    assert page["edges"] == [{"node": {"version": 2}}] and page["pageInfo"]["hasNextPage"] is True
    older = await api.data("query ($id: ID!, $after: String) { round(id: $id) { proposals(after: $after) { "
                           "edges { node { version } } } } }", {"id": s.round_id, "after": page["pageInfo"]["endCursor"]},
                           token=s.tokens["villager"])
    assert older["round"]["proposals"]["edges"] == [{"node": {"version": 1}}]

    staff = (await api.data(PROPOSALS, {"id": s.round_id}, token=s.tokens["facilitator"]))["round"]
    assert {g["key"]: g["participants"] for g in staff["latestProposal"]["groups"]}["government"] == 1


EVENTS = """query ($id: ID, $after: String, $types: [String!]) {
  events(roundId: $id, first: 3, after: $after, types: $types) {
    edges { cursor node { id type actorId subjectId payload round { slug } } }
    pageInfo { hasNextPage endCursor }
  }
}"""


async def test_the_event_log_pages_in_order_for_replay(api, s):
    seen, after = [], None
    while True:
        page = (await api.data(EVENTS, {"id": s.round_id, "after": after}, token=s.tokens["villager"]))["events"]
        seen += [e["node"]["type"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen[0] == "round.created" and seen.count("vote.cast") == 4 and seen.count("clause.added") == 2
    only = (await api.data(EVENTS, {"id": s.round_id, "types": ["need.submitted"]},
                           token=s.tokens["villager"]))["events"]["edges"]
    assert [e["node"]["type"] for e in only] == ["need.submitted", "need.submitted"]


async def test_the_event_log_leaves_people_out(api, s, session):
    await rounds.move_phase(session, s.facilitator, s.round.id, "drafting")
    await needs.endorse_need(session, s.villagers[2], s.needs[0].id)
    await session.flush()  # the event is written with the session's next flush

    async def first_of(kind, token):
        data = await api.data(EVENTS, {"id": s.round_id, "types": [kind]}, token=s.tokens[token])
        return data["events"]["edges"][0]["node"]

    assert (await first_of("vote.cast", "villager"))["actorId"] is None
    assert (await first_of("membership.set", "villager"))["subjectId"] is None
    endorsed = await first_of("need.endorsed", "villager")
    assert "participant_id" not in endorsed["payload"] and endorsed["actorId"] is None

    endorsed = await first_of("need.endorsed", "facilitator")
    assert endorsed["payload"]["participant_id"] == str(s.villagers[2].id) and endorsed["actorId"]
    assert (await first_of("membership.set", "facilitator"))["subjectId"]
    # nobody, facilitators included, learns who cast a vote
    staff_votes = await api.data(EVENTS, {"id": s.round_id, "types": ["vote.cast"]}, token=s.tokens["facilitator"])
    assert all(e["node"]["actorId"] is None for e in staff_votes["events"]["edges"])

    everything = await api(EVENTS, {}, token=s.tokens["facilitator"])
    assert everything["errors"][0]["extensions"]["code"] == "not_permitted"
