"""climateRisk over the API: the same cells as the service, and only the rounds the caller reads."""

from schema import ids
from tests.risk_fixture import make_picture
from tests.schema.conftest import token_for

QUERY = """query($level: AreaLevel!, $roundId: ID, $areaPrefix: String, $hazard: String) {
  climateRisk(level: $level, roundId: $roundId, areaPrefix: $areaPrefix, hazard: $hazard) {
    cells { areaCode areaName sector hazard group groupName needs peopleAffected peopleUnknown severityMean
            severityMax score answeredShare small leftOut }
    ranking { groups { key name score needs cells leftOut } areas { key name score needs } }
    rounds { slug } roundsWithoutPublishedProposal { slug } fewerThan
  }
}"""


def _cells(answer):
    return {(c["areaCode"], c["sector"], c["hazard"], c["group"]): c for c in answer["climateRisk"]["cells"]}


async def test_a_facilitator_reads_every_figure_and_a_participant_only_the_shown_parts(api, session):
    picture = await make_picture(session)
    facilitator = await token_for(session, picture.facilitator, "read", "facilitate")
    fisher = await token_for(session, picture.fisher)
    fishing = ids.encode("Round", picture.fishing.id)
    full = _cells(await api.data(QUERY, {"level": "DISTRICT", "roundId": fishing}, token=facilitator))
    storm = full[("9101", "fisheries", "storm", "fishers")]
    assert (storm["needs"], storm["peopleAffected"], storm["peopleUnknown"], storm["severityMean"],
            storm["severityMax"], storm["score"], storm["leftOut"]) == (4, 130, 1, 3.5, 5, 120.6, 0)
    assert storm["areaName"] == "Mueang Satun" and storm["groupName"] == "Fishers"
    assert full[("9101", "fisheries", "storm", "moken")]["score"] == 30.0
    farming = _cells(await api.data(QUERY, {"level": "DISTRICT", "roundId": ids.encode("Round", picture.farming.id)},
                                    token=facilitator))
    assert farming[("9102", "agriculture", "drought", "farmers")]["answeredShare"] == 0.667

    answer = await api.data(QUERY, {"level": "DISTRICT"}, token=fisher)
    shown = _cells(answer)
    # roundId null: only the rounds the fisher reads, and the small parts left out of every figure and total
    assert [r["slug"] for r in answer["climateRisk"]["rounds"]] == [picture.fishing.slug]
    assert [r["slug"] for r in answer["climateRisk"]["roundsWithoutPublishedProposal"]] == [picture.fishing.slug]
    assert not any(k[3] == "farmers" or k[3] == "moken" for k in shown)
    assert (shown[("9101", "fisheries", "storm", "fishers")]["score"],
            shown[("9101", "fisheries", "storm", "fishers")]["leftOut"]) == (116.6, 1)
    small = shown[("9101", "fisheries", "storm", None)]
    assert small["small"] and small["needs"] is None and small["score"] is None and small["groupName"] is None
    groups = answer["climateRisk"]["ranking"]["groups"]
    assert [(g["key"], g["score"]) for g in groups] == [("fishers", 117.2), (None, 0.0)]
    assert "Moken" not in str(answer) and "moken" not in str(answer)


async def test_a_round_the_caller_does_not_read_is_refused(api, session):
    picture = await make_picture(session)
    fisher = await token_for(session, picture.fisher)
    answer = await api(QUERY, {"level": "PROVINCE", "roundId": ids.encode("Round", picture.farming.id)},
                       token=fisher)
    assert answer["errors"][0]["extensions"]["code"] == "not_permitted" and answer["data"] is None
    refused = await api(QUERY, {"level": "PROVINCE", "areaPrefix": "9101"}, token=fisher)
    assert refused["errors"][0]["extensions"]["fields"]["level"]
    nobody = await api(QUERY, {"level": "PROVINCE"})
    assert nobody["errors"][0]["extensions"]["code"] == "not_permitted"


async def test_a_facilitator_token_without_the_facilitate_scope_reads_as_the_public(api, session):
    picture = await make_picture(session)
    plain = await token_for(session, picture.facilitator, "read")
    shown = _cells(await api.data(QUERY, {"level": "DISTRICT", "roundId": ids.encode("Round", picture.fishing.id)},
                                  token=plain))
    assert shown[("9101", "fisheries", "storm", "fishers")]["score"] == 116.6
    assert ("9101", "fisheries", "storm", "moken") not in shown
