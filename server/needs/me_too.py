""""Me too" counted across a need's family: the one named function every reader shows (pages, GraphQL).

A need raised in a standing channel may be merged into another (a duplicate) and brought into rounds (a copy
there, linked to its origin). They are one need to the people behind it, so each of them shows one count:
every person who said "me too" to any need of the family, and the author of every merged duplicate, each
once, never the family's own author (the author of the need the others lead back to).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# up: from each need asked about to its family's first need (a duplicate's kept need, a copy's origin);
# down: from there to every need merged into it or copied from it, at any depth. UNION, not UNION ALL: a loop
# the services never make would still end.
_COUNTS = text("""
    WITH RECURSIVE up(start, node, parent) AS (
        SELECT n.id, n.id, coalesce(n.duplicate_of_id, n.origin_id) FROM needs n WHERE n.id = ANY(:ids)
        UNION
        SELECT up.start, p.id, coalesce(p.duplicate_of_id, p.origin_id) FROM up JOIN needs p ON p.id = up.parent
    ),
    roots(start, root) AS (SELECT start, node FROM up WHERE parent IS NULL),
    family(start, member) AS (
        SELECT start, root FROM roots
        UNION
        SELECT f.start, c.id FROM family f JOIN needs c ON c.duplicate_of_id = f.member OR c.origin_id = f.member
    ),
    people(start, person) AS (
        SELECT f.start, e.participant_id FROM family f JOIN endorsements e ON e.need_id = f.member
        UNION
        SELECT f.start, n.author_id FROM family f JOIN needs n ON n.id = f.member
        WHERE n.duplicate_of_id IS NOT NULL AND n.author_id IS NOT NULL
    )
    SELECT p.start, count(DISTINCT p.person) FROM people p
    JOIN roots r ON r.start = p.start JOIN needs root ON root.id = r.root
    WHERE root.author_id IS NULL OR p.person <> root.author_id
    GROUP BY p.start
""")


async def me_too_counts(session: AsyncSession, need_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    """How many people said "me too" to each need, counted across its family (0 for none)."""
    if not need_ids:
        return defaultdict(int)
    rows = await session.execute(_COUNTS, {"ids": list(need_ids)})
    return defaultdict(int, {start: count for start, count in rows})  # noqa: C416 -- a Result is not a mapping
