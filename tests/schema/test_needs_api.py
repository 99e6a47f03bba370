"""Finding needs through the API: Thai words, areas at any level, filters, order and pages."""

import pytest

from tests.schema.scenario import deliberating_round

NEEDS = """query ($filter: NeedFilterInput, $order: NeedOrder, $first: Int, $after: String) {
  needs(filter: $filter, orderBy: $order, first: $first, after: $after) {
    edges { cursor node { id title sector hazards severity status area { code name parent { code } }
                          group { key } endorsements viewerEndorsed translations { language field text } } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}"""


@pytest.fixture
async def s(session):
    return await deliberating_round(session, votes=False)


async def _titles(api, s, token="villager", **variables):
    data = await api.data(NEEDS, {"filter": {"roundId": s.round_id, **variables.pop("filter", {})}, **variables},
                          token=s.tokens[token])
    return [e["node"]["title"] for e in data["needs"]["edges"]]


async def test_a_thai_word_inside_an_unspaced_sentence_finds_the_need(api, s):
    land, water = s.needs[0].title, s.needs[1].title
    assert await _titles(api, s, filter={"text": "หลีเป๊ะ"}) == [land]
    assert await _titles(api, s, filter={"text": "โฉนดชุมชน เกาะ"}) == [land]  # every word must match
    assert await _titles(api, s, filter={"text": "โฉนดชุมชน ประปา"}) == []
    assert await _titles(api, s, filter={"text": "lipe"}) == [land]  # the English translation is indexed too
    assert await _titles(api, s, filter={"text": "ประปาไม่"}) == [water]  # a part of the title matches as well
    assert await _titles(api, s, filter={"text": "100%_"}) == []  # LIKE wildcards are only characters


async def test_area_codes_match_at_every_level(api, s):
    land, water = s.needs[0].title, s.needs[1].title
    assert await _titles(api, s, filter={"areaCode": "91"}) == [land]  # Satun province
    assert await _titles(api, s, filter={"areaCode": "9101"}) == [land]  # Mueang Satun district
    assert await _titles(api, s, filter={"areaCode": "910101"}) == [land]
    assert await _titles(api, s, filter={"areaCode": "85"}) == [water]  # Ranong
    answer = await api(NEEDS, {"filter": {"areaCode": "9x"}}, token=s.tokens["villager"])
    assert answer["errors"][0]["extensions"]["fields"] == {"areaCode": "9x is not a Thai province, district or "
                                                                        "subdistrict code."}


async def test_sector_hazard_group_and_status_filters(api, s, session):
    land, water = s.needs[0].title, s.needs[1].title
    assert await _titles(api, s, filter={"sector": "health"}) == [water]
    assert await _titles(api, s, filter={"hazard": "coastal"}) == [land]
    group_id = (await api.data("query ($id: ID!) { round(id: $id) { groups { id key } } }", {"id": s.round_id},
                               token=s.tokens["villager"]))["round"]["groups"]
    assert await _titles(api, s, filter={"groupId": next(g["id"] for g in group_id if g["key"] == "government")}) == []

    s.needs[1].status = "hidden"
    await session.flush()
    assert await _titles(api, s) == [land]  # hidden needs: for the round's facilitators only
    assert await _titles(api, s, filter={"status": "HIDDEN"}) == []
    assert await _titles(api, s, token="facilitator", filter={"status": "HIDDEN"}) == [water]
    assert await _titles(api, s, token="facilitator_read_only", filter={"status": "HIDDEN"}) == []


async def test_orders_and_pages_with_opaque_cursors(api, s):
    land, water = s.needs[0].title, s.needs[1].title
    assert await _titles(api, s) == [water, land]  # newest first
    assert await _titles(api, s, order="OLDEST") == [land, water]
    assert await _titles(api, s, order="SEVERITY") == [land, water]  # 4 before 2

    first = (await api.data(NEEDS, {"filter": {"roundId": s.round_id}, "order": "OLDEST", "first": 1},
                            token=s.tokens["villager"]))["needs"]
    assert [e["node"]["title"] for e in first["edges"]] == [land]
    assert first["pageInfo"] == {"hasNextPage": True, "hasPreviousPage": False,
                                 "endCursor": first["edges"][0]["cursor"]}
    second = (await api.data(NEEDS, {"filter": {"roundId": s.round_id}, "order": "OLDEST", "first": 1,
                                     "after": first["pageInfo"]["endCursor"]}, token=s.tokens["villager"]))["needs"]
    assert [e["node"]["title"] for e in second["edges"]] == [water]
    assert second["pageInfo"]["hasNextPage"] is False and second["pageInfo"]["hasPreviousPage"] is True

    # a cursor is only good for the ordering it came from, and must be one of ours
    for bad in (first["pageInfo"]["endCursor"], "bm90LWEtY3Vyc29y", "!!!"):
        answer = await api(NEEDS, {"order": "SEVERITY", "after": bad}, token=s.tokens["villager"])
        assert answer["errors"][0]["extensions"]["code"] == "validation", bad
    answer = await api(NEEDS, {"first": 1000}, token=s.tokens["villager"])
    assert answer["errors"][0]["extensions"]["fields"] == {"first": "Enter a whole number from 1 to 100."}


async def test_a_need_shows_its_area_translations_and_endorsements(api, s):
    data = await api.data(NEEDS, {"filter": {"roundId": s.round_id, "text": "หลีเป๊ะ"}}, token=s.tokens["villager"],
                          lang="th")
    need = data["needs"]["edges"][0]["node"]
    assert need["area"] == {"code": "910101", "name": "พิมาน", "parent": {"code": "9101"}}
    assert need["translations"] == [{"language": "en", "field": "title", "text": "Community land title on Ko Lipe"}]
    assert need["group"] == {"key": "villagers"} and need["endorsements"] == 0 and need["viewerEndorsed"] is False
