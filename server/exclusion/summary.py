"""Who is excluded, per declared group and area of a round: counts of the people who gave their exclusion
data, with the small-group rule (server/disclosure.py).

Every figure shown is a sum over base cells: one declared group in one district of the round's areas, or
in no district of them ("not said or elsewhere"). The base cells are fixed by the round's groups and areas,
never by the data, and a figure is shown outside the facilitators only when every base cell it adds up
reads 3 or more (`discloses_total`). So a province's figure, a group's total or the round's total never
shows while one of its districts reads "fewer than 3": subtracting what is shown, or asking the other
level, gives nothing hidden. Only members with a declared group who hold the "exclusion_data" consent
now are counted; facilitators and withdrawn people never are.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import or_, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from server.disclosure import PUBLIC, Audience, discloses_total
from server.people.models import REASONS, SERVICES, Community, ConsentRecord, ExclusionRecord, Participant
from server.reference.models import AdminArea
from server.rounds.access import standing
from server.rounds.models import Membership, Round, StakeholderGroup
from server.rounds.service import groups_of

Level = Literal["province", "district"]
LEVELS: tuple[Level, ...] = ("province", "district")
NOT_SAID = ""  # the area key of people who said no district of the round's areas
HEADLINE = ("answered", "no_id", "welfare_card", "disability_unregistered")
FIGURES = (*HEADLINE, *(f"missed:{s}" for s in SERVICES), *(f"reason:{r}" for r in REASONS))
NO_ID = ("pink_card", "none")

Cell = tuple[uuid.UUID, str]  # (group id, district code or NOT_SAID)


@dataclass(frozen=True)
class Row:
    """One group (None: all groups) in one area (None: all areas; NOT_SAID) with its figures; a figure is
    None where it reads "fewer than 3" for this reader."""

    group: StakeholderGroup | None
    area: str | None
    figures: dict[str, int | None]

    def __getitem__(self, figure: str) -> int | None:
        return self.figures[figure]

    @property
    def services(self) -> list[tuple[str, int | None]]:
        return [(s, self.figures[f"missed:{s}"]) for s in SERVICES]

    @property
    def reasons(self) -> list[tuple[str, int | None]]:
        return [(r, self.figures[f"reason:{r}"]) for r in REASONS]


@dataclass(frozen=True)
class Summary:
    round: Round
    level: Level
    audience: Audience
    areas: dict[str, AdminArea]  # the level's areas of the round, by code
    rows: list[Row]

    def row(self, group_key: str | None, area: str | None) -> Row:
        return next(r for r in self.rows if (r.group.key if r.group else None) == group_key and r.area == area)

    @property
    def total(self) -> Row:
        return self.row(None, None)

    @property
    def listed(self) -> list[Row]:
        """The rows of one group in one area worth a line: with people counted (facilitators), or whose
        number of people reads 3 or more (everyone else, who knows which figures read "fewer than 3")."""
        return [r for r in self.rows if r.group is not None and r.area is not None
                and (r["answered"] or 0) > 0]

    @property
    def by_group(self) -> list[Row]:
        return [r for r in self.rows if r.group is not None and r.area is None]


async def districts_of(session: AsyncSession, round_: Round) -> list[AdminArea]:
    """The districts within the round's areas (provinces, districts, or the districts of subdistricts)."""
    prefixes = sorted({code[:4] if len(code) > 4 else code for code in round_.area_codes})
    if not prefixes:
        return []
    return list(await session.scalars(select(AdminArea).where(
        AdminArea.level == "district", or_(*(AdminArea.code.startswith(p) for p in prefixes)))
        .order_by(AdminArea.code)))


async def _provinces(session: AsyncSession, districts: list[AdminArea]) -> list[AdminArea]:
    codes = sorted({d.code[:2] for d in districts})
    return list(await session.scalars(select(AdminArea).where(AdminArea.code.in_(codes)).order_by(AdminArea.code)))


async def _consenting(session: AsyncSession, people: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Of these people, those whose latest "exclusion_data" consent record grants it."""
    latest = await session.execute(
        select(ConsentRecord.participant_id, ConsentRecord.granted)
        .where(ConsentRecord.participant_id.in_(list(people)), ConsentRecord.purpose == "exclusion_data")
        .ext(distinct_on(ConsentRecord.participant_id))
        .order_by(ConsentRecord.participant_id, ConsentRecord.created_at.desc(), ConsentRecord.id.desc()))
    return {person for person, granted in latest if granted}


def _figures(record: ExclusionRecord) -> Counter[str]:
    counted: Counter[str] = Counter(answered=1)
    counted["no_id"] = int(record.id_document in NO_ID)
    counted["welfare_card"] = int(record.welfare_card == "has")
    counted["disability_unregistered"] = int(record.disability_card == "eligible_not_held")
    counted.update(f"missed:{s}" for s in record.services_missed)
    counted.update(f"reason:{r}" for r in record.reasons)
    return counted


async def _counts(session: AsyncSession, round_id: uuid.UUID, districts: set[str]) -> dict[Cell, Counter[str]]:
    rows = (await session.execute(
        select(ExclusionRecord, Membership.group_id, Community.area_code)
        .join(Membership, Membership.participant_id == ExclusionRecord.participant_id)
        .join(Participant, Participant.id == ExclusionRecord.participant_id)
        .outerjoin(Community, Community.id == Participant.community_id)
        .where(Membership.round_id == round_id, Membership.facilitates.is_(False),
               Membership.group_id.is_not(None), Participant.withdrawn_at.is_(None)))).all()
    consenting = await _consenting(session, (record.participant_id for record, _, _ in rows))
    counts: dict[Cell, Counter[str]] = {}
    for record, group_id, community_area in rows:
        if record.participant_id not in consenting or group_id is None:
            continue
        area = (record.area_code or community_area or "")[:4]  # their own answer first, else their community's
        cell = (group_id, area if area in districts else NOT_SAID)
        counts.setdefault(cell, Counter()).update(_figures(record))
    return counts


async def audience_for(session: AsyncSession, round_: Round, viewer: Participant | None) -> Audience:
    if viewer is None:
        return PUBLIC
    place = await standing(session, round_.id, viewer)
    return Audience(facilitator=place.facilitates, member=place.role is not None, person_id=viewer.id)


async def summary(session: AsyncSession, round_: Round, audience: Audience, level: Level = "province") -> Summary:
    """The round's exclusion figures at `level`, as `audience` may read them."""
    level = level if level in LEVELS else "province"
    groups = await groups_of(session, round_.id)
    districts = await districts_of(session, round_)
    areas = districts if level == "district" else await _provinces(session, districts)
    counts = await _counts(session, round_.id, {d.code for d in districts})
    width = 4 if level == "district" else 2
    cells: list[Cell] = [(g.id, d) for g in groups for d in [*(d.code for d in districts), NOT_SAID]]

    def in_area(district: str, area: str | None) -> bool:
        return area is None or (district[:width] == area if area else district == NOT_SAID)

    rows = []
    for group in [*groups, None]:
        for area in [*(a.code for a in areas), NOT_SAID, None]:
            parts = [counts.get(c, Counter()) for c in cells
                     if (group is None or c[0] == group.id) and in_area(c[1], area)]
            figures = {f: sum(p[f] for p in parts) if discloses_total(audience, [p[f] for p in parts]) else None
                       for f in FIGURES}
            rows.append(Row(group, area, figures))
    return Summary(round_, level, audience, {a.code: a for a in areas}, rows)
