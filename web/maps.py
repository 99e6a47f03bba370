"""Maps of Thailand drawn on the server as inline SVG: no script, no tiles, nothing fetched.

Province outlines are UN OCHA COD-AB (Royal Thai Survey Department) as simplified by piyayut-ch/mapthai
(server/reference/data/SOURCE.md); district circles sit at the mean of their subdistricts' lat/lon
(server/reference/district_centres.py). Colours and sizes are presentation attributes, not style=, which
the Content-Security-Policy refuses (web/security_headers.py). Everything is sized relative to the view,
so a map zoomed to a few provinces keeps the same line widths, circles and legend as the whole country.
"""

from __future__ import annotations

import csv
import json
import math
import re
from bisect import bisect_right
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from xml.sax.saxutils import escape

from markupsafe import Markup

from server.disclosure import fewer_than
from server.i18n import N_, translate
from server.reference.loader import DATA
from web.templating import locale as reader_locale

NO_DATA = N_("No data")
ATTRIBUTION = "Boundaries: OCHA/RTSD, CC BY-IGO"

# Equirectangular, x shrunk by cos(latitude) at the middle of Thailand so shapes are not stretched.
# 40 units a degree makes the country about 330 x 600: near CSS pixels on a phone, so 1 decimal is enough.
UNITS_PER_DEGREE = 40
WEST, NORTH, MID_LATITUDE = 97.3, 20.5, 13.0
SHRINK = math.cos(math.radians(MID_LATITUDE))
COUNTRY_WIDTH = 330  # units; sizes below are for a map this wide and scale with the view

# ColorBrewer Oranges, without its palest step so the lowest class stands apart from "no data":
# one hue, light to dark, safe for colour-blind readers and in greyscale.
ORANGES = ("#fdd0a2", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603")
FONTS = "system-ui,'Noto Sans Thai',Tahoma,sans-serif"  # ruam.css's, for the map shown on its own
NO_DATA_FILL, OUTLINE, LAND, TEXT, HIGHLIGHT = "#f0f0f0", "#8c8c8c", "#f4f4f4", "#222", "#000"
RADII = (3.0, 4.5, 6.0, 7.5, 9.0)  # district circles by class, so size and colour tell the same story
SMALL_RADIUS = 3.0  # "no data" and "fewer than 3" circles
CENTRE_SLACK = 0.15  # degrees: islands (Ko Yao, Ko Lanta, Ko Kut) lie outside the coarse outlines

Ring = list[tuple[int, int]]  # projected points in tenths of a unit
PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,40}")  # ids in the page: the title and the hatching
Kind = int | str  # a class index, "few" (fewer than 3) or "none" (no data)


def project(lon: float, lat: float) -> tuple[int, int]:
    """A point in tenths of a map unit, y downwards."""
    return (round((lon - WEST) * SHRINK * UNITS_PER_DEGREE * 10), round((NORTH - lat) * UNITS_PER_DEGREE * 10))


@dataclass(frozen=True)
class Province:
    code: str
    name_th: str
    name_en: str
    path: str  # the outline as SVG path data
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in tenths


@dataclass(frozen=True)
class District:
    code: str
    province_code: str
    name_th: str
    name_en: str
    point: tuple[int, int]


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _number(tenths: int) -> str:
    whole, part = divmod(abs(tenths), 10)
    text = str(whole) if not part else f"{whole or ''}.{part}"
    return f"-{text}" if tenths < 0 else text


def _numbers(values: Iterable[int]) -> str:
    """SVG numbers with no separator where a sign or a second decimal point already separates them."""
    out: list[str] = []
    for value in values:
        text = _number(value)
        if out and not (text[0] == "-" or (text[0] == "." and "." in out[-1])):
            out.append(" ")
        out.append(text)
    return "".join(out)


def _ring_path(ring: Ring) -> str:
    deltas = [c for (x0, y0), (x1, y1) in pairwise(ring) for c in (x1 - x0, y1 - y0)]
    return f"M{_numbers(ring[0])}l{_numbers(deltas)}z"


def _ring(coordinates: Sequence[Sequence[float]]) -> Ring:
    ring: Ring = []
    for lon, lat in coordinates:
        point = project(lon, lat)
        if not ring or ring[-1] != point:
            ring.append(point)
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring.pop()
    return ring


