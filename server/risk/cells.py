"""Needs added up into cells of area × sector × hazard × declared group: pure, so the numbers can be worked by hand.

Small groups (server/disclosure.py). Every cell is built from parts: the needs of one round, one subdistrict, one
sector, one hazard and one group as the reader may see it. A part resting on fewer than 3 people (distinct authors;
a meeting entered by proxy counts as its head count) is left out of every figure shown outside the round's
facilitators: a cell at any level, a ranking and a total add up only the parts shown, and say how many they left
out. So no figure is the sum of a hidden part and shown ones, and nothing shown, at one level or between two (a
district's cell minus its subdistricts' cells, a group's total minus its cells), gives a hidden part back. Which
parts were left out is public anyway: at subdistrict level each reads "fewer than 3".

A group of fewer than 3 members is not named outside the facilitators: its needs are read as needs of no group
before anything is counted, as server/consolidation/rules.py files them.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from server.disclosure import small

LEVELS = {"province": 2, "district": 4, "subdistrict": 6}
NO_HAZARD = "none"  # the hazard a need with none is counted under
UNKNOWN_PEOPLE_COUNTS_AS = 1  # a need whose head count nobody gave weighs as one person: the one who told it


@dataclass(frozen=True)
class NeedRow:
    """One open need, as the aggregation reads it."""

    id: uuid.UUID
    round_id: uuid.UUID
    area_code: str  # a subdistrict
    sector: str
    hazards: tuple[str, ...]
    severity: int  # 1..5
    people_affected: int | None  # None: nobody said
    group: str | None  # the declared group's key as the reader may see it: None for none, or one not named
    person: str  # whom it rests on: its author, or the meeting a proxy entered it for
    stands_for: int  # how many people that is: 1, or the meeting's head count
    adopted: bool  # linked to a clause adopted in the round's latest published proposal
    full_view: bool  # the reader facilitates its round, and sees every figure of it


def need_score(severity: int, people_affected: int | None) -> float:
    """severity / 5 × people affected, a need nobody counted weighing as one person."""
    return severity / 5 * (people_affected if people_affected is not None else UNKNOWN_PEOPLE_COUNTS_AS)


@dataclass(frozen=True)
class Figures:
    needs: int
    people_affected: int  # the sum of the counts given
    people_unknown: int  # needs nobody counted
    severity_mean: float
    severity_max: int
    score: float
    answered_share: float  # of its needs, the share a clause adopted in a published proposal answers


def figures(needs: Sequence[NeedRow]) -> Figures:
    counted = [n.people_affected for n in needs if n.people_affected is not None]
    return Figures(
        needs=len(needs), people_affected=sum(counted), people_unknown=len(needs) - len(counted),
        severity_mean=round(sum(n.severity for n in needs) / len(needs), 2),
        severity_max=max(n.severity for n in needs),
        score=round(sum(need_score(n.severity, n.people_affected) for n in needs), 1),
        answered_share=round(sum(n.adopted for n in needs) / len(needs), 3))


@dataclass(frozen=True)
class Cell:
    area_code: str
    sector: str
    hazard: str
    group: str | None
    figures: Figures | None  # None: every part of it rests on fewer than 3 people ("fewer than 3")
    left_out: int  # parts resting on fewer than 3 people, not counted in its figures
    counted: tuple[NeedRow, ...] = field(repr=False, default=())  # the needs its figures add up

    @property
    def small(self) -> bool:
        return self.figures is None


@dataclass(frozen=True)
class Ranked:
    """A group or an area, with what its cells add up to (shown cells only)."""

    key: str | None  # a group's key (None: no group, or one not named) or an area's code
    score: float  # the sum of its cells' scores: a need counts once per hazard it faces
    needs: int  # each need once
    people_affected: int
    people_unknown: int
    cells: int  # cells counted
    left_out: int  # parts resting on fewer than 3 people, not counted


@dataclass(frozen=True)
class Aggregate:
    cells: list[Cell]
    groups: list[Ranked]
    areas: list[Ranked]


@dataclass
class _Part:
    full_view: bool
    needs: list[NeedRow] = field(default_factory=list)
    people: dict[str, int] = field(default_factory=dict)

    @property
    def shown(self) -> bool:
        return self.full_view or not small(sum(self.people.values()))


def aggregate(rows: Iterable[NeedRow], level: str, hazard: str | None = None) -> Aggregate:
    """Cells at `level` (province, district or subdistrict), only `hazard`'s when given, most at risk first."""
    digits = LEVELS[level]
    parts: dict[tuple[uuid.UUID, str, str, str, str | None], _Part] = {}
    for row in rows:
        for faced in row.hazards or (NO_HAZARD,):
            if hazard is not None and faced != hazard:
                continue
            part = parts.setdefault((row.round_id, row.area_code, row.sector, faced, row.group), _Part(row.full_view))
            part.needs.append(row)
            part.people[row.person] = max(part.people.get(row.person, 0), row.stands_for)
    shown: dict[tuple[str, str, str, str | None], list[NeedRow]] = defaultdict(list)
    left_out: dict[tuple[str, str, str, str | None], int] = defaultdict(int)
    for (_, area, sector, faced, group), part in parts.items():
        key = (area[:digits], sector, faced, group)
        if part.shown:
            shown[key].extend(part.needs)
        else:
            left_out[key] += 1
    cells = [Cell(*key, figures=figures(shown[key]) if shown.get(key) else None, left_out=left_out.get(key, 0),
                  counted=tuple(shown.get(key, ())))
             for key in shown.keys() | left_out.keys()]
    cells = sort_cells(cells, "score")
    return Aggregate(cells, rank(cells, lambda c: c.group), rank(cells, lambda c: c.area_code))


