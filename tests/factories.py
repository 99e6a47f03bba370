"""make_<thing>(session, **overrides): small builders over the real services."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from server.drafts import service as drafts
from server.needs import service as needs
from server.people import service as people
from server.people.models import Participant
from server.rounds import service as rounds
from server.rounds.models import Round
from server.rounds.service import GroupSpec

_counter = itertools.count(1)


async def make_participant(session: AsyncSession, **overrides: Any) -> Participant:
    values: dict[str, Any] = {"display_name": f"Person {next(_counter)}", "role": "participant"}
    values.update(overrides)
    return await people.create_participant(session, None, **values)


async def make_round(session: AsyncSession, facilitator: Participant | None = None, *,
                     phase: str | None = None, **overrides: Any) -> Round:
    facilitator = facilitator or await make_participant(session, role="facilitator")
    values: dict[str, Any] = {
        "slug": f"round-{next(_counter)}",
        "title": {"th": "รอบทดสอบ", "en": "Test round"},
        "groups": [GroupSpec("villagers", {"en": "Villagers"}, quorum=2),
                   GroupSpec("government", {"en": "Government"}, quorum=1)],
        "area_codes": ["91"],
    }
    values.update(overrides)
    round_ = await rounds.create_round(session, facilitator, **values)
    if phase:
        await rounds.move_phase(session, facilitator, round_.id, phase)
    return round_


async def make_member(session: AsyncSession, round_: Round, group_key: str | None = "villagers",
                      **overrides: Any) -> Participant:
    participant = await make_participant(session, **overrides)
    facilitator = await session.get(Participant, round_.created_by_id)
    await rounds.add_member(session, facilitator, round_.id, participant.id, group_key=group_key)
    return participant


async def make_need(session: AsyncSession, round_: Round, author: Participant, **overrides: Any):
    values: dict[str, Any] = {"title": "น้ำกัดเซาะชายฝั่ง", "area_code": "910101", "sector": "land_housing",
                              "severity": 4, "people_affected": 120, "hazards": ["coastal"]}
    values.update(overrides)
    return await needs.submit_need(session, author, round_.id, **values)


async def make_clause(session: AsyncSession, round_: Round, **overrides: Any):
    """A draft with one clause, made by the round's facilitator in the drafting phase."""
    facilitator = await session.get(Participant, round_.created_by_id)
    previous = round_.current_phase
    await rounds.move_phase(session, facilitator, round_.id, "drafting")
    draft = await drafts.create_draft(session, facilitator, round_.id, title="ร่างนโยบาย")
    values: dict[str, Any] = {"text": "รัฐจะออกโฉนดชุมชนภายในหนึ่งปี"}
    values.update(overrides)
    clause = await drafts.add_clause(session, facilitator, draft.id, **values)
    await rounds.move_phase(session, facilitator, round_.id, previous)
    return clause


async def publish_round(session: AsyncSession, round_: Round) -> None:
    """Consolidates the round and publishes that version, as its facilitator."""
    from server.consolidation.service import consolidate, publish

    facilitator = await session.get(Participant, round_.created_by_id)
    proposal = await consolidate(session, round_.id)
    await publish(session, facilitator, round_.id, proposal.version, while_voting=True)


async def published_answer(session: AsyncSession):
    """A round whose clause answers a villager's need, deliberated (the villager agrees) and published:
    (round, facilitator, villager, clause, need)."""
    from server.deliberation import service as deliberation

    round_ = await make_round(session)
    facilitator = await session.get(Participant, round_.created_by_id)
    villager = await make_member(session, round_)
    need = await make_need(session, round_, villager, title="ไม่มีโฉนดที่ดิน")
    clause = await make_clause(session, round_, answers=[need.id])
    await rounds.move_phase(session, facilitator, round_.id, "deliberation")
    await deliberation.cast_vote(session, villager, clause.id, "agree")
    await publish_round(session, round_)
    return round_, facilitator, villager, clause, need


async def make_commitment(session: AsyncSession, clause, **overrides: Any):
    """An agency's commitment to `clause`, recorded by its round's facilitator (the round must be published)."""
    from server.commitments.service import record_commitment

    round_ = await session.get(Round, clause.round_id)
    facilitator = await session.get(Participant, round_.created_by_id)
    values: dict[str, Any] = {"agency": f"กรมที่ดิน {next(_counter)}", "owner": "สำนักงานที่ดินจังหวัดสตูล"}
    values.update(overrides)
    return await record_commitment(session, facilitator, clause.id, **values)
