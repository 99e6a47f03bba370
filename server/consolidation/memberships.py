"""Who a version placed in which opinion group: written beside the version, read only when asked.

A version's summary (`ConsolidatedProposal.result`) is read whole by every page and by the API; kept in
it, this list made it grow with the number of people (4.3 of its 11.7 MB for 100,000). So it has a row of
its own (ProposalMembership: the clustered people's ids and their groups, two arrays in step), written in
the version's transaction, and two readers: one person's group, looked up inside PostgreSQL, and the
whole list (the CLI's --json), keyed as the result keyed it.

Versions stored before the table existed had the list in `result["opinion_groups"]`, keyed by external id
(an imported round's people) or else by id. Migration 0022 moved every list whose keys all still name a
member of the round, and took it out of the result; a list it could not move whole stays there, and the
readers below read it from there. Nothing else reads that key.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import numpy as np
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncSession

from server.consolidation.models import ConsolidatedProposal, ProposalMembership
from server.people.models import Participant

OLD_KEY = "opinion_groups"  # where versions stored before 0022 kept the list

EVERYONE = """
    SELECT COALESCE(p.external_id, p.id::text), m.opinion_group
    FROM proposal_memberships pm
    CROSS JOIN LATERAL unnest(pm.participant_ids, pm.opinion_groups) AS m(participant_id, opinion_group)
    JOIN participants p ON p.id = m.participant_id
    WHERE pm.proposal_id = :proposal_id
    ORDER BY m.participant_id
"""
# found inside PostgreSQL: the arrays never come to Python (NULL where the person is not in them)
ONE = """
    SELECT opinion_groups[array_position(participant_ids, :participant_id)]
    FROM proposal_memberships WHERE proposal_id = :proposal_id
"""


async def store(session: AsyncSession, proposal_id: uuid.UUID, participant_ids: Sequence[uuid.UUID],
                group_of: np.ndarray) -> None:
    """The clustered participants (group_of >= 0, in participant_ids' order) and their groups."""
    placed = np.flatnonzero(group_of >= 0).tolist()
    await session.execute(insert(ProposalMembership).values(
        proposal_id=proposal_id, participant_ids=[participant_ids[i] for i in placed],
        opinion_groups=group_of[placed].tolist()))


async def of_version(session: AsyncSession, proposal: ConsolidatedProposal) -> dict[str, int]:
    """Every clustered person's opinion group in this version, keyed as versions always named them."""
    stored = proposal.result.get(OLD_KEY)
    if stored is not None:
        return dict(stored)
    rows = await session.execute(text(EVERYONE), {"proposal_id": proposal.id})
    return dict(rows.all())


async def group_of(session: AsyncSession, proposal: ConsolidatedProposal, participant_id: uuid.UUID) -> int | None:
    """The opinion group this version placed one person in; None where they were not clustered."""
    stored = proposal.result.get(OLD_KEY)
    if stored is not None:
        person = await session.get(Participant, participant_id)
        return stored.get(person.external_id or str(participant_id)) if person is not None else None
    found: int | None = await session.scalar(text(ONE), {"proposal_id": proposal.id, "participant_id": participant_id})
    return found
