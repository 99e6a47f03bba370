"""Demo needs for the climate-risk view (docs/risk.md): in every pilot province several hazards, sectors and groups,
each told by three people of the group (three households or villages), so that each reads in public; and the
proposals published, so that some of these needs are answered by adopted clauses.

Pure data and two small steps the loader calls. People and figures are illustrative, not real records. No
random draw is made here: the loader's votes, drawn from a generator seeded by the round, stay the same.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from server.consolidation.service import latest, publish, published
from server.database import unit_of_work
from server.needs import service as needs
from server.people.models import Participant
from server.rounds.models import Round

RURAL = (("หมู่ 1", "village 1"), ("หมู่ 3", "village 3"), ("หมู่ 5", "village 5"))
CITY = (("ซอย 3", "soi 3"), ("ซอย 7", "soi 7"), ("ซอย 11", "soi 11"))


@dataclass(frozen=True)
class RiskNeed:
    key: str
    group: str
    area_code: str
    sector: str
    hazards: tuple[str, ...]
    severity: int
    people: tuple[int | None, int | None, int | None]  # one per teller; None: they did not say
    title_th: str
    title_en: str
    places: tuple[tuple[str, str], ...] = RURAL


RISK_NEEDS: dict[str, tuple[RiskNeed, ...]] = {
    "satun-sea-nomads-2026": (
        RiskNeed("storm-boats", "urak_lawoi", "910106", "fisheries", ("storm", "marine"), 4, (60, None, 35),
                 "มรสุมแรงขึ้น ออกเรือหาปลาไม่ได้หลายสัปดาห์", "Stronger monsoon storms keep our boats ashore for weeks"),
        RiskNeed("shore-homes", "urak_lawoi", "910106", "land_housing", ("coastal", "storm"), 5, (40, 25, None),
                 "คลื่นกัดเซาะหาด บ้านริมทะเลใกล้พัง", "Waves eat the beach and our houses by the sea are close to falling"),
        RiskNeed("dry-island", "urak_lawoi", "910106", "water", ("drought",), 4, (120, None, 80),
                 "หน้าแล้งน้ำจืดบนเกาะหมด ต้องซื้อน้ำ", "In the dry season the island runs out of fresh water and we buy it"),
        RiskNeed("heat-elders", "cso", "910106", "health", ("heat",), 3, (30, 15, None),
                 "อากาศร้อนจัด คนแก่เป็นลมบ่อย", "Extreme heat: older people faint often"),
    ),
    "ranong-displaced-thais-2026": (
        RiskNeed("hill-slides", "displaced_thai", "850101", "land_housing", ("landslide", "flood"), 4, (45, 30, None),
                 "ฝนตกหนัก ดินสไลด์ใกล้บ้านบนเนิน", "Heavy rain brings landslides near our hillside homes"),
        RiskNeed("flood-sickness", "displaced_thai", "850103", "health", ("flood",), 4, (70, None, 50),
                 "น้ำท่วมขังนาน เด็กป่วยเป็นไข้และโรคผิวหนัง", "Standing flood water: children fall ill with fever and rashes"),
        RiskNeed("storm-work", "displaced_thai", "850402", "work_income", ("storm",), 3, (25, 40, 20),
                 "พายุเข้า ไม่มีงานรับจ้างบนเรือ", "When storms come there is no day work on the boats"),
        RiskNeed("flooded-papers", "displaced_thai", "850405", "legal_status", ("flood",), 4, (12, None, 9),
                 "น้ำท่วมบ้าน เอกสารที่ใช้ขอสถานะเปียกเสียหายหมด", "The flood ruined the papers for our status claims"),
        RiskNeed("road-cut", "government", "850101", "infrastructure", ("flood",), 3, (300, None, 150),
                 "ถนนเข้าหมู่บ้านขาดทุกหน้าฝน", "The road into the village is cut every rainy season"),
    ),
    "phangnga-farmers-moken-2026": (
        RiskNeed("durian-heat", "farmers", "820301", "agriculture", ("drought", "heat"), 5, (80, 55, None),
                 "แล้งยาวและร้อนจัด ต้นทุเรียนยืนต้นตาย", "Long drought and heat: durian trees die standing"),
        RiskNeed("rubber-flood", "farmers", "820701", "agriculture", ("flood",), 4, (35, None, 60),
                 "น้ำป่าพัดสวนยางเสียหาย", "Flash floods wreck the rubber gardens"),
        RiskNeed("reef-loss", "moken", "820603", "fisheries", ("marine", "storm"), 4, (40, 30, None),
                 "ปะการังตาย ปลาหายจากแนวหินที่เคยหา", "The coral is dying and fish have left the reefs we fished"),
        RiskNeed("dry-wells", "cso", "820404", "water", ("drought",), 3, (150, 90, None),
                 "บ่อน้ำตื้นแห้ง ชาวบ้านต้องรอรถน้ำ", "Shallow wells run dry and people wait for the water truck"),
    ),
    "maehongson-highland-peoples-2026": (
        RiskNeed("late-rain-rice", "karen", "580603", "agriculture", ("drought", "haze"), 4, (90, None, 60),
                 "ฝนมาช้า ข้าวไร่ไม่พอกินทั้งปี", "The rain comes late and the upland rice does not last the year"),
        RiskNeed("smoke-breathing", "lisu", "580701", "health", ("haze",), 5, (200, 120, None),
                 "ฝุ่นควันหนัก เด็กและคนแก่ไอ หายใจไม่ออก", "Thick smoke: children and elders cough and cannot breathe"),
        RiskNeed("slide-road", "karen", "580405", "infrastructure", ("landslide", "flood"), 4, (150, None, 100),
                 "ดินถล่มปิดทางลงเมือง", "Landslides close the road down to town"),
        RiskNeed("dry-stream", "lisu", "580606", "water", ("drought",), 3, (60, 45, None),
                 "ลำห้วยแห้ง หน้าแล้งไม่มีน้ำใช้", "The stream dries up and there is no water in the dry season"),
    ),
    "bangkok-urban-poor-2026": (
        RiskNeed("canal-homes", "urban_poor", "102901", "land_housing", ("flood",), 4, (120, 80, None),
                 "น้ำท่วมขังในชุมชนริมคลองทุกหน้าฝน", "Our canal-side community floods every rainy season", CITY),
        RiskNeed("tin-heat", "urban_poor", "103301", "health", ("heat",), 4, (60, None, 90),
                 "บ้านหลังคาสังกะสีร้อนจัด กลางคืนนอนไม่ได้", "Tin roofs make the houses so hot we cannot sleep", CITY),
        RiskNeed("street-stalls", "urban_poor", "103901", "work_income", ("heat", "flood"), 3, (30, 25, None),
                 "ขายของริมทางไม่ได้ วันที่ร้อนจัดหรือน้ำท่วม", "No street selling on days of great heat or flood", CITY),
        RiskNeed("salt-ponds", "cso", "102107", "fisheries", ("coastal",), 4, (50, None, 35),
                 "น้ำทะเลหนุน บ่อเลี้ยงปลาเค็มจนปลาตาย", "The sea pushes in and the fish ponds turn too salty", CITY),
    ),
}

# the clauses that answer some of them: "<draft key>/<clause key>" -> risk need keys
ANSWERS: dict[str, dict[str, tuple[str, ...]]] = {
    "satun-sea-nomads-2026": {"ministry/rainwater-tanks": ("dry-island",),
                              "ministry/disability-mobile-unit": ("heat-elders",)},
    "ranong-displaced-thais-2026": {"ministry/interim-health": ("flood-sickness",),
                                    "ministry/status-fast-track": ("flooded-papers",),
                                    "cso/check-status": ("flooded-papers",)},
    "phangnga-farmers-moken-2026": {"ministry/fast-relief": ("rubber-flood",), "ministry/farm-ponds": ("durian-heat",)},
    "maehongson-highland-peoples-2026": {"ministry/clean-air-rooms": ("smoke-breathing",),
                                         "cso/fire-plans": ("smoke-breathing",)},
    "bangkok-urban-poor-2026": {"ministry/cooling-centres": ("tin-heat",), "cso/shade-and-roofs": ("tin-heat",)},
}


async def tell(session: AsyncSession, slug: str, round_id: uuid.UUID,
               members: dict[str, list[Participant]]) -> dict[str, list[uuid.UUID]]:
    """Each risk need told by three members of its group (the first three, the last three: never one person
    twice), while the round takes needs. Need key -> the three needs' ids."""
    told: dict[str, list[uuid.UUID]] = {}
    for spec in RISK_NEEDS.get(slug, ()):
        group = members[spec.group]
        tellers: Sequence[Participant] = group[-3:] if len(group) >= 6 else group[:3]
        told[spec.key] = []
        for teller, people, (place_th, place_en) in zip(tellers, spec.people, spec.places, strict=True):
            made = await needs.submit_need(
                session, teller, round_id, title=f"{spec.title_th} ({place_th})", area_code=spec.area_code,
                sector=spec.sector, hazards=list(spec.hazards), severity=spec.severity, people_affected=people,
                translations={"en": {"title": f"{spec.title_en} ({place_en})"}})
            told[spec.key].append(made.id)
    return told


def answers(slug: str, clause: str, told: dict[str, list[uuid.UUID]]) -> list[uuid.UUID]:
    return [need for key in ANSWERS.get(slug, {}).get(clause, ()) for need in told.get(key, [])]


async def publish_rounds(sessions: async_sessionmaker[AsyncSession], slugs: Sequence[str]) -> list[str]:
    """Each demo round's latest proposal published, where none is yet: adopted clauses are read from it."""
    lines = []
    for slug in slugs:
        async with unit_of_work(sessions) as session:
            round_ = await session.scalar(select(Round).where(Round.slug == slug))
            if round_ is None or await published(session, round_.id) is not None:
                continue
            proposal = await latest(session, round_.id)
            facilitator = await session.scalar(select(Participant).where(
                Participant.external_source == "demo", Participant.external_id == f"{slug}:facilitator"))
            if proposal is None or facilitator is None:
                continue
            await publish(session, facilitator, round_.id, proposal.version, while_voting=True)
            lines.append(f"{slug}: proposal v{proposal.version} published")
    return lines
