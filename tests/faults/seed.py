"""A round to put under load: in deliberation, with clauses and members holding API tokens, made through
the services in the caller's process (as benchmarks/cast_vote.py makes its round)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from schema import ids
from server.auth.service import create_token
from server.database import make_engine, make_sessionmaker, unit_of_work
from server.drafts import service as drafts
from server.people.service import create_participant
from server.rounds import phases
from server.rounds import service as rounds
from server.rounds.service import GroupSpec

AREA = "91"  # Satun: the needs the members submit are in its first sub-district


@dataclass
class SeededRound:
    id: uuid.UUID
    slug: str
    clauses: list[uuid.UUID]
    participants: list[uuid.UUID]
    tokens: list[str]

    @property
    def gid(self) -> str:
        return ids.encode("Round", self.id)

    def clause_gid(self, index: int) -> str:
        return ids.encode("Clause", self.clauses[index])


async def seed_round(database_url: str, *, participants: int, clauses: int, slug: str = "soak") -> SeededRound:
    """The round's deliberation phase also takes needs: phases are data a facilitator shapes, and a round
    that keeps hearing needs while it votes puts every kind of input in front of consolidation at once."""
    engine = make_engine(database_url)
    try:
        async with unit_of_work(make_sessionmaker(engine)) as session:
            facilitator = await create_participant(session, None, display_name="Soak facilitator",
                                                   role="facilitator")
            round_ = await rounds.create_round(
                session, facilitator, slug=slug, title={"th": "รอบทดสอบความทนทาน", "en": "Soak round"},
                area_codes=[AREA],
                groups=[GroupSpec("villagers", {"en": "Villagers"}, quorum=2),
                        GroupSpec("government", {"en": "Government"}, quorum=1)])
            shaped = [phases.Phase(p.key, {**p.opens, "submit_need": p.opens["vote"]}, p.starts_at, p.ends_at)
                      if p.key == "deliberation" else p for p in phases.load(round_.phases)]
            phases.validate(shaped)
            round_.phases = [p.to_data() for p in shaped]
            await rounds.move_phase(session, facilitator, round_.id, "drafting")
            draft = await drafts.create_draft(session, facilitator, round_.id, title="ร่างนโยบายชายฝั่ง")
            clause_ids = [(await drafts.add_clause(session, facilitator, draft.id,
                                                   text=f"ข้อที่ {i + 1}: รัฐจะดูแลชายฝั่งหมู่บ้านที่ {i + 1}")).id
                          for i in range(clauses)]
            await rounds.move_phase(session, facilitator, round_.id, "deliberation")
            people, tokens = [], []
            for i in range(participants):
                person = await create_participant(session, None, display_name=f"Member {i + 1}")
                await rounds.add_member(session, facilitator, round_.id, person.id,
                                        group_key="government" if i % 5 == 0 else "villagers")
                _, plain = await create_token(session, None, person.id, name=f"soak member {i + 1}",
                                              scopes=["read", "participate"])
                people.append(person.id)
                tokens.append(plain)
            return SeededRound(round_.id, slug, clause_ids, people, tokens)
    finally:
        await engine.dispose()
