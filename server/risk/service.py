"""The climate-risk view: which needs a reader may count, as cells.py adds them up.

Which rounds: those whose needs the reader may read (server/needs/rules.py `reads_round_needs`: the people of a
round, and staff and integrators everywhere); one of them when asked. Which needs: open ones only, never hidden or
withdrawn, whoever reads. Which figures: all of them in the rounds the reader facilitates, elsewhere only what
server/disclosure.py lets the public read (cells.py says how). "Adopted": in the round's latest published proposal,
the clause's status as the reader may read it (server/consolidation/rules.py `clause_statuses`) is consensus.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from server import validation
from server.consolidation import details
from server.consolidation import rules as proposal_rules
from server.consolidation.queries import published_of_rounds
from server.consolidation.status import CONSENSUS
from server.disclosure import Audience
from server.drafts.models import clause_needs
from server.errors import Invalid, NotPermitted
from server.i18n import N_
from server.needs import queries as need_queries
from server.needs import rules as need_rules
from server.needs.browse import NOT_YOURS
from server.needs.models import Need
from server.people.models import Participant
from server.proxies.models import ProxyRecord
from server.reference.models import AdminArea, Hazard
from server.reference.service import check_sector
from server.risk.cells import LEVELS, NO_HAZARD, Aggregate, NeedRow, aggregate
from server.rounds.access import standing
from server.rounds.models import Round, StakeholderGroup
from server.rounds.queries import group_sizes

SIGN_IN_FIRST = N_("Join a round, or sign in, to read what its people told.")


@dataclass(frozen=True)
class RiskQuery:
    level: str = "province"
    area_prefix: str | None = None  # a province (2 digits), district (4) or subdistrict (6) code
    sector: str | None = None
    hazard: str | None = None  # a hazard's code, or "none" for needs that named none


@dataclass(frozen=True)
class RiskView:
    query: RiskQuery
    found: Aggregate
    rounds: list[Round]  # the rounds read
    unpublished: list[Round]  # of those, the ones with no published proposal yet: nothing is adopted there
    full_view: bool  # the reader facilitates every round read, and sees every figure
    area_names: dict[str, dict[str, str]]  # code -> {"th": ..., "en": ...}
    group_names: dict[str, dict[str, str]]  # key -> name per language

    def area_name(self, code: str, locale: str) -> str:
        return _name(self.area_names.get(code, {}), locale) or code

    def group_name(self, key: str | None, locale: str) -> str | None:
        return _name(self.group_names.get(key, {}), locale) or key if key is not None else None

    def map_figures(self, digits: int) -> tuple[dict[str, float], set[str]]:
        """Score per province (`digits` 2) or district (4), from the areas ranked, so from shown cells only; and
        the codes where every part reads "fewer than 3". What a map shows."""
        scores: dict[str, float] = defaultdict(float)
        few: set[str] = set()
        for area in self.found.areas:
            if area.key is None:
                continue
            if area.cells:
                scores[area.key[:digits]] += area.score
            else:
                few.add(area.key[:digits])
        return {code: round(score, 1) for code, score in sorted(scores.items())}, few - set(scores)


def _name(names: dict[str, str], locale: str) -> str:
    return names.get(locale) or names.get("th") or names.get("en") or ""


async def check(session: AsyncSession, query: RiskQuery) -> None:
    invalid = Invalid()
    invalid.check(query.level in LEVELS, "level", N_("Choose one of: {choices}."), choices=", ".join(LEVELS))
    prefix = query.area_prefix
    if prefix is not None:
        fits = prefix.isascii() and prefix.isdigit() and len(prefix) in (2, 4, 6)
        invalid.check(fits, "areaPrefix", N_("{code} is not a Thai province, district or subdistrict code."),
                      code=validation.shown(prefix))
        if fits and query.level in LEVELS:
            invalid.check(len(prefix) <= LEVELS[query.level], "level",
                          N_("The area chosen is smaller than this level: choose a finer level, or a larger area."))
    if query.sector is not None:
        await check_sector(session, invalid, "sector", query.sector)
    if query.hazard is not None and query.hazard != NO_HAZARD:
        known = validation.usable(query.hazard) and await session.get(Hazard, query.hazard) is not None
        invalid.check(known, "hazard", N_("Unknown hazard: {name}."), name=validation.shown(query.hazard, 200))
    invalid.raise_if_any()


async def climate_risk(session: AsyncSession, reader: Participant | None, query: RiskQuery, *,
                       round_id: uuid.UUID | None = None, facilitated: set[uuid.UUID] | None) -> RiskView:
    """The cells and rankings `reader` may read: in `round_id`, or in every round whose needs they may read.
    `facilitated` is the rounds whose every figure they see (None: all), as the adapter knows it (a token's
    scopes count in the API)."""
    await check(session, query)
    readable = await need_queries.readable_rounds(session, reader)
    if round_id is not None:
        if reader is None:
            raise NotPermitted(SIGN_IN_FIRST)
        place = await standing(session, round_id, reader)
        if reader.withdrawn_at is not None or not need_rules.reads_round_needs(place.role, reader.role):
            raise NotPermitted(NOT_YOURS)
        rounds = [place.round]
    elif reader is None:
        raise NotPermitted(SIGN_IN_FIRST)
    else:
        statement = select(Round).order_by(Round.created_at, Round.id)
        if readable is not None:
            statement = statement.where(Round.id.in_(readable))
        rounds = list(await session.scalars(statement))

    def full_view(round_id: uuid.UUID) -> bool:
        return facilitated is None or round_id in facilitated

    round_ids = [r.id for r in rounds]
    needs = await _needs(session, round_ids, query)
    groups = await _groups(session, {g for n, _ in needs if (g := n.group_id) is not None})
    sizes = await group_sizes(session, list(groups))
    adopted, published = await _adopted(session, rounds, full_view)
    rows = [NeedRow(
        id=n.id, round_id=n.round_id, area_code=n.area_code, sector=n.sector_code, hazards=tuple(n.hazards),
        severity=n.severity, people_affected=n.people_affected,
        group=_shown_group(groups.get(n.group_id) if n.group_id else None, sizes, full_view(n.round_id)),
        person=_person(n), stands_for=meeting or 1, adopted=n.id in adopted, full_view=full_view(n.round_id))
        for n, meeting in needs]
    found = aggregate(rows, query.level, query.hazard)
    named = {row.group for row in rows}  # a group not named to this reader is not named in any list either
    names = {g.key: g.name for g in groups.values() if g.key in named}
    return RiskView(
        query=query, found=found, rounds=rounds, unpublished=[r for r in rounds if r.id not in published],
        full_view=all(full_view(r) for r in round_ids), group_names=names,
        area_names=await _area_names(session, {c.area_code for c in found.cells}))


async def _needs(session: AsyncSession, round_ids: Sequence[uuid.UUID], query: RiskQuery
                 ) -> list[tuple[Need, int | None]]:
    if not round_ids:
        return []
    wanted: list[ColumnElement[bool]] = [Need.round_id.in_(round_ids),
                                         Need.status.in_(need_rules.SHOWN_TO_EVERYONE)]
    if query.area_prefix:
        wanted.append(Need.area_code.startswith(query.area_prefix, autoescape=True))
    if query.sector:
        wanted.append(Need.sector_code == query.sector)
    if query.hazard == NO_HAZARD:
        wanted.append(func.cardinality(Need.hazards) == 0)
    elif query.hazard:
        wanted.append(Need.hazards.contains([query.hazard]))
    rows = await session.execute(
        select(Need, ProxyRecord.people_count).outerjoin(ProxyRecord, ProxyRecord.id == Need.proxy_id)
        .where(and_(*wanted)).order_by(Need.id))
    return [(need, count) for need, count in rows]


def _person(need: Need) -> str:
    """Whom a need rests on: its author; for a meeting entered by proxy, the meeting (its head count)."""
    if need.author_id is not None:
        return str(need.author_id)
    return f"meeting:{need.proxy_id}" if need.proxy_id is not None else f"need:{need.id}"


async def _groups(session: AsyncSession, ids: set[uuid.UUID]) -> dict[uuid.UUID, StakeholderGroup]:
    if not ids:
        return {}
    return {g.id: g for g in await session.scalars(select(StakeholderGroup).where(StakeholderGroup.id.in_(ids)))}


def _shown_group(group: StakeholderGroup | None, sizes: dict[uuid.UUID, int], full_view: bool) -> str | None:
    if group is None or not need_rules.group_shown(Audience(facilitator=full_view), sizes.get(group.id, 0)):
        return None
    return group.key


async def _adopted(session: AsyncSession, rounds: Sequence[Round], full_view: Callable[[uuid.UUID], bool]
                   ) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
    """The needs a clause adopted in their round's latest published proposal answers, and the rounds that have
    published one."""
    proposals = await published_of_rounds(session, [r.id for r in rounds])
    adopted_clauses: set[uuid.UUID] = set()
    for round_id, proposal in proposals.items():
        statuses = proposal_rules.clause_statuses(await details.result_of(session, proposal),
                                                  Audience(facilitator=full_view(round_id)))
        adopted_clauses |= _uuids(c for c, status in statuses.items() if status == CONSENSUS)
    if not adopted_clauses:
        return set(), set(proposals)
    needs = await session.scalars(select(clause_needs.c.need_id).where(clause_needs.c.clause_id.in_(adopted_clauses)))
    return set(needs), set(proposals)


def _uuids(values: Iterable[str]) -> set[uuid.UUID]:
    found = set()
    for value in values:
        try:
            found.add(uuid.UUID(value))
        except ValueError:  # an imported round's own clause ids refer to nothing here
            continue
    return found


async def _area_names(session: AsyncSession, codes: set[str]) -> dict[str, dict[str, str]]:
    if not codes:
        return {}
    rows = await session.scalars(select(AdminArea).where(AdminArea.code.in_(codes)))
    return {a.code: {"th": a.name_th, "en": a.name_en} for a in rows}
