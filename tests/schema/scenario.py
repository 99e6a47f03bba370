"""A round in deliberation with people in each role, needs, a draft, votes and comments, and their tokens."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from schema import ids
from server.deliberation import service as deliberation
from server.drafts import service as drafts
from server.people.models import Participant
from server.rounds import service as rounds
from tests.factories import make_member, make_need, make_participant, make_round
from tests.schema.conftest import token_for


@dataclass
class Scenario:
    round: Any
    facilitator: Participant
    villagers: list[Participant]
    official: Participant
    needs: list[Any] = field(default_factory=list)
    draft: Any = None
    clauses: list[Any] = field(default_factory=list)
    tokens: dict[str, str] = field(default_factory=dict)

    def gid(self, type_name: str, row: Any) -> str:
        return ids.encode(type_name, row.id)

    @property
    def round_id(self) -> str:
        return ids.encode("Round", self.round.id)


async def deliberating_round(session, *, votes: bool = True) -> Scenario:
    """Three villagers and one government official; two needs; a draft of two clauses, the first
    answering the first need; in the deliberation phase. With `votes`, every villager agrees with
    clause 1 and the official disagrees."""
    facilitator = await make_participant(session, role="facilitator")
    round_ = await make_round(session, facilitator, phase="needs")
    villagers = [await make_member(session, round_) for _ in range(3)]
    official = await make_member(session, round_, group_key="government")
    s = Scenario(round_, facilitator, villagers, official)
    s.needs = [
        await make_need(session, round_, villagers[0], title="ชาวอูรักลาโว้ยต้องการโฉนดชุมชนบนเกาะหลีเป๊ะ",
                        translations={"en": {"title": "Community land title on Ko Lipe"}}),
        await make_need(session, round_, villagers[1], title="น้ำประปาไม่ไหล", area_code="850101", sector="health",
                        hazards=["drought"], severity=2, people_affected=40),
    ]
    await rounds.move_phase(session, facilitator, round_.id, "drafting")
    s.draft = await drafts.create_draft(session, facilitator, round_.id, title="ร่างนโยบายที่ดิน")
    s.clauses = [
        await drafts.add_clause(session, facilitator, s.draft.id, text="รัฐจะออกโฉนดชุมชนภายในหนึ่งปี",
                                answers=[s.needs[0].id]),
        await drafts.add_clause(session, facilitator, s.draft.id, text="จัดหาน้ำประปาให้ทุกหมู่บ้าน"),
    ]
    await rounds.move_phase(session, facilitator, round_.id, "deliberation")
    if votes:
        for villager in villagers:
            await deliberation.cast_vote(session, villager, s.clauses[0].id, "agree")
        await deliberation.cast_vote(session, official, s.clauses[0].id, "disagree")
    s.tokens = {
        "villager": await token_for(session, villagers[0]),
        "official": await token_for(session, official),
        "facilitator": await token_for(session, facilitator, "read", "participate", "facilitate"),
        "facilitator_read_only": await token_for(session, facilitator, "read"),
        "stranger": await token_for(session, await make_participant(session)),
    }
    return s
