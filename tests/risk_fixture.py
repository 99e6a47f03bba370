"""A small climate-risk picture whose cells are worked out by hand in the tests (tests/server/test_risk.py).

Round "fishing" (Satun, nothing published): fishers A B C D (4 members), moken M (a group of 2 members):
  n1 A 910101 fisheries storm+marine  sev 5  100 people
  n2 B 910101 fisheries storm         sev 3  not counted
  n3 C 910101 fisheries storm         sev 4  20
  n4 D 910102 fisheries storm         sev 2  10
  n5 M 910101 fisheries storm         sev 5  30   (moken)
  n6 A 910201 water     (no hazard)   sev 1  5
  n9 a meeting of 12 (proxy, fishers) 910102 fisheries flood sev 3 not counted
  a hidden need and a withdrawn one, counted nowhere
Round "farming" (Satun, published): farmers F1 F2 F3 (3 members), all agreeing to one clause (consensus) that
answers f1 and f2:
  f1 F1 910201 agriculture drought sev 4  50
  f2 F2 910201 agriculture drought sev 4  not counted
  f3 F3 910201 agriculture drought sev 4  10
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.deliberation.service import cast_vote
from server.needs.models import Need
from server.needs.service import submit_need
from server.people.models import Participant
from server.proxies.service import record_proxy
from server.rounds.models import Round, StakeholderGroup
from server.rounds.service import GroupSpec, move_phase
from tests.factories import make_clause, make_member, make_need, make_participant, make_round, publish_round


@dataclass
class Picture:
    fishing: Round
    farming: Round
    facilitator: Participant  # facilitates both
    fisher: Participant  # A, a member of the fishing round only
    moken: Participant
    farmer: Participant
    needs: dict[str, Need] = field(default_factory=dict)


async def _need(session: AsyncSession, round_: Round, author: Participant, **values: Any) -> Need:
    return await make_need(session, round_, author, title="ลมพายุพัดบ้านพัง", **values)


async def make_picture(session: AsyncSession, *, publish: bool = True,
                       facilitator: Participant | None = None) -> Picture:
    facilitator = facilitator or await make_participant(session, role="facilitator")
    fishing = await make_round(session, facilitator, groups=[
        GroupSpec("fishers", {"th": "ชาวประมง", "en": "Fishers"}, quorum=2),
        GroupSpec("moken", {"th": "มอแกน", "en": "Moken"}, quorum=1)])
    fishers = [await make_member(session, fishing, "fishers") for _ in range(4)]
    mokens = [await make_member(session, fishing, "moken") for _ in range(2)]
    a, b, c, d = fishers
    needs = {
        "n1": await _need(session, fishing, a, area_code="910101", sector="fisheries", hazards=["storm", "marine"],
                          severity=5, people_affected=100),
        "n2": await _need(session, fishing, b, area_code="910101", sector="fisheries", hazards=["storm"],
                          severity=3, people_affected=None),
        "n3": await _need(session, fishing, c, area_code="910101", sector="fisheries", hazards=["storm"],
                          severity=4, people_affected=20),
        "n4": await _need(session, fishing, d, area_code="910102", sector="fisheries", hazards=["storm"],
                          severity=2, people_affected=10),
        "n5": await _need(session, fishing, mokens[0], area_code="910101", sector="fisheries", hazards=["storm"],
                          severity=5, people_affected=30),
        "n6": await _need(session, fishing, a, area_code="910201", sector="water", hazards=[], severity=1,
                          people_affected=5),
    }
    meeting = await record_proxy(session, facilitator, fishing.id, method="meeting", consent="verbal",
                                 people_count=12, meeting="ประชุมหมู่ 3")
    fishers_group = await session.scalar(select(StakeholderGroup.id).where(
        StakeholderGroup.round_id == fishing.id, StakeholderGroup.key == "fishers"))
    needs["n9"] = await submit_need(session, facilitator, fishing.id, title="น้ำท่วมท่าเรือ", area_code="910102",
                                    sector="fisheries", hazards=["flood"], severity=3, proxy_id=meeting.id,
                                    group_id=fishers_group)
    for status in ("hidden", "withdrawn"):
        gone = await _need(session, fishing, b, area_code="910101", sector="fisheries", hazards=["storm"],
                           severity=5, people_affected=1000)
        gone.status = status
    farming = await make_round(session, facilitator, groups=[
        GroupSpec("farmers", {"th": "ชาวนา", "en": "Farmers"}, quorum=3)])
    farmers = [await make_member(session, farming, "farmers") for _ in range(3)]
    for key, farmer, people in (("f1", farmers[0], 50), ("f2", farmers[1], None), ("f3", farmers[2], 10)):
        needs[key] = await _need(session, farming, farmer, area_code="910201", sector="agriculture",
                                 hazards=["drought"], severity=4, people_affected=people)
    clause = await make_clause(session, farming, answers=[needs["f1"].id, needs["f2"].id])
    await move_phase(session, facilitator, farming.id, "deliberation")
    for farmer in farmers:
        await cast_vote(session, farmer, clause.id, "agree")
    if publish:
        await publish_round(session, farming)
    await session.flush()
    return Picture(fishing, farming, facilitator, a, mokens[0], farmers[0], needs)
