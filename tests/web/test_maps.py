"""The server-drawn maps (web/maps.py): well-formed SVG with every province once, the right class for each
figure, "no data" and "fewer than 3" set apart, districts where they belong, and small enough for a phone."""

from __future__ import annotations

import csv
import gzip
import re
import time
import xml.etree.ElementTree as ET

import pytest

from server.disclosure import fewer_than
from server.reference.district_centres import CENTRES, centres
from server.reference.loader import DATA
from web.maps import (
    NO_DATA_FILL,
    ORANGES,
    UNITS_PER_DEGREE,
    district_map,
    districts,
    province_map,
    provinces,
    without_centre,
)

SVG = "{http://www.w3.org/2000/svg}"
PROVINCE_CODES = [r["province_code"] for r in csv.DictReader((DATA / "provinces.csv").open(encoding="utf-8"))]
TOKENS = re.compile(r"[MlLz]|-?(?:\d+\.?\d*|\.\d+)")


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 -- the map this test just drew, no outside XML


def fills(svg: str, tag: str) -> dict[str, str]:
    """Each area's fill by its data-code: areas take the fill of the group around them."""
    found: dict[str, str] = {}
    for group in parse(svg).iter(f"{SVG}g"):
        for area in group.findall(f"{SVG}{tag}"):
            found[area.get("data-code", "")] = group.get("fill", "")
    return found


def hovers(svg: str, tag: str) -> dict[str, str]:
    return {area.get("data-code", ""): area.findtext(f"{SVG}title", "")
            for area in parse(svg).iter(f"{SVG}{tag}") if area.get("data-code")}


def box(path: str) -> tuple[float, float, float, float]:
    """The bounding box of an outline drawn as M x y l dx dy ... z rings."""
    xs: list[float] = []
    ys: list[float] = []
    command, numbers, x, y = "", [], 0.0, 0.0
    for token in [*TOKENS.findall(path), "M"]:
        if token in "MlLz":
            pairs = list(zip(numbers[::2], numbers[1::2], strict=True))
            for i, (a, b) in enumerate(pairs):
                x, y = (a, b) if command == "M" and i == 0 else (x + a, y + b)
                xs.append(x)
                ys.append(y)
            command, numbers = token, []
        else:
            numbers.append(float(token))
    return min(xs), min(ys), max(xs), max(ys)


def test_the_whole_country_is_valid_svg_with_every_province_once_and_stays_small():
    assert (DATA / "provinces_simplified.geojson").is_file()
    values = {code: float(i) for i, code in enumerate(PROVINCE_CODES)}
    started = time.perf_counter()
    svg = province_map(values, title="Flood risk", locale="th", highlight="91")
    took = time.perf_counter() - started
    root = parse(svg)
    codes = [p.get("data-code") for p in root.iter(f"{SVG}path") if p.get("data-code")]
    assert sorted(codes) == sorted(PROVINCE_CODES) and len(codes) == 77
    raw, packed = len(svg.encode()), len(gzip.compress(svg.encode()))
    print(f"\nprovince map: {raw} B raw, {packed} B gzipped, drawn in {took * 1000:.1f} ms (first call, outlines read)")
    assert raw < 60_000


