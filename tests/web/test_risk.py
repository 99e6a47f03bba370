"""The climate-risk pages with JavaScript off: plain GETs, a filter form, sort links, downloads, and the small
parts left out for a member of the round (tests/risk_fixture.py has the needs and the figures)."""

import csv
import io
import re

from server.auth.service import create_invites
from server.database import unit_of_work
from tests.risk_fixture import make_picture
from tests.web.conftest import join_with_code
from tests.web.facilitation import sign_in_as

EN = {"Accept-Language": "en"}


async def _member_of_fishing(client, committed):
    """A fishers' member signed in on `client` (a fifth fisher, who joined by invitation)."""
    async with unit_of_work(committed) as session:
        picture = await make_picture(session)
        [(_, code)] = await create_invites(session, picture.facilitator, picture.fishing.id, group_key="fishers")
    await join_with_code(client, code)
    await client.get("/?lang=en")  # the choice is kept in a cookie; joining chose Thai
    return picture


def _rows(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in body.split("<tr>")[1:]]


async def test_a_member_reads_the_table_with_the_small_parts_left_out(client, committed):
    picture = await _member_of_fishing(client, committed)
    page = await client.get(f"/rounds/{picture.fishing.slug}/risk?level=district", headers=EN)
    assert page.status_code == 200
    rows = _rows(page.text)
    # 9101 storm fishers adds up A B C only: D's part (one person) is left out, so 120.6 - 116.6 cannot be done
    assert any("Mueang Satun" in r and "Storm" in r and "Fishers" in r and "116.6" in r for r in rows)
    assert "120.6" not in page.text and "Moken" not in page.text and "มอแกน" not in page.text
    assert any("fewer than 3" in r for r in rows)
    assert "No published proposal yet" in page.text
    assert '<svg' in page.text  # the map, drawn on the server


async def test_columns_sort_by_links_and_the_filters_are_a_get_form(client, committed):
    picture = await _member_of_fishing(client, committed)
    base = f"/rounds/{picture.fishing.slug}/risk"
    page = await client.get(f"{base}?level=subdistrict", headers=EN)
    assert re.search(r'<form method="get" action="' + re.escape(base) + '"', page.text)
    links = re.findall(r'<th scope="col"[^>]*><a href="([^"]+)"', page.text)
    assert f"{base}?level=subdistrict&amp;sort=needs" in links and len(links) == 10
    assert 'aria-sort="descending"><a href="' + f"{base}?level=subdistrict&amp;sort=-score" in page.text
    by_area = _rows((await client.get(f"{base}?level=subdistrict&sort=-area", headers=EN)).text)
    shown = [r for r in by_area if "fewer than" not in r]
    assert [r.split(" ")[0] for r in shown] == ["Khlong", "Phiman"]  # Z to A; the small rows last
    flood = _rows((await client.get(f"{base}?level=subdistrict&hazard=flood", headers=EN)).text)
    assert len(flood) == 1 and "0.6" in flood[0]


async def test_a_wrong_filter_comes_back_saying_why_with_what_was_chosen(client, committed):
    picture = await _member_of_fishing(client, committed)
    page = await client.get(f"/rounds/{picture.fishing.slug}/risk?level=province&area=9101", headers=EN)
    assert page.status_code == 422
    assert 'role="alert"' in page.text and "smaller than this level" in page.text
    assert 'value="9101"' in page.text and '<option value="province" selected>' in page.text


async def test_the_downloads_hold_the_same_cells_with_the_same_figures_left_out(client, committed):
    picture = await _member_of_fishing(client, committed)
    base = f"/rounds/{picture.fishing.slug}/risk"
    page = await client.get(f"{base}?level=district&hazard=storm", headers=EN)
    assert f'href="{base}.csv?level=district&amp;hazard=storm"' in page.text
    table = list(csv.DictReader(io.StringIO((await client.get(f"{base}.csv?level=district&hazard=storm")).text)))
    storm = next(r for r in table if r["group"] == "fishers")
    assert (storm["score"], storm["leftOut"], storm["small"]) == ("116.6", "1", "false")
    hidden = next(r for r in table if r["group"] == "")
    assert (hidden["score"], hidden["needs"], hidden["small"]) == ("", "", "true")
    data = (await client.get(f"{base}.json?level=district&hazard=storm")).json()
    assert [c["score"] for c in data["cells"]] == [116.6, None]
    assert data["ranking"]["groups"][0] == {"key": "fishers", "name": "Fishers", "score": 116.6, "needs": 3,
                                            "peopleAffected": 120, "peopleUnknown": 1, "cells": 1, "leftOut": 1}
    assert "moken" not in str(data) and "มอแกน" not in str(data)


async def test_the_rounds_facilitator_reads_every_figure(client, committed):
    me = await sign_in_as(client, committed)
    async with unit_of_work(committed) as session:
        picture = await make_picture(session, facilitator=me)
    page = await client.get(f"/rounds/{picture.fishing.slug}/risk?level=district", headers=EN)
    assert "120.6" in page.text and "Moken" in page.text
    farming = await client.get(f"/rounds/{picture.farming.slug}/risk", headers=EN)
    assert any("Farmers" in r and "48.8" in r and "67%" in r for r in _rows(farming.text))
    # across rounds: staff read every round's needs (other tests' rounds too, so only what is there is checked)
    across = _rows((await client.get("/risk?level=province&area=91", headers=EN)).text)
    assert any("Farmers" in r for r in across) and any("Moken" in r for r in across)


async def test_only_those_who_read_a_rounds_needs_open_its_risk_page(client, committed):
    async with unit_of_work(committed) as session:
        picture = await make_picture(session)
        [(_, code)] = await create_invites(session, picture.facilitator, picture.farming.id, group_key="farmers")
    anonymous = await client.get(f"/rounds/{picture.fishing.slug}/risk")
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/join"
    assert (await client.get("/risk.csv")).status_code == 303
    await join_with_code(client, code)  # a farmer: another round's member
    assert (await client.get(f"/rounds/{picture.fishing.slug}/risk")).status_code == 403
    assert (await client.get(f"/rounds/{picture.fishing.slug}/risk.json")).status_code == 403
    mine = await client.get("/risk.json?level=province")
    assert {c["group"] for c in mine.json()["cells"]} == {"farmers"}
    # who is left out: a link to the summary of each round read, no other round named
    page = (await client.get("/risk")).text
    assert f'href="/rounds/{picture.farming.slug}/exclusion?level=province"' in page
    assert picture.fishing.slug not in page


async def test_the_page_fits_the_budget_for_slow_networks(client, committed):
    picture = await _member_of_fishing(client, committed)
    page = await client.get(f"/rounds/{picture.fishing.slug}/risk", headers={"Accept-Encoding": "gzip"})
    total = page.num_bytes_downloaded
    for asset in re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text):
        total += (await client.get(asset, headers={"Accept-Encoding": "gzip"})).num_bytes_downloaded
    print(f"\nrisk page: html {page.num_bytes_downloaded} B, with CSS and JS {total} B compressed")
    assert total <= 30 * 1024
