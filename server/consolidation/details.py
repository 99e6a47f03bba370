"""A version's details: per clause, the text adopted for it with its voices and answers, and the figures of its
statements (the clause and its amendments) per declared and opinion group. Stored apart from the summary.

compute.py makes one result; a version stores it in two parts. The summary (`ConsolidatedProposal.result`)
is what every page and the API read: groups, opinion groups, consensus, needs coverage, and a digest of the
statements (`DIGEST`: how many, and the fewest voters behind any figure and behind each group's lack of
quorum, which is all the disclosure rules need of the statements not read). The details are rows of BLOCK
clauses each (ProposalDetails): for 5,000 clauses they were 7.3 of the 8.7 MB the summary used to be, and
readers of the summary never needed them.

Every reader of a version's statements or clauses reads them through `result_of`, which puts the asked
details back beside the summary, in the shape compute.py made, and reads only those rows: all of them (the
exports, the API's statements and clauses, open data), some clauses (a commitment's clause, the clauses
answering a need), a page of clauses in reading order (the facilitators' report), or an outline (ids,
kinds, statuses, adopted texts: what changed since a version).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncSession

from server.consolidation.models import ConsolidatedProposal, ProposalDetails

Result = dict[str, Any]

STATEMENTS, CLAUSES = "statements", "clauses"  # where compute.py's result holds the details
DIGEST = "details"  # in the summary: what it keeps of the details
# clauses to a row: big enough for TOAST to compress a row as well as all of them together, small enough that
# a page of the report reads one or two
BLOCK = 100


@dataclass(frozen=True)
class Part:
    """Which details to read. `clause_ids`: those clauses only; `page`/`size`: one page of clauses in the
    report's reading order (from 1); `outline`: every statement's id, kind, status and clause and every
    clause's adopted text, nothing else; `nothing`: the summary alone."""

    clause_ids: tuple[str, ...] | None = None
    page: int | None = None
    size: int = 100
    outline: bool = False
    nothing: bool = False


ALL = Part()
SUMMARY = Part(nothing=True)
OUTLINE = Part(outline=True)


def clauses(ids: Sequence[str | uuid.UUID]) -> Part:
    return Part(clause_ids=tuple(str(i) for i in ids))


def page(number: int, size: int) -> Part:
    return Part(page=max(number, 1), size=size)


def summary_of(result: Result) -> Result:
    """The summary a version stores for a computed result: all but the details, and their digest."""
    statements, clause_list = result.get(STATEMENTS, []), result.get(CLAUSES, [])
    seen = [g["seen"] for s in statements for g in s.get("groups", {}).values()]
    most_lacking: dict[str, int] = {}
    for s in statements:
        for key in s.get("groups_lacking_quorum", []):
            most_lacking[key] = max(most_lacking.get(key, 0), s.get("groups", {}).get(key, {}).get("seen") or 0)
    return {**{k: v for k, v in result.items() if k not in (STATEMENTS, CLAUSES)},
            DIGEST: {"statements": len(statements), "clauses": len(clause_list),
                     "fewest_voters": min(seen) if seen else None, "under_heard_voters": most_lacking}}


def clause_count(proposal: ConsolidatedProposal) -> int:
    return int((proposal.result.get(DIGEST) or {}).get("clauses", 0))


async def store(session: AsyncSession, proposal_id: uuid.UUID, result: Result) -> None:
    """A computed result's details, as rows beside the version (its summary is stored by the caller)."""
    clause_list = result.get(CLAUSES, [])
    grouped: dict[str, list[tuple[int, Result]]] = defaultdict(list)
    for rank, statement in enumerate(result.get(STATEMENTS, [])):
        grouped[statement["clause_id"]].append((rank, statement))
    entries = [(c["clause_id"], c, grouped.pop(c["clause_id"], [])) for c in clause_list]
    # statements of a clause not listed: after every listed clause
    entries += [(clause_id, None, own) for clause_id, own in grouped.items()]
    rows = []
    for block, start in enumerate(range(0, len(entries), BLOCK)):
        part = entries[start:start + BLOCK]
        own = [pair for _, _, pairs in part for pair in pairs]
        rows.append({"proposal_id": proposal_id, "block": block,
                     "clause_ids": [uuid.UUID(clause_id) for clause_id, _, _ in part],
                     "clauses": [clause for _, clause, _ in part], "statements": [s for _, s in own],
                     "statement_ranks": [r for r, _ in own]})
    if rows:
        await session.execute(insert(ProposalDetails), rows)


async def result_of(session: AsyncSession, proposal: ConsolidatedProposal, part: Part = ALL) -> Result:
    """The version's result as compute.py shaped it, with the details `part` asks for (and only those)."""
    return (await results_of(session, [proposal], part))[0]


