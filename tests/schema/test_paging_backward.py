"""Paging backwards (`last`, `before`): the same items in the same order as forwards, with pageInfo
right at both ends; and totals where a COUNT is cheap."""

import pytest

from server.deliberation import service as deliberation
from tests.factories import make_member, make_need, make_participant, make_round
from tests.schema.conftest import token_for
from tests.schema.scenario import deliberating_round

EVENTS = """query ($id: ID, $first: Int, $after: String, $last: Int, $before: String) {
  events(roundId: $id, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { id type } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""

NEEDS = """query ($round: ID!, $order: NeedOrder, $first: Int, $after: String, $last: Int, $before: String) {
  round(id: $round) {
    needs(orderBy: $order, first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node { id severity peopleAffected } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      totalCount
    }
  }
}"""


async def _forwards(fetch, size):
    """Every item, page by page from the start, and the pageInfo of each page."""
    items, infos, after = [], [], None
    while True:
        page = await fetch(first=size, after=after)
        items += [e["node"]["id"] for e in page["edges"]]
        infos.append(page["pageInfo"])
        if not page["pageInfo"]["hasNextPage"]:
            return items, infos
        after = page["pageInfo"]["endCursor"]


async def _backwards(fetch, size):
    """Every item, page by page from the end, put back in list order."""
    items, infos, before = [], [], None
    while True:
        page = await fetch(last=size, before=before)
        items = [e["node"]["id"] for e in page["edges"]] + items
        infos.append(page["pageInfo"])
        if not page["pageInfo"]["hasPreviousPage"]:
            return items, infos
        before = page["pageInfo"]["startCursor"]


def _ends_are_right(forward, backward):
    assert forward[0]["hasPreviousPage"] is False and forward[-1]["hasNextPage"] is False
    assert all(info["hasNextPage"] for info in forward[:-1])
    assert backward[0]["hasNextPage"] is False and backward[-1]["hasPreviousPage"] is False
    assert all(info["hasPreviousPage"] for info in backward[:-1])
    assert all(info["hasNextPage"] for info in backward[1:])  # a `before` cursor: the newer ones follow


@pytest.fixture
async def s(session):
    return await deliberating_round(session)


async def test_the_event_log_reads_the_same_backwards(api, s, session):
    for i in range(15):  # more events than a default page
        await deliberation.post_comment(session, s.villagers[i % 3], body=f"ความเห็น {i}", stance="support",
                                        clause_id=s.clauses[0].id)

    async def fetch(**arguments):
        data = await api.data(EVENTS, {"id": s.round_id, **arguments}, token=s.tokens["villager"])
        return data["events"]

    forward, forward_info = await _forwards(fetch, 3)
    backward, backward_info = await _backwards(fetch, 3)
    assert len(forward) > 22 and backward == forward
    _ends_are_right(forward_info, backward_info)

    newest = await fetch(last=2)
    assert [e["node"]["id"] for e in newest["edges"]] == forward[-2:]
    assert newest["pageInfo"]["startCursor"] == newest["edges"][0]["cursor"]
    assert newest["pageInfo"]["endCursor"] == newest["edges"][-1]["cursor"]
    # `before` alone reads the page just before it, not the start of the log
    just_before = await fetch(before=newest["pageInfo"]["startCursor"])
    assert [e["node"]["id"] for e in just_before["edges"]] == forward[-22:-2]
    # both cursors: the items between them
    edges = (await fetch(first=5))["edges"]
    between = await fetch(after=edges[0]["cursor"], before=edges[4]["cursor"])
    assert [e["node"]["id"] for e in between["edges"]] == forward[1:4]
    assert between["pageInfo"]["hasPreviousPage"] and between["pageInfo"]["hasNextPage"]


@pytest.mark.parametrize("order", ["NEWEST", "OLDEST", "SEVERITY", "PEOPLE_AFFECTED"])
async def test_needs_read_the_same_backwards_in_every_order(api, session, order):
    facilitator = await make_participant(session, role="facilitator")
    round_ = await make_round(session, facilitator, phase="needs")
    author = await make_member(session, round_)
    for i, severity in enumerate([3, 3, 5, 1, 3, 2, 3]):  # ties, so the id decides between them
        await make_need(session, round_, author, title=f"ความต้องการ {i}", severity=severity,
                        people_affected=[10, None, 20][i % 3])  # None: nobody said, and pages still join
    token = await token_for(session, author)
    round_id = (await api.data("query ($slug: String) { round(slug: $slug) { id } }", {"slug": round_.slug},
                               token=token))["round"]["id"]

    async def fetch(**arguments):
        data = await api.data(NEEDS, {"round": round_id, "order": order, **arguments}, token=token)
        return data["round"]["needs"]

    forward, forward_info = await _forwards(fetch, 2)
    backward, backward_info = await _backwards(fetch, 2)
    assert len(forward) == 7 and backward == forward
    _ends_are_right(forward_info, backward_info)
    if order == "PEOPLE_AFFECTED":  # the counts nobody gave come last, not first as NULL would by itself
        counts = [e["node"]["peopleAffected"] for e in (await fetch(first=7))["edges"]]
        assert counts == [20, 20, 10, 10, 10, None, None]
    # the total is the same on every page, counted without reading the rows
    assert {(await fetch(first=2))["totalCount"], (await fetch(last=3))["totalCount"]} == {7}


async def test_first_and_last_together_are_refused(api, s):
    answer = await api(EVENTS, {"id": s.round_id, "first": 2, "last": 2}, token=s.tokens["villager"])
    assert answer["errors"][0]["extensions"]["code"] == "validation"
    assert answer["errors"][0]["extensions"]["fields"] == {
        "last": "Give either first or last, not both: first pages forwards, last backwards."}
    thai = await api(EVENTS, {"id": s.round_id, "first": 2, "last": 2}, token=s.tokens["villager"], lang="th")
    assert thai["errors"][0]["extensions"]["fields"]["last"] != answer["errors"][0]["extensions"]["fields"]["last"]

    answer = await api(EVENTS, {"id": s.round_id, "last": 101}, token=s.tokens["villager"])
    assert answer["errors"][0]["extensions"]["fields"] == {"last": "Enter a whole number from 1 to 100."}
    answer = await api(EVENTS, {"id": s.round_id, "before": "bm90LWEtY3Vyc29y"}, token=s.tokens["villager"])
    assert set(answer["errors"][0]["extensions"]["fields"]) == {"before"}


async def test_a_threads_comments_page_backwards_with_their_total(api, s, session):
    for i in range(5):
        await deliberation.post_comment(session, s.villagers[i % 3], body=f"ความเห็น {i}", stance="support",
                                        clause_id=s.clauses[1].id)
    query = """query ($id: ID!, $last: Int, $before: String) { node(id: $id) { ... on Clause {
      comments(last: $last, before: $before) { edges { node { body } } pageInfo { hasPreviousPage hasNextPage }
                                              totalCount } } } }"""
    newest = (await api.data(query, {"id": s.gid("Clause", s.clauses[1]), "last": 2},
                             token=s.tokens["villager"]))["node"]["comments"]
    assert [e["node"]["body"] for e in newest["edges"]] == ["ความเห็น 3", "ความเห็น 4"]
    assert newest["pageInfo"] == {"hasPreviousPage": True, "hasNextPage": False} and newest["totalCount"] == 5
