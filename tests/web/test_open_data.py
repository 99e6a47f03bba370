"""A round's open data on the web: downloads at /rounds/{slug}/open-data/{file} once a proposal is published
(404 before, whoever asks), linked from the outcome page with the licence, which the round's facilitators
choose on the proposal page, with JavaScript off."""

import csv
import io

from server.database import unit_of_work
from server.deliberation.service import cast_vote
from server.opendata.service import FILES
from server.people.models import Participant
from server.rounds.service import move_phase
from tests.factories import make_clause, make_member, make_need, make_round, publish_round
from tests.web.conftest import csrf_of
from tests.web.facilitation import my_round

NAMES = ("สมหญิง ทะเลงาม", "บุญมี หาดทราย", "ประเสริฐ คลื่นลม", "ปลัดสมศักดิ์ ราชการดี")


async def _round(committed, *, published: bool = True):
    async with unit_of_work(committed) as session:
        round_ = await make_round(session)
        villagers = [await make_member(session, round_, display_name=n) for n in NAMES[:3]]
        official = await make_member(session, round_, group_key="government", display_name=NAMES[3])
        await make_need(session, round_, villagers[0], title="น้ำกัดเซาะชายฝั่ง")
        clause = await make_clause(session, round_, text="รัฐจะออกโฉนดชุมชนภายในหนึ่งปี")
        facilitator = await session.get(Participant, round_.created_by_id)
        await move_phase(session, facilitator, round_.id, "deliberation")
        for person, choice in zip([*villagers, official], ["agree", "agree", "disagree", "agree"], strict=True):
            await cast_vote(session, person, clause.id, choice)
        if published:
            await publish_round(session, round_)
        people = [*villagers, official, facilitator]
    return round_, people


async def test_every_file_downloads_signed_out_without_anyones_name_or_id(client, committed):
    round_, people = await _round(committed)
    for name in FILES:
        got = await client.get(f"/rounds/{round_.slug}/open-data/{name}")
        assert got.status_code == 200, name
        for person in people:
            assert person.display_name.encode() not in got.content and str(person.id).encode() not in got.content
    votes = list(csv.DictReader(io.StringIO((await client.get(f"/rounds/{round_.slug}/open-data/votes.csv")).text)))
    government = next(v for v in votes if v["group"] == "government")
    assert government["agree"] == "" and government["shown"] == "false"  # one official: not told
    polis = (await client.get(f"/rounds/{round_.slug}/open-data/polis/votes.csv")).text
    assert polis.count("\n") == 1 + 3  # the header and the three villagers' votes
    package = await client.get(f"/rounds/{round_.slug}/open-data/datapackage.json")
    assert package.headers["content-type"].startswith("application/json") and package.json()["resources"]
    for unknown in ("secrets.csv", "polis/%2e%2e/needs.csv", "polis"):
        assert (await client.get(f"/rounds/{round_.slug}/open-data/{unknown}")).status_code == 404


async def test_an_unpublished_round_has_no_open_data_even_for_its_facilitator(client, committed):
    round_, _me = await my_round(client, committed)  # signed in as its facilitator
    async with unit_of_work(committed) as session:
        await make_clause(session, round_)
    client.cookies.set("lang", "en")
    for name in ("datapackage.json", "needs.csv", "polis/participants-votes.csv"):
        refused = await client.get(f"/rounds/{round_.slug}/open-data/{name}")
        assert refused.status_code == 404 and "no published proposal yet" in refused.text
    page = await client.get(f"/rounds/{round_.slug}/outcome")
    assert "/open-data/" not in page.text


async def test_the_outcome_page_links_the_files_and_names_the_licence(client, committed):
    round_, _ = await _round(committed)
    client.cookies.set("lang", "en")
    page = (await client.get(f"/rounds/{round_.slug}/outcome")).text
    assert "Open data" in page and "Creative Commons Attribution 4.0" in page and "CC-BY-4.0" in page
    for name in FILES:
        assert f'href="/rounds/{round_.slug}/open-data/{name}"' in page
    client.cookies.set("lang", "th")
    assert "ข้อมูลเปิด" in (await client.get(f"/rounds/{round_.slug}/outcome")).text


async def test_the_facilitator_sets_the_licence_without_javascript_and_others_cannot(client, committed):
    round_, _me = await my_round(client, committed)
    async with unit_of_work(committed) as session:
        await make_clause(session, round_)
        await publish_round(session, round_)
    client.cookies.set("lang", "en")
    page = await client.get(f"/facilitate/{round_.slug}/proposal")
    assert 'action="/facilitate/' + round_.slug + '/open-data-licence"' in page.text
    saved = await client.post(f"/facilitate/{round_.slug}/open-data-licence",
                              data={"licence": "CC0-1.0", "csrf_token": csrf_of(page)})
    assert saved.status_code == 303
    assert "Licence saved." in (await client.get(saved.headers["location"])).text
    outcome = (await client.get(f"/rounds/{round_.slug}/outcome")).text
    assert "Creative Commons Zero 1.0" in outcome
    package = (await client.get(f"/rounds/{round_.slug}/open-data/datapackage.json")).json()
    assert package["licenses"][0]["name"] == "CC0-1.0"

    wrong = await client.post(f"/facilitate/{round_.slug}/open-data-licence",
                              data={"licence": "All rights reserved", "csrf_token": csrf_of(page)})
    assert wrong.status_code == 422 and "CC-BY-4.0" in wrong.text

    other, _ = await _round(committed)  # a round this facilitator does not facilitate
    refused = await client.post(f"/facilitate/{other.slug}/open-data-licence",
                                data={"licence": "CC0-1.0", "csrf_token": csrf_of(page)})
    assert refused.status_code in (403, 404)
    assert "CC-BY-4.0" in (await client.get(f"/rounds/{other.slug}/open-data/LICENCE.txt")).text