def rank(cells: Sequence[Cell], by: Callable[[Cell], str | None]) -> list[Ranked]:
    """Cells added up per `by(cell)`, the largest score first. Shown cells only: a hidden part is in no total."""
    grouped: dict[str | None, list[Cell]] = defaultdict(list)
    for cell in cells:
        grouped[by(cell)].append(cell)
    ranked = []
    for key, own in grouped.items():
        needs = {n.id: n for c in own for n in c.counted}
        counted = [n.people_affected for n in needs.values() if n.people_affected is not None]
        ranked.append(Ranked(
            key=key, score=round(sum(c.figures.score for c in own if c.figures), 1), needs=len(needs),
            people_affected=sum(counted), people_unknown=len(needs) - len(counted),
            cells=sum(1 for c in own if c.figures), left_out=sum(c.left_out for c in own)))
    return sorted(ranked, key=lambda r: (-r.score, -r.needs, r.key or "~"))


# how each column sorts: text columns A to Z, numbers largest first; "-column" the other way round
TEXT_SORTS = {"area": lambda c: c.area_code, "sector": lambda c: c.sector, "hazard": lambda c: c.hazard,
              "group": lambda c: c.group or "~"}
NUMBER_SORTS = {"needs": "needs", "people": "people_affected", "severity_mean": "severity_mean",
                "severity_max": "severity_max", "score": "score", "answered": "answered_share"}
SORTS = (*TEXT_SORTS, *NUMBER_SORTS)


def sort_cells(cells: Sequence[Cell], sort: str) -> list[Cell]:
    """Cells in the order a column asks; cells reading "fewer than 3" come last whatever the order."""
    reverse = sort.startswith("-")
    column = sort.removeprefix("-")
    tie = sorted(cells, key=lambda c: (c.area_code, c.sector, c.hazard, c.group or "~"))
    if column in TEXT_SORTS:
        ordered = sorted(tie, key=TEXT_SORTS[column], reverse=reverse)
    else:
        name = NUMBER_SORTS.get(column, "score")

        def number(c: Cell) -> float:
            return float(getattr(c.figures, name)) if c.figures else 0.0
        ordered = sorted(tie, key=number, reverse=not reverse)
    return [c for c in ordered if c.figures] + [c for c in ordered if not c.figures]
