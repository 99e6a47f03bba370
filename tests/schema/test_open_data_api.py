"""A round's open data through the API: its licence and download addresses, and the licence chosen by its
facilitators only, from the short list."""

from server.consolidation.service import consolidate, publish
from server.opendata.service import FILES
from tests.schema.scenario import deliberating_round

OPEN_DATA = """query ($id: ID!) { round(id: $id) { openData { available dataPackageUrl
  licence { id title url } files { name url mediaType } } } }"""
SET = """mutation ($id: ID!, $licence: String!) { setOpenDataLicence(roundId: $id, licence: $licence) {
  __typename ... on Error { message code } ... on ValidationError { fields { field message } }
  ... on Round { openData { licence { id } } } } }"""


async def test_open_data_addresses_and_licence(api, session):
    s = await deliberating_round(session)
    before = (await api.data(OPEN_DATA, {"id": s.round_id}, token=s.tokens["villager"]))["round"]["openData"]
    assert before["available"] is False and before["licence"]["id"] == "CC-BY-4.0"
    proposal = await consolidate(session, s.round.id)
    await publish(session, s.facilitator, s.round.id, proposal.version, while_voting=True)
    after = (await api.data(OPEN_DATA, {"id": s.round_id}, token=s.tokens["stranger"]))["round"]["openData"]
    assert after["available"] is True
    assert after["dataPackageUrl"].endswith(f"/rounds/{s.round.slug}/open-data/datapackage.json")
    assert [f["name"] for f in after["files"]] == list(FILES)
    needs = next(f for f in after["files"] if f["name"] == "needs.csv")
    assert needs["url"].endswith(f"/rounds/{s.round.slug}/open-data/needs.csv")
    assert needs["mediaType"].startswith("text/csv")


async def test_only_the_rounds_facilitators_set_the_licence_from_the_list(api, session):
    s = await deliberating_round(session)
    refused = (await api.data(SET, {"id": s.round_id, "licence": "CC0-1.0"}, token=s.tokens["villager"]))
    assert refused["setOpenDataLicence"]["__typename"] == "NotPermitted"
    wrong = (await api.data(SET, {"id": s.round_id, "licence": "GPL-3.0"}, token=s.tokens["facilitator"]))
    assert wrong["setOpenDataLicence"]["__typename"] == "ValidationError"
    assert "ODC-By-1.0" in wrong["setOpenDataLicence"]["fields"][0]["message"]
    done = (await api.data(SET, {"id": s.round_id, "licence": "ODC-By-1.0"}, token=s.tokens["facilitator"]))
    assert done["setOpenDataLicence"]["openData"]["licence"]["id"] == "ODC-By-1.0"
    read = (await api.data(OPEN_DATA, {"id": s.round_id}, token=s.tokens["villager"]))["round"]["openData"]
    assert read["licence"] == {"id": "ODC-By-1.0", "title": "Open Data Commons Attribution 1.0",
                               "url": "https://opendatacommons.org/licenses/by/1-0/"}