@cache
def provinces() -> dict[str, Province]:
    """The 77 provinces by 2-digit code, with their outlines projected once per process."""
    names = {r["province_code"]: r for r in _rows("provinces.csv")}
    with (DATA / "provinces_simplified.geojson").open(encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    found: dict[str, Province] = {}
    for feature in features:
        code = feature["properties"]["ADM1_PCODE"].removeprefix("TH")
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        rings = [r for polygon in polygons for r in map(_ring, polygon) if len(r) >= 3]
        xs, ys = [x for r in rings for x, _ in r], [y for r in rings for _, y in r]
        found[code] = Province(code, names[code]["name_th"], names[code]["name_en"],
                               "".join(map(_ring_path, rings)), (min(xs), min(ys), max(xs), max(ys)))
    return dict(sorted(found.items()))


@cache
def districts() -> dict[str, District]:
    """Districts that have a centre (server/reference/data/district_centres.csv), by 4-digit code."""
    names = {r["district_code"]: r for r in _rows("districts.csv")}
    return {r["district_code"]: District(r["district_code"], r["province_code"], names[r["district_code"]]["name_th"],
                                         names[r["district_code"]]["name_en"], project(float(r["lon"]), float(r["lat"])))
            for r in _rows("district_centres.csv")}


@cache
def district_codes() -> frozenset[str]:
    return frozenset(r["district_code"] for r in _rows("districts.csv"))


def without_centre(codes: Iterable[str]) -> list[str]:
    """The district codes district_map cannot place (no subdistrict of theirs has a lat/lon): a page lists them."""
    return sorted(set(codes) & district_codes() - districts().keys())


def number(value: float) -> str:
    """A figure as the legend and hover text show it: two significant decimals at most."""
    size = abs(value)
    text = f"{value:,.0f}" if size >= 100 else f"{value:.1f}" if size >= 10 else f"{value:.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def equal_breaks(values: Iterable[float], classes: int = 5) -> list[float]:
    """Class limits cutting the values' range into equal steps; one class when all values are equal."""
    shown = list(values)
    if not shown or min(shown) == max(shown):
        return []
    low, high = min(shown), max(shown)
    return [low + (high - low) * i / classes for i in range(1, classes)]


def classify(value: float, breaks: Sequence[float]) -> int:
    """The class of a value: 0 below the first limit; a value on a limit goes to the class above."""
    return bisect_right(breaks, value)


def palette(classes: int) -> list[str]:
    if classes == 1:
        return [ORANGES[2]]
    return [ORANGES[round(i * (len(ORANGES) - 1) / (classes - 1))] for i in range(classes)]


@dataclass(frozen=True)
class _Scale:
    """How each area is drawn: a class index, "few" or "none", its fill, its circle and its hover words."""

    breaks: list[float]
    colours: list[str]
    few: str
    no_data: str
    number: Callable[[float], str]
    hatch: str

    def kind(self, value: float | None, few: bool) -> Kind:
        if value is not None:
            return classify(value, self.breaks)
        return "few" if few else "none"

    def fill(self, kind: Kind) -> str:
        if isinstance(kind, int):
            return self.colours[kind]
        return f"url(#{self.hatch})" if kind == "few" else NO_DATA_FILL

    def radius(self, kind: Kind) -> float:
        if not isinstance(kind, int):
            return SMALL_RADIUS
        return RADII[-1] if len(self.colours) == 1 else RADII[round(kind * (len(RADII) - 1) / (len(self.colours) - 1))]

    def shown(self, value: float | None, kind: Kind) -> str:
        if value is not None:
            return self.number(value)
        return self.few if kind == "few" else self.no_data

    def entries(self, ranges: list[str], used: Collection[Kind]) -> list[tuple[Kind, str]]:
        """Darkest first, as the eye reads "more" at the top; "fewer than 3" and "no data" only when drawn."""
        entries: list[tuple[Kind, str]] = []
        for i in reversed(range(len(ranges))):
            entries.append((i, ranges[i]))
        entries += [(kind, self.few if kind == "few" else self.no_data) for kind in ("few", "none") if kind in used]
        return entries


def _ranges(scale: _Scale, shown: list[float], given: bool) -> list[str]:
    """Each class's words: from the lowest to the highest value, or open-ended when the caller chose the limits."""
    n, limits = scale.number, scale.breaks
    if not limits and not shown:
        return []  # nothing to class: the legend says only "no data" (and "fewer than 3")
    if not limits:
        low, high = min(shown, default=0.0), max(shown, default=0.0)
        return [n(low) if low == high else f"{n(low)}–{n(high)}"]
    middle = [f"{n(a)}–{n(b)}" for a, b in pairwise(limits)]
    if given:
        return [f"< {n(limits[0])}", *middle, f"≥ {n(limits[-1])}"]
    return [f"{n(min(shown))}–{n(limits[0])}", *middle, f"{n(limits[-1])}–{n(max(shown))}"]


def _scale(values: Mapping[str, float | None], breaks: Sequence[float] | None, language: str,
           fmt: Callable[[float], str], prefix: str) -> tuple[_Scale, list[str]]:
    shown = [v for v in values.values() if v is not None]
    limits = sorted(breaks) if breaks is not None else equal_breaks(shown)
    if len(limits) > len(ORANGES) - 1:
        raise ValueError(f"at most {len(ORANGES)} classes, so at most {len(ORANGES) - 1} breaks")
    scale = _Scale(limits, palette(len(limits) + 1), fewer_than(language), translate(NO_DATA, language), fmt,
                   f"{prefix}-h")
    return scale, _ranges(scale, shown, breaks is not None)


def _view(boxes: Iterable[tuple[int, int, int, int]]) -> tuple[int, int, int, int]:
    """x, y, width, height in tenths around the boxes, with a margin, never narrower than a small province."""
    found = list(boxes)
    x0, y0 = min(b[0] for b in found), min(b[1] for b in found)
    x1, y1 = max(b[2] for b in found), max(b[3] for b in found)
    margin = max(20, (x1 - x0) // 20, (y1 - y0) // 20)
    width, height = max(x1 - x0 + 2 * margin, 200), max(y1 - y0 + 2 * margin, 200)
    return ((x0 + x1) // 2 - width // 2, (y0 + y1) // 2 - height // 2, width, height)


def _overlaps(box: tuple[int, int, int, int], view: tuple[int, int, int, int]) -> bool:
    x, y, w, h = view
    return box[2] >= x and box[0] <= x + w and box[3] >= y and box[1] <= y + h


@dataclass(frozen=True)
class _Frame:
    """The view in tenths, the extra band below it for the legend when zoomed, and the size of a unit."""

    view: tuple[int, int, int, int]
    zoomed: bool
    unit: float  # tenths per display unit: 10 on the whole country, less when zoomed in

    def at(self, display: float) -> int:
        return round(display * self.unit)


def _frame(zoom: Collection[str], extra: Iterable[tuple[int, int, int, int]] = ()) -> _Frame:
    areas = provinces()
    unknown = sorted(set(zoom) - areas.keys())
    if unknown:
        raise ValueError(f"not province codes: {', '.join(unknown)}")
    if not zoom:
        view = _view(p.box for p in areas.values())
        return _Frame(view, False, 10.0)
    view = _view([*(areas[c].box for c in zoom), *extra])
    whole = _view(p.box for p in areas.values())
    return _Frame(view, True, 10.0 * view[2] / whole[2])


def _legend(frame: _Frame, scale: _Scale, entries: list[tuple[Kind, str]], heading: str | None,
            swatch: Callable[[Kind, int, int, int], str], size: float = 12) -> tuple[str, int]:
    """The legend rows (swatch and words) and how many tenths the view grows by to hold them.

    On the whole country it sits in the sea off the south-east; zoomed in, in a band under the map."""
    x, y, w, h = frame.view
    side, pad = frame.at(size), frame.at(4)
    row = side + frame.at(5)
    rows = len(entries) + (1 if heading else 0)
    if frame.zoomed:
        left, top, grow = x + pad, y + h + pad, rows * row + 2 * pad + frame.at(10)
    else:
        left, top, grow = x + w - frame.at(130), y + h - rows * row - frame.at(12), 0
    baseline = side // 2 + frame.at(4)
    parts = [f'<g font-size="{_number(frame.at(11))}">']
    line = top
    if heading:
        parts.append(f'<text x="{_number(left)}" y="{_number(line + baseline)}" font-weight="bold">'
                     f"{escape(heading)}</text>")
        line += row
    for kind, words in entries:
        parts.append(swatch(kind, left, line, side))
        parts.append(f'<text x="{_number(left + side + pad)}" y="{_number(line + baseline)}">{escape(words)}</text>')
        line += row
    parts.append("</g>")
    parts.append(f'<text x="{_number(x + pad)}" y="{_number(y + h + grow - frame.at(3))}" '
                 f'font-size="{_number(frame.at(7))}" fill="#555">{ATTRIBUTION}</text>')
    return "".join(parts), grow


def _svg(frame: _Frame, grow: int, title: str, prefix: str, body: Iterable[str]) -> Markup:
    if not PREFIX.fullmatch(prefix):
        raise ValueError(f"id_prefix must be letters, digits and dashes: {prefix!r}")
    x, y, w, h = frame.view
    hatch = _number(frame.at(4))
    defs = (f'<defs><pattern id="{prefix}-h" width="{hatch}" height="{hatch}" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="{hatch}" height="{hatch}" fill="#fff"/>'
            f'<path d="M0 0v{hatch}" stroke="#737373" stroke-width="{_number(frame.at(1.6))}"/></pattern></defs>')
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="map" viewBox="{_numbers((x, y, w, h + grow))}" '
            f'role="img" aria-labelledby="{prefix}-t" font-family="{FONTS}" fill="{TEXT}">'
            f'<title id="{prefix}-t">{escape(title)}</title>')
    return Markup(head + defs + "".join(body) + "</svg>")  # noqa: S704 -- every name and word escaped above


def _hover(name: str, shown: str) -> str:
    return f"<title>{escape(name)}: {escape(shown)}</title>"


def _outline(path: str, frame: _Frame) -> str:
    return (f'<path d="{path}" fill="none" stroke="{HIGHLIGHT}" stroke-width="{_number(frame.at(2.2))}" '
            f'stroke-linejoin="round"/>')


def _check(codes: Iterable[str], known: Collection[str], what: str) -> None:
    unknown = sorted(set(codes) - set(known))
    if unknown:
        raise ValueError(f"not {what} codes: {', '.join(unknown[:10])}")


def province_map(values: Mapping[str, float | None], *, title: str, labels: Mapping[str, str] | None = None,
                 highlight: str | None = None, few: Collection[str] = (), zoom: Collection[str] = (),
                 breaks: Sequence[float] | None = None, legend: str | None = None,
                 number: Callable[[float], str] = number, locale: str | None = None,
                 id_prefix: str = "map") -> Markup:
    """A choropleth of Thailand's provinces, as an inline SVG element.

    values: figure by 2-digit province code; a province left out, or None, reads "no data", or "fewer than 3"
    when its code is also in `few` (a figure withheld because it rests on too few people). labels: the name
    shown on hover per code (default: provinces.csv in the reader's language). breaks: up to 4 class limits
    (default: the values' range cut into 5 equal steps). legend: a heading over the legend (what is counted).
    zoom: province codes to frame (default: the whole country; provinces outside the view are left out).
    locale: "th" or "en" (default: the reader's). id_prefix: unique per map on one page.
    """
    areas = provinces()
    _check([*values, *few, *([highlight] if highlight else [])], areas, "province")
    language = locale or reader_locale.get()
    names = labels or {}
    scale, ranges = _scale(values, breaks, language, number, id_prefix)
    frame = _frame(zoom)
    grouped: dict[Kind, list[str]] = {}
    for code, area in areas.items():
        if not _overlaps(area.box, frame.view):
            continue
        value = values.get(code)
        kind = scale.kind(value, code in few)
        name = names.get(code) or (area.name_th if language == "th" else area.name_en)
        grouped.setdefault(kind, []).append(
            f'<path data-code="{code}" d="{area.path}">{_hover(name, scale.shown(value, kind))}</path>')
    body = [f'<g stroke="{OUTLINE}" stroke-width="{_number(frame.at(0.6))}" stroke-linejoin="round">']
    body += [f'<g fill="{scale.fill(kind)}">{"".join(paths)}</g>' for kind, paths in grouped.items()]
    body.append("</g>")
    if highlight:
        body.append(_outline(areas[highlight].path, frame))

    def square(kind: Kind, x: int, y: int, side: int) -> str:
        return (f'<rect x="{_number(x)}" y="{_number(y)}" width="{_number(side)}" height="{_number(side)}" '
                f'fill="{scale.fill(kind)}" stroke="{OUTLINE}" stroke-width="{_number(frame.at(0.6))}"/>')

    key, grow = _legend(frame, scale, scale.entries(ranges, grouped), legend, square)
    return _svg(frame, grow, title, id_prefix, [*body, key])


def district_map(values: Mapping[str, float | None], *, title: str, labels: Mapping[str, str] | None = None,
                 highlight: str | None = None, few: Collection[str] = (), zoom: Collection[str] = (),
                 breaks: Sequence[float] | None = None, legend: str | None = None,
                 number: Callable[[float], str] = number, locale: str | None = None,
                 id_prefix: str = "map") -> Markup:
    """Province outlines in grey with one circle per district in `values` (4-digit codes), coloured and sized
    by class, as an inline SVG element.

    A district with None reads "no data", or "fewer than 3" when also in `few`. Districts with no centre
    (without_centre(): all of Bangkok's) cannot be drawn; list them beside the map. highlight: a province or
    district code, outlined in black. zoom: province codes to frame, their islands' districts included.
    Other arguments as province_map.
    """
    areas, points = provinces(), districts()
    _check([*values, *few], district_codes(), "district")
    _check([highlight] if highlight else [], {*areas, *points}, "province or district")
    language = locale or reader_locale.get()
    names = labels or {}
    scale, ranges = _scale(values, breaks, language, number, id_prefix)
    slack = round(CENTRE_SLACK * UNITS_PER_DEGREE * 10)
    islands = [(x - slack, y - slack, x + slack, y + slack)
               for d in points.values() if d.province_code in zoom for x, y in [d.point]]
    frame = _frame(zoom, islands)
    outlines = "".join(a.path for a in areas.values() if _overlaps(a.box, frame.view))
    body = [f'<path d="{outlines}" fill="{LAND}" stroke="{OUTLINE}" stroke-width="{_number(frame.at(0.6))}" '
            f'stroke-linejoin="round"/>']
    if highlight in areas:
        body.append(_outline(areas[highlight].path, frame))
    grouped: dict[Kind, list[str]] = {}
    for code in sorted(set(values) | set(few)):
        district = points.get(code)
        if district is None:
            continue
        value = values.get(code)
        kind = scale.kind(value, code in few)
        name = names.get(code) or (district.name_th if language == "th" else district.name_en)
        ring = f' stroke="{HIGHLIGHT}" stroke-width="{_number(frame.at(2))}"' if code == highlight else ""
        grouped.setdefault(kind, []).append(
            f'<circle data-code="{code}" cx="{_number(district.point[0])}" cy="{_number(district.point[1])}" '
            f'r="{_number(frame.at(scale.radius(kind)))}"{ring}>{_hover(name, scale.shown(value, kind))}</circle>')
    body.append(f'<g stroke="#fff" stroke-width="{_number(frame.at(0.6))}">')
    # the biggest first, so that small circles stay on top where districts crowd together
    # white rims part crowded circles; grey ones keep "no data" and "fewer than 3" visible on the grey land
    grey = f' stroke="{OUTLINE}"'
    body += [f'<g fill="{scale.fill(kind)}"{"" if isinstance(kind, int) else grey}>{"".join(grouped[kind])}</g>'
             for kind in sorted(grouped, key=scale.radius, reverse=True)]
    body.append("</g>")

    def circle(kind: Kind, x: int, y: int, side: int) -> str:
        return (f'<circle cx="{_number(x + side // 2)}" cy="{_number(y + side // 2)}" '
                f'r="{_number(frame.at(scale.radius(kind)))}" fill="{scale.fill(kind)}" stroke="{OUTLINE}" '
                f'stroke-width="{_number(frame.at(0.6))}"/>')

    key, grow = _legend(frame, scale, scale.entries(ranges, grouped), legend, circle, size=2 * RADII[-1])
    return _svg(frame, grow, title, id_prefix, [*body, key])
