"""Round templates: a starting point for a new round (its phases, groups, quorum and threshold).

A template only fills in the creation form; the facilitator changes what they like, and the
round is made by rounds.service.create_round, which checks everything as always.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.i18n import N_
from server.reference.models import AdminArea
from server.rounds import phases
from server.rounds.service import GroupSpec


@dataclass(frozen=True)
class RoundTemplate:
    key: str
    name: str
    phases: str  # a key of phases.TEMPLATES
    groups: tuple[GroupSpec, ...]
    threshold: float = 0.6

    def phase_keys(self) -> list[str]:
        return [p.key for p in phases.TEMPLATES[self.phases]]


_COMMUNITIES_AND_STATE = (
    GroupSpec("community", {"th": "ชุมชน", "en": "Communities"}, quorum=5),
    GroupSpec("government", {"th": "หน่วยงานรัฐ", "en": "Government"}, quorum=2),
    GroupSpec("cso", {"th": "องค์กรภาคประชาสังคม", "en": "Civil society"}, quorum=2),
    GroupSpec("academic", {"th": "นักวิชาการ", "en": "Academics"}, quorum=1),
)

TEMPLATES: dict[str, RoundTemplate] = {
    t.key: t for t in (
        RoundTemplate("standard", N_("Communities, government, civil society and academics"), "standard",
                      _COMMUNITIES_AND_STATE),
        RoundTemplate("blank", N_("Start empty: declare your own groups"), "standard", ()),
    )
}
DEFAULT = "standard"


def template(key: str | None) -> RoundTemplate:
    """The named template, or the default one for an unknown or missing key."""
    return TEMPLATES.get(key or DEFAULT, TEMPLATES[DEFAULT])


async def provinces(session: AsyncSession) -> list[AdminArea]:
    """The provinces a round can be about, for the creation form."""
    return list(await session.scalars(select(AdminArea).where(AdminArea.level == "province")
                                      .order_by(AdminArea.name_th)))
