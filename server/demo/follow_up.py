"""Follow-up for the demo: the Satun round's proposal published and taken on by agencies.

Three commitments at different stages, one with its due date already moved (the "four months
on, no progress" the partners told us about), and members' checks of the one delivered so far.
Loaded once: a round that has commitments already is left as it is. Agencies and people are
illustrative, not real records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from server.commitments.models import Commitment
from server.commitments.service import check_commitment, record_commitment, update_commitment
from server.consolidation.service import latest, publish, published
from server.database import unit_of_work
from server.demo.content import ROUNDS
from server.drafts.models import Clause
from server.people.models import Participant
from server.rounds.models import Round
from server.rounds.service import move_phase

ROUND = "satun-sea-nomads-2026"
SOURCE = "demo"


@dataclass(frozen=True)
class DemoStep:
    status: str | None = None
    due_date: date | None = None
    note: str = ""
    evidence_url: str | None = None


@dataclass(frozen=True)
class DemoCommitment:
    clause: str  # "<draft key>/<clause key>"
    agency: str
    owner: str
    status: str
    due_date: date | None
    note: str
    steps: tuple[DemoStep, ...] = ()
    checks: tuple[tuple[int, str, str], ...] = ()  # (member number in the first group, answer, comment)


COMMITMENTS = (
    DemoCommitment(
        "ministry/disability-mobile-unit", "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดสตูล",
        "กลุ่มงานส่งเสริมและพัฒนาคนพิการ", "accepted", date(2027, 3, 31),
        "รับเรื่องในการประชุมคณะทำงานจังหวัด จะจัดหน่วยเคลื่อนที่ร่วมกับโรงพยาบาลสตูล",
        steps=(DemoStep("in_progress", note="หน่วยเคลื่อนที่ลงเกาะหลีเป๊ะครั้งแรก ประเมินความพิการ 19 คน ออกบัตรแล้ว 12 ใบ",
                        evidence_url="https://example.org/satun/mobile-unit-round-1.pdf"),),
        checks=((0, "delivered", ""), (1, "partly", "ยายได้บัตรแล้ว แต่ลุงยังรอหมอรับรอง"), (2, "delivered", ""))),
    DemoCommitment(
        "ministry/land-working-group", "จังหวัดสตูล", "สำนักงานที่ดินจังหวัดสตูล", "accepted", date(2027, 1, 31),
        "ผู้ว่าราชการจังหวัดรับจะตั้งคณะทำงานและให้ชาวเลร่วมเป็นกรรมการ",
        steps=(DemoStep(due_date=date(2027, 5, 31),
                        note="ผ่านไปสี่เดือนยังไม่ได้แต่งตั้งคณะทำงาน จังหวัดขอเลื่อนกำหนด"),)),
    DemoCommitment(
        "ministry/rainwater-tanks", "องค์การบริหารส่วนตำบลเกาะสาหร่าย", "กองช่าง อบต.เกาะสาหร่าย", "pending",
        None, "ส่งหนังสือขอให้ตั้งงบประมาณปี 2571 แล้ว รอคำตอบ"),
)


async def load_follow_up(sessions: async_sessionmaker[AsyncSession]) -> list[str]:
    async with unit_of_work(sessions) as session:
        round_ = await session.scalar(select(Round).where(Round.slug == ROUND))
        if round_ is None:
            return []
        if await session.scalar(select(Commitment.id).where(Commitment.round_id == round_.id).limit(1)):
            return [f"{ROUND}: commitments kept as they are"]
        facilitator = await _person(session, f"{ROUND}:facilitator")
        if await published(session, round_.id) is None:
            proposal = await latest(session, round_.id)
            assert proposal is not None, "the demo loader consolidates every round it loads"
            await publish(session, facilitator, round_.id, proposal.version, while_voting=True)
        if round_.current_phase != "follow_up":
            await move_phase(session, facilitator, round_.id, "follow_up")
        spec = next(r for r in ROUNDS if r.slug == ROUND)
        texts = {f"{d.key}/{c.key}": c.text_th for d in spec.drafts for c in d.clauses}
        for made in COMMITMENTS:
            await _commit(session, round_, facilitator, made, texts[made.clause], spec.groups[0].key)
    return [f"{ROUND}: published, {len(COMMITMENTS)} commitments"]


async def _commit(session: AsyncSession, round_: Round, facilitator: Participant, made: DemoCommitment,
                  text: str, group: str) -> None:
    clause_id = await session.scalar(select(Clause.id).where(Clause.round_id == round_.id, Clause.text == text))
    assert clause_id is not None, f"no clause of {ROUND} reads {text!r}"
    commitment = await record_commitment(session, facilitator, clause_id, agency=made.agency, owner=made.owner,
                                         due_date=made.due_date, status=made.status, note=made.note)
    for step in made.steps:
        await update_commitment(session, facilitator, commitment.id, status=step.status, due_date=step.due_date,
                                note=step.note, evidence_url=step.evidence_url)
    for number, answer, comment in made.checks:
        member = await _person(session, f"{ROUND}:{group}:{number}")
        await check_commitment(session, member, commitment.id, answer=answer, comment=comment)


async def _person(session: AsyncSession, key: str) -> Participant:
    person = await session.scalar(select(Participant).where(Participant.external_source == SOURCE,
                                                            Participant.external_id == key))
    assert person is not None, f"{key} is loaded with the rounds"
    return person
