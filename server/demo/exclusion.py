"""Demo answers to the questions about public services (server/exclusion/), so that a round's "who is left out"
section shows something: in four pilot rounds a few members of one group, in one or two districts, each with
their own consent. Given through server/exclusion/service.py as people give them: online by the person, or for
the Moken at a meeting on the island, typed by the facilitator through a proxy record made for each of them.

Loaded once per person: whoever has a consent record for these answers already (given, or taken back since) is
left as they are, so a second run changes nothing and never gives back a consent someone withdrew. People and
answers are illustrative, not real records.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from server.database import unit_of_work
from server.exclusion import service as exclusion
from server.people.models import ConsentRecord, Participant
from server.proxies.service import record_proxy
from server.rounds.models import Round

SOURCE = "demo"


@dataclass(frozen=True)
class Told:
    """One member's answers. `member` is their number in the group (the loader's `slug:group:number`)."""

    member: int
    district: str
    id_document: str | None = None
    welfare_card: str | None = None
    disability_card: str | None = None
    services_missed: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answered:
    slug: str
    group: str
    told: tuple[Told, ...]
    at_meeting: str | None = None  # typed by the facilitator at this meeting, through a proxy record per person


SATUN, MUEANG_SATUN = "satun-sea-nomads-2026", "9101"
RANONG, MUEANG_RANONG, KRA_BURI = "ranong-displaced-thais-2026", "8501", "8504"
PHANGNGA, KHURA_BURI = "phangnga-farmers-moken-2026", "8206"
MAEHONGSON, SOP_MOEI = "maehongson-highland-peoples-2026", "5806"

ANSWERS = (
    Answered(SATUN, "urak_lawoi", (
        Told(0, MUEANG_SATUN, "thai_id", "has", "eligible_not_held", ("health",), ("distance", "cost")),
        Told(1, MUEANG_SATUN, "thai_id", "has", "eligible_not_held", ("health", "welfare"), ("distance",)),
        Told(2, MUEANG_SATUN, "thai_id", "not", "eligible_not_held", ("health",), ("distance", "cost")),
        Told(3, MUEANG_SATUN, "thai_id", "has", "no", ("water",), ("cost",)),
        Told(4, MUEANG_SATUN, "thai_id", "dont_know", "no", ("water", "school"), ("distance",)),
    )),
    Answered(RANONG, "displaced_thai", (
        Told(0, KRA_BURI, "pink_card", "not", "no", ("health", "welfare"), ("documents",)),
        Told(1, KRA_BURI, "pink_card", "not", "no", ("health", "legal"), ("documents", "cost")),
        Told(2, KRA_BURI, "none", "not", "eligible_not_held", ("welfare",), ("documents", "distance")),
        Told(3, KRA_BURI, "pink_card", "not", "no", ("school",), ("documents",)),
        Told(4, KRA_BURI, "thai_id", "has", "no", (), ()),
        Told(5, MUEANG_RANONG, "pink_card", "not", "no", ("health",), ("documents",)),
        Told(6, MUEANG_RANONG, "pink_card", "dont_know", "no", ("health", "welfare"), ("documents", "language")),
        Told(7, MUEANG_RANONG, "prefer_not", "not", "no", ("legal",), ("documents",)),
    )),
    Answered(PHANGNGA, "moken", (
        Told(0, KHURA_BURI, "none", "not", "no", ("health", "school"), ("documents", "language", "distance")),
        Told(1, KHURA_BURI, "none", "not", "no", ("health",), ("documents", "distance")),
        Told(2, KHURA_BURI, "pink_card", "not", "eligible_not_held", ("health", "school"), ("documents", "language")),
    ), at_meeting="ประชุมหมู่บ้านมอแกน เกาะสุรินทร์"),
    Answered(MAEHONGSON, "karen", (
        Told(0, SOP_MOEI, "thai_id", "has", "no", ("electricity", "water"), ("distance",)),
        Told(1, SOP_MOEI, "pink_card", "not", "no", ("electricity", "health"), ("distance", "documents")),
        Told(2, SOP_MOEI, "thai_id", "has", "no", ("electricity",), ("distance",)),
        Told(3, SOP_MOEI, "none", "not", "no", ("electricity", "school"), ("distance", "language")),
    )),
)


async def load_exclusion(sessions: async_sessionmaker[AsyncSession]) -> list[str]:
    lines = []
    for answered in ANSWERS:
        async with unit_of_work(sessions) as session:
            round_ = await session.scalar(select(Round).where(Round.slug == answered.slug))
            if round_ is None:
                continue
            given = 0
            for told in answered.told:
                person = await _person(session, f"{answered.slug}:{answered.group}:{told.member}")
                if person is None or await _asked_before(session, person):
                    continue
                await _give(session, round_, answered, told, person)
                given += 1
        if given:
            lines.append(f"{answered.slug}: answers about public services from {given} people")
    return lines


async def _give(session: AsyncSession, round_: Round, answered: Answered, told: Told, person: Participant) -> None:
    answers = exclusion.Answers(
        id_document=told.id_document, welfare_card=told.welfare_card, disability_card=told.disability_card,
        services_missed=list(told.services_missed), reasons=list(told.reasons), area_code=told.district)
    if answered.at_meeting is None:
        await exclusion.save(session, person, person.id, answers, agree=True)
        return
    facilitator = await _person(session, f"{answered.slug}:facilitator")
    assert facilitator is not None, "each demo round is loaded with its facilitator"
    proxy = await record_proxy(session, facilitator, round_.id, method="meeting", consent="thumbprint",
                               participant_id=person.id, meeting=answered.at_meeting,
                               consent_note="อ่านคำถามให้ฟังเป็นภาษามอแกน แล้วประทับลายนิ้วมือยินยอม")
    await exclusion.save(session, facilitator, person.id, answers, agree=True, proxy_id=proxy.id)


async def _asked_before(session: AsyncSession, person: Participant) -> bool:
    return await session.scalar(select(ConsentRecord.id).where(
        ConsentRecord.participant_id == person.id, ConsentRecord.purpose == exclusion.PURPOSE).limit(1)) is not None


async def _person(session: AsyncSession, key: str) -> Participant | None:
    return await session.scalar(select(Participant).where(Participant.external_source == SOURCE,
                                                          Participant.external_id == key))
