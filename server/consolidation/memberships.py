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
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from server.consolidation.history import KSmoother, Prior
from server.consolidation.models import ConsolidatedProposal
from server.consolidation.votes_index import IdIndex, halves_of_bytes
from server.database import driver_connection
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
# the ids as one run of 16-byte values, which numpy reads at once
WARM = """
    SELECT (SELECT string_agg(uuid_send(u), ''::bytea ORDER BY o)
            FROM unnest(participant_ids) WITH ORDINALITY AS t(u, o)),
           opinion_groups, base_clusters,
           (SELECT string_agg(uuid_send(u), ''::bytea ORDER BY o)
            FROM unnest(axis_statement_ids) WITH ORDINALITY AS t(u, o)),
           axes
    FROM proposal_memberships WHERE proposal_id = :proposal_id
"""
# found inside PostgreSQL: the arrays never come to Python (NULL where the person is not in them)
ONE = """
    SELECT opinion_groups[array_position(participant_ids, :participant_id)]
    FROM proposal_memberships WHERE proposal_id = :proposal_id
"""


async def store(session: AsyncSession, proposal_id: uuid.UUID, participant_ids: Sequence[uuid.UUID],
                group_of: np.ndarray, base_of: np.ndarray | None = None,
                statement_ids: Sequence[uuid.UUID] | None = None, axes: np.ndarray | None = None) -> None:
    """The clustered participants (group_of >= 0, in participant_ids' order) and their groups; and what the
    next version starts from: their base clusters and the principal axes over `statement_ids`."""
    placed = np.flatnonzero(group_of >= 0)
    # through the driver: SQLAlchemy's array binding handles each of 100,000 ids in Python
    await (await driver_connection(session)).execute(
        "INSERT INTO proposal_memberships (proposal_id, participant_ids, opinion_groups, base_clusters, "
        "axis_statement_ids, axes) VALUES ($1, $2, $3, $4, $5, $6)",
        proposal_id, [participant_ids[i] for i in placed.tolist()], group_of[placed].tolist(),
        base_of[placed].tolist() if base_of is not None else None,
        list(statement_ids) if axes is not None and statement_ids is not None else None,
        np.ascontiguousarray(axes, dtype="<f8").tobytes() if axes is not None else None)


async def prior(session: AsyncSession, proposal: ConsolidatedProposal, participant_ids: list[uuid.UUID],
                statement_ids: list[uuid.UUID], smoother: KSmoother | None) -> Prior | None:
    """What the next version starts from, in its rows (`participant_ids`) and columns (`statement_ids`); None
    for a version whose groups are kept in its result (stored before 0022): read those with `of_version`.

    The arrays come as bytes and are matched to rows in numpy, not as 100,000 uuid objects in a dict."""
    row = (await session.execute(text(WARM), {"proposal_id": proposal.id})).first()
    if row is None or proposal.result.get(OLD_KEY) is not None:
        return None
    people, groups, bases, statements, axes = row
    n = len(participant_ids)
    group = np.full(n, -1, dtype=np.int64)
    base = np.full(n, -1, dtype=np.int64) if bases is not None else None
    if people and participant_ids:
        at = IdIndex(participant_ids).find(*halves_of_bytes(people))
        here = at >= 0
        group[at[here]] = np.asarray(groups, dtype=np.int64)[here]
        if base is not None:
            base[at[here]] = np.asarray(bases, dtype=np.int64)[here]
    previous_axes = None
    if axes is not None and statements and statement_ids:
        stored = np.frombuffer(axes, dtype="<f8").reshape(-1, len(statements) // 16)
        column = IdIndex(statement_ids).find(*halves_of_bytes(statements))
        here = column >= 0
        previous_axes = np.zeros((len(stored), len(statement_ids)))
        previous_axes[:, column[here]] = stored[:, here]
    return Prior(group=group, smoother=smoother, base=base, axes=previous_axes)

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