def test_it_names_itself_for_screen_readers_and_carries_no_style_or_script():
    svg = province_map({"91": 1.0}, title='Risk <script>alert(1)</script> & "more"', id_prefix="risk-1",
                       labels={"91": "Satun <b>&"}, locale="en")
    root = parse(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "risk-1-t"
    assert root.find(f"{SVG}title[@id='risk-1-t']").text == 'Risk <script>alert(1)</script> & "more"'
    assert not [e for e in root.iter() if "style" in e.attrib or e.tag in (f"{SVG}style", f"{SVG}script")]
    assert hovers(svg, "path")["91"] == "Satun <b>&: 1"
    with pytest.raises(ValueError, match="id_prefix"):
        province_map({}, title="x", id_prefix='a" onload="x')


def test_figures_fall_into_the_class_of_their_limits():
    breaks = [10, 20, 30, 40]
    values: dict[str, float | None] = {"91": 5, "85": 10, "82": 25, "58": 39.9, "10": 40, "50": 1000}
    svg = province_map(values, title="t", breaks=breaks, locale="en")
    drawn = fills(svg, "path")
    assert [ORANGES.index(drawn[c]) for c in ("91", "85", "82", "58", "10", "50")] == [0, 1, 2, 3, 4, 4]
    legend = [t.text for t in parse(svg).iter(f"{SVG}text")]
    assert legend[:5] == ["≥ 40", "30–40", "20–30", "10–20", "< 10"]


def test_equal_steps_between_the_lowest_and_highest_figure_by_default():
    svg = province_map({"91": 0, "85": 19.9, "82": 20, "58": 50, "10": 100}, title="t", locale="en")
    drawn = fills(svg, "path")
    assert [ORANGES.index(drawn[c]) for c in ("91", "85", "82", "58", "10")] == [0, 0, 1, 2, 4]


def test_no_data_and_fewer_than_3_are_their_own_classes_with_their_own_words():
    values: dict[str, float | None] = {"91": 3.0, "85": None, "82": None}
    for locale, no_data in (("en", "No data"), ("th", "ไม่มีข้อมูล")):
        svg = province_map(values, title="t", few={"82"}, locale=locale)
        drawn = fills(svg, "path")
        assert drawn["85"] == NO_DATA_FILL and drawn["58"] == NO_DATA_FILL  # None, and left out
        assert drawn["82"] == "url(#map-h)" and drawn["91"] in ORANGES
        legend = [t.text for t in parse(svg).iter(f"{SVG}text")]
        assert fewer_than(locale) in legend and no_data in legend
        said = hovers(svg, "path")
        assert said["82"].endswith(f": {fewer_than(locale)}") and said["85"].endswith(f": {no_data}")
    assert hovers(province_map(values, title="t", locale="th"), "path")["91"] == "สตูล: 3"
    everything = province_map(dict.fromkeys(PROVINCE_CODES, 1.0), title="t", locale="en")
    assert "No data" not in [t.text for t in parse(everything).iter(f"{SVG}text")]


def test_a_zoomed_map_frames_the_pilot_provinces_and_leaves_far_ones_out():
    whole = parse(province_map({}, title="t"))
    zoomed_svg = province_map({"91": 1.0}, title="t", zoom={"91", "85", "82"})
    zoomed = parse(zoomed_svg)
    assert float(zoomed.get("viewBox", "").split()[2]) < float(whole.get("viewBox", "").split()[2]) / 2
    codes = set(fills(zoomed_svg, "path"))
    assert {"91", "85", "82"} <= codes and "50" not in codes  # Chiang Mai is far north
    with pytest.raises(ValueError, match="99"):
        province_map({}, title="t", zoom={"99"})


def test_district_circles_sit_in_their_province():
    outlines = {code: box(p.path) for code, p in provinces().items()}
    svg = district_map(dict.fromkeys(districts(), 1.0), title="t")
    circles = list(parse(svg).iter(f"{SVG}circle"))
    placed = {c.get("data-code"): (float(c.get("cx", "")), float(c.get("cy", ""))) for c in circles if c.get("data-code")}
    assert len(placed) == len(districts()) > 850
    slack = 0.15 * UNITS_PER_DEGREE  # islands the coarse outlines dropped: Ko Yao, Ko Lanta, Ko Kut
    astray = [code for code, (x, y) in placed.items()
              if not (outlines[code[:2]][0] - slack <= x <= outlines[code[:2]][2] + slack
                      and outlines[code[:2]][1] - slack <= y <= outlines[code[:2]][3] + slack)]
    assert astray == []
    sample = ["9101", "8501", "8203", "5801", "5001"]  # Mueang Satun, Ranong, Takua Pa, Mae Hong Son, Chiang Mai
    for code in sample:
        x0, y0, x1, y1 = outlines[code[:2]]
        assert x0 <= placed[code][0] <= x1 and y0 <= placed[code][1] <= y1, code


def test_district_classes_sizes_and_the_districts_that_cannot_be_placed():
    values: dict[str, float | None] = {"9101": 1.0, "9102": 9.0, "9103": None, "9104": None, "1001": 4.0}
    svg = district_map(values, title="t", few={"9104"}, zoom={"91"}, highlight="9101", locale="en")
    drawn = fills(svg, "circle")
    assert drawn["9101"] == ORANGES[0] and drawn["9102"] == ORANGES[-1]
    assert drawn["9103"] == NO_DATA_FILL and drawn["9104"] == "url(#map-h)"
    assert "1001" not in drawn and without_centre(values) == ["1001"]  # Bangkok's districts have no centre
    radius = {c.get("data-code"): float(c.get("r", "")) for c in parse(svg).iter(f"{SVG}circle")}
    assert radius["9102"] > radius["9101"]
    raw = len(svg.encode())
    print(f"\ndistrict map of Satun: {raw} B raw, {len(gzip.compress(svg.encode()))} B gzipped")
    with pytest.raises(ValueError, match="9999"):
        district_map({"9999": 1.0}, title="t")


def test_the_bundled_district_centres_are_what_the_script_makes():
    with CENTRES.open(encoding="utf-8", newline="") as handle:
        assert list(csv.DictReader(handle)) == centres()
    satun = [r for r in csv.DictReader((DATA / "subdistricts.csv").open(encoding="utf-8"))
             if r["district_code"] == "9101" and r["lat"]]
    row = next(r for r in centres() if r["district_code"] == "9101")
    assert float(row["lat"]) == pytest.approx(sum(float(r["lat"]) for r in satun) / len(satun), abs=1e-4)


def test_a_map_with_no_figures_has_only_no_data_in_its_legend():
    svg = province_map({"91": None}, title="t", locale="en")
    assert set(fills(svg, "path").values()) == {NO_DATA_FILL}
    assert [t.text for t in parse(svg).iter(f"{SVG}text")][:-1] == ["No data"]  # then the attribution