async def results_of(session: AsyncSession, proposals: Sequence[ConsolidatedProposal], part: Part = ALL
                     ) -> list[Result]:
    """result_of for several versions, in one statement where the part allows."""
    if part.nothing or not proposals:
        return [dict(p.result) for p in proposals]
    if part.outline:
        return [await _outline(session, p) for p in proposals]
    asked = {"proposal_ids": [p.id for p in proposals]}
    if part.page is not None:
        order: list[uuid.UUID] = []
        for p in proposals:
            order += (await session.scalars(text(PAGE_ORDER), {
                "proposal_id": p.id, "listed": clause_count(p), "block": BLOCK,
                "offset": (part.page - 1) * part.size, "limit": part.size})).all()
        ids: list[uuid.UUID] | None = order
    else:
        ids = _uuids(part.clause_ids) if part.clause_ids is not None else None
    found: dict[uuid.UUID, list[Any]] = defaultdict(list)
    if ids != []:
        rows = await session.execute(text(SOME), {**asked, "clause_ids": ids}) if ids is not None \
            else await session.execute(text(EVERY), asked)
        for row in rows:
            found[row.proposal_id].append(row)
    return [_merged(p, found[p.id], None if ids is None else ids) for p in proposals]


COLUMNS = "d.proposal_id, d.clause_ids, d.clauses, d.statements, d.statement_ranks"
EVERY = f"SELECT {COLUMNS} FROM proposal_details d WHERE d.proposal_id = ANY(:proposal_ids) ORDER BY d.block"
# the blocks holding these clauses (the && is answered from the small clause_ids: the others stay compressed)
SOME = (f"SELECT {COLUMNS} FROM proposal_details d WHERE d.proposal_id = ANY(:proposal_ids) "
        "AND d.clause_ids && CAST(:clause_ids AS uuid[]) ORDER BY d.block")
# A page of the report's reading order (report.py): drafts oldest first, clauses by their place now; clauses
# no longer found last, in the version's order. Decided on clause_ids alone; the listed clauses are the
# version's first `listed`, the rest hold only amendments of clauses not listed.
PAGE_ORDER = """
    SELECT u.clause_id FROM proposal_details d
    CROSS JOIN LATERAL unnest(d.clause_ids) WITH ORDINALITY AS u(clause_id, n)
    LEFT JOIN clauses c ON c.id = u.clause_id LEFT JOIN drafts r ON r.id = c.draft_id
    WHERE d.proposal_id = :proposal_id AND d.block * :block + u.n - 1 < :listed
    ORDER BY c.id IS NULL, r.created_at, r.id, c.position, d.block, u.n
    OFFSET :offset LIMIT :limit
"""
# what changed since a version needs no figures: the statements' ids, kinds, statuses and clauses, and each
# clause's adopted text, taken out inside PostgreSQL
OUTLINE_STATEMENTS = """
    SELECT d.statement_ranks[s.n] AS rank, s.value ->> 'id' AS id, s.value ->> 'kind' AS kind,
           s.value ->> 'status' AS status, s.value ->> 'clause_id' AS clause_id
    FROM proposal_details d CROSS JOIN LATERAL jsonb_array_elements(d.statements) WITH ORDINALITY AS s(value, n)
    WHERE d.proposal_id = :proposal_id
"""
OUTLINE_CLAUSES = """
    SELECT c.value ->> 'clause_id' AS clause_id, c.value ->> 'adopted' AS adopted
    FROM proposal_details d CROSS JOIN LATERAL jsonb_array_elements(d.clauses) WITH ORDINALITY AS c(value, n)
    WHERE d.proposal_id = :proposal_id AND jsonb_typeof(c.value) = 'object'
    ORDER BY d.block, c.n
"""


def _merged(proposal: ConsolidatedProposal, rows: Sequence[Any], only: Sequence[uuid.UUID] | None) -> Result:
    """The summary with the details of these blocks; `only`: of these clauses alone, in this order."""
    wanted = None if only is None else {str(i): n for n, i in enumerate(only)}
    statements = sorted((pair for row in rows for pair in zip(row.statement_ranks, row.statements, strict=True)
                         if wanted is None or pair[1]["clause_id"] in wanted), key=lambda pair: pair[0])
    clause_list = [c for row in rows for c in row.clauses if c is not None
                   and (wanted is None or c["clause_id"] in wanted)]
    summary = dict(proposal.result)
    if wanted is None:  # every statement is here: the rules need no digest of them
        summary.pop(DIGEST, None)
    else:
        clause_list.sort(key=lambda c: wanted[c["clause_id"]])
    return {**summary, STATEMENTS: [s for _, s in statements], CLAUSES: clause_list}


async def _outline(session: AsyncSession, proposal: ConsolidatedProposal) -> Result:
    asked = {"proposal_id": proposal.id}
    statements = (await session.execute(text(OUTLINE_STATEMENTS), asked)).all()
    clause_list = (await session.execute(text(OUTLINE_CLAUSES), asked)).all()
    return {**proposal.result,
            STATEMENTS: [{"id": r.id, "kind": r.kind, "status": r.status, "clause_id": r.clause_id}
                         for r in sorted(statements, key=lambda r: r.rank)],
            CLAUSES: [{"clause_id": r.clause_id, "adopted": r.adopted} for r in clause_list]}


def _uuids(values: Sequence[str] | None) -> list[uuid.UUID]:
    found = []
    for value in values or ():
        try:
            found.append(uuid.UUID(value))
        except (ValueError, TypeError):
            continue
    return found
