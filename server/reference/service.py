"""Look-ups in the reference data, used to validate what people submit."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from server.errors import Invalid
from server.i18n import N_
from server.reference.models import AdminArea, Hazard, Sector
from server.validation import shown, usable


async def check_area(session: AsyncSession, invalid: Invalid, field: str, code: str) -> AdminArea | None:
    known = isinstance(code, str) and code.isascii() and code.isdigit() and len(code) <= 6
    area = await session.get(AdminArea, code) if known else None
    if area is None:
        invalid.add(field, N_("{code} is not a Thai province, district or subdistrict code."), code=shown(code))
    return area


async def check_sector(session: AsyncSession, invalid: Invalid, field: str, code: str) -> None:
    if not usable(code) or await session.get(Sector, code) is None:
        invalid.add(field, N_("{code} is not a known sector."), code=shown(code))


async def check_hazards(session: AsyncSession, invalid: Invalid, field: str, codes: list[str]) -> list[str]:
    wanted = sorted(set(codes))
    if not wanted:
        return []
    looked_up = [c for c in wanted if usable(c)]
    known = set((await session.scalars(select(Hazard.code).where(Hazard.code.in_(looked_up)))).all())
    unknown = [c for c in wanted if c not in known]
    if unknown:
        invalid.add(field, N_("Unknown hazard: {name}."), name=shown(", ".join(unknown), 200))
    return wanted


async def area_chain(session: AsyncSession, code: str) -> list[AdminArea]:
    """The area and its parents, subdistrict to province."""
    chain: list[AdminArea] = []
    area = await session.get(AdminArea, code)
    while area is not None:
        chain.append(area)
        area = await session.get(AdminArea, area.parent_code) if area.parent_code else None
    return chain


async def sectors(session: AsyncSession) -> list[Sector]:
    return list(await session.scalars(select(Sector).order_by(Sector.code)))


async def hazards(session: AsyncSession) -> list[Hazard]:
    return list(await session.scalars(select(Hazard).order_by(Hazard.climate.desc(), Hazard.code)))



async def subdistricts_within(session: AsyncSession, codes: list[str]) -> list[tuple[AdminArea, AdminArea]]:
    """(district, subdistrict) pairs inside the given provinces or districts, in code order."""
    if not codes:
        return []
    district = aliased(AdminArea)
    rows = await session.execute(
        select(district, AdminArea).join(district, district.code == AdminArea.parent_code)
        .where(AdminArea.level == "subdistrict", or_(*(AdminArea.code.startswith(code) for code in codes)))
        .order_by(AdminArea.code))
    return [(d, s) for d, s in rows]
