"""Climate risk: the needs of the rounds the caller reads, added up by area, sector, hazard and group
(server/risk/, docs/risk.md)."""

from __future__ import annotations

from enum import Enum

import strawberry

from schema import ids
from schema.context import Info
from schema.permissions import facilitated_rounds, reader
from schema.rounds import RoundNode
from server.disclosure import SMALL_GROUP
from server.risk.cells import Cell, Ranked
from server.risk.service import RiskQuery, RiskView, climate_risk


@strawberry.enum(description="DOPA levels: province (2 digits), district (4), subdistrict (6).")
class AreaLevel(Enum):
    PROVINCE = "province"
    DISTRICT = "district"
    SUBDISTRICT = "subdistrict"


@strawberry.type(description=(
    "Needs of one area, sector, hazard and declared group. Outside the round's facilitators, parts resting on "
    f"fewer than {SMALL_GROUP} people are left out of the figures (leftOut says how many); when every part is, "
    "the figures are null and `small` is true."))
class RiskCell:
    area_code: str
    area_name: str
    sector: str
    hazard: str = strawberry.field(description="A hazard's code; \"none\" for needs that named none. A need facing "
                                               "several hazards counts under each.")
    group: str | None = strawberry.field(description=(
        f"The declared group's key; null for needs of no group, or (outside the facilitators) of a group of fewer "
        f"than {SMALL_GROUP} members."))
    group_name: str | None
    needs: int | None
    people_affected: int | None = strawberry.field(description="The sum of the head counts given.")
    people_unknown: int | None = strawberry.field(description="Needs whose head count nobody gave.")
    severity_mean: float | None
    severity_max: int | None
    score: float | None = strawberry.field(description="Σ severity / 5 × people affected (a need not counted as 1).")
    answered_share: float | None = strawberry.field(description=(
        "Of its needs, the share a clause answers that is adopted (consensus) in its round's latest published "
        "proposal; 0 where none is published."))
    small: bool
    left_out: int


@strawberry.type(description="A group or an area, its shown cells added up; most at risk first.")
class RiskRank:
    key: str | None = strawberry.field(description="A group's key (null: no group, or one not named) or an area code.")
    name: str | None
    score: float = strawberry.field(description="The sum of its cells' scores.")
    needs: int = strawberry.field(description="Its needs, each once whatever its hazards.")
    people_affected: int
    people_unknown: int
    cells: int
    left_out: int


@strawberry.type
class RiskRanking:
    groups: list[RiskRank]
    areas: list[RiskRank]


@strawberry.type(description="Climate risk, as the caller may read it.")
class ClimateRisk:
    cells: list[RiskCell]
    ranking: RiskRanking
    rounds: list[RoundNode] = strawberry.field(description="The rounds whose needs were counted.")
    rounds_without_published_proposal: list[RoundNode] = strawberry.field(description=(
        "No published proposal yet: nothing in them is adopted, and their answeredShare is 0."))
    fewer_than: int


def _cell(view: RiskView, cell: Cell, locale: str) -> RiskCell:
    f = cell.figures
    return RiskCell(
        area_code=cell.area_code, area_name=view.area_name(cell.area_code, locale), sector=cell.sector,
        hazard=cell.hazard, group=cell.group, group_name=view.group_name(cell.group, locale),
        needs=f.needs if f else None, people_affected=f.people_affected if f else None,
        people_unknown=f.people_unknown if f else None, severity_mean=f.severity_mean if f else None,
        severity_max=f.severity_max if f else None, score=f.score if f else None,
        answered_share=f.answered_share if f else None, small=cell.small, left_out=cell.left_out)


def _rank(view: RiskView, ranked: Ranked, locale: str, *, area: bool) -> RiskRank:
    name = view.area_name(ranked.key, locale) if area and ranked.key else view.group_name(ranked.key, locale)
    return RiskRank(key=ranked.key, name=name, score=ranked.score, needs=ranked.needs,
                    people_affected=ranked.people_affected, people_unknown=ranked.people_unknown,
                    cells=ranked.cells, left_out=ranked.left_out)


@strawberry.type
class RiskQueries:
    @strawberry.field(description=(
        "Climate risk by area, sector, hazard and declared group, from the open needs of `roundId`, or of every "
        "round whose needs you may read (members their rounds, staff and integrators every round)."))
    async def climate_risk(self, info: Info, level: AreaLevel, round_id: strawberry.ID | None = None,
                           area_prefix: str | None = None, sector: str | None = None,
                           hazard: str | None = None) -> ClimateRisk:
        viewer = reader(info)
        wanted = RiskQuery(level=level.value, area_prefix=area_prefix, sector=sector, hazard=hazard)
        round_ = ids.decode_optional(round_id, "Round")
        facilitated = await facilitated_rounds(info)
        view = await info.context.run(lambda session: climate_risk(session, viewer, wanted, round_id=round_,
                                                                   facilitated=facilitated))
        locale = info.context.locale
        return ClimateRisk(
            cells=[_cell(view, c, locale) for c in view.found.cells],
            ranking=RiskRanking(groups=[_rank(view, r, locale, area=False) for r in view.found.groups],
                                areas=[_rank(view, r, locale, area=True) for r in view.found.areas]),
            rounds=[RoundNode(row=r) for r in view.rounds],
            rounds_without_published_proposal=[RoundNode(row=r) for r in view.unpublished],
            fewer_than=SMALL_GROUP)
