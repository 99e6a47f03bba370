"""A version's details: per clause, the text adopted for it with its voices and answers, and the figures of its
statements (the clause and its amendments) per declared and opinion group. Stored apart from the summary.

compute.py makes one result; a version stores it in two parts. The summary (`ConsolidatedProposal.result`)
is what every page and the API read: groups, opinion groups, consensus, needs coverage, and a digest of the
statements (`DIGEST`: how many, and the fewest voters behind any figure and behind each group's lack of
quorum, which is all the disclosure rules need of the statements not read). The details are a row per
clause (ProposalClause): for 5,000 clauses they were 7.3 of the 8.7 MB the summary used to be, and readers
of the summary never needed them.

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

from server.consolidation.models import ConsolidatedProposal, ProposalClause

Result = dict[str, Any]

STATEMENTS, CLAUSES = "statements", "clauses"  # where compute.py's result holds the details
DIGEST = "details"  # in the summary: what it keeps of the details


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
    rows = []
    for position, clause in enumerate(clause_list):
        own = grouped.pop(clause["clause_id"], [])
        rows.append(_row(proposal_id, position, clause["clause_id"], clause, own))
    for clause_id, own in grouped.items():  # statements of a clause not listed: after every listed one
        rows.append(_row(proposal_id, len(clause_list) + own[0][0], clause_id, None, own))
    if rows:
        await session.execute(insert(ProposalClause), rows)


def _row(proposal_id: uuid.UUID, position: int, clause_id: str, clause: Result | None,
         own: list[tuple[int, Result]]) -> dict[str, Any]:
    return {"proposal_id": proposal_id, "position": position, "clause_id": uuid.UUID(clause_id), "clause": clause,
            "statements": [s for _, s in own], "statement_ranks": [r for r, _ in own]}


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
    found: dict[uuid.UUID, list[Any]] = defaultdict(list)
    if part.page is not None:
        for p in proposals:
            found[p.id] = list((await session.execute(text(PAGE), {
                "proposal_id": p.id, "offset": (part.page - 1) * part.size, "limit": part.size})).all())
    else:
        ids = _uuids(part.clause_ids) if part.clause_ids is not None else None
        if ids == []:
            return [_merged(p, [], whole=False) for p in proposals]
        asked: dict[str, Any] = {"proposal_ids": [p.id for p in proposals]}
        rows = await session.execute(text(SOME), {**asked, "clause_ids": ids}) if ids is not None \
            else await session.execute(text(EVERY), asked)
        for row in rows:
            found[row.proposal_id].append(row)
    whole = part.clause_ids is None and part.page is None
    return [_merged(p, found[p.id], whole=whole) for p in proposals]


COLUMNS = "pc.proposal_id, pc.clause, pc.statements, pc.statement_ranks"
EVERY = f"SELECT {COLUMNS} FROM proposal_clauses pc WHERE pc.proposal_id = ANY(:proposal_ids) ORDER BY pc.position"
SOME = (f"SELECT {COLUMNS} FROM proposal_clauses pc WHERE pc.proposal_id = ANY(:proposal_ids) "
        "AND pc.clause_id = ANY(:clause_ids) ORDER BY pc.position")
# The report's reading order (report.py): drafts oldest first, clauses by their place now; clauses no longer
# found last, in the version's order. The order is decided on the narrow columns, and only the page's rows
# are read whole.
PAGE = f"""
    SELECT {COLUMNS} FROM proposal_clauses pc
    JOIN (SELECT pc.position, row_number() OVER (
                     ORDER BY c.id IS NULL, d.created_at, d.id, c.position, pc.position) AS n
          FROM proposal_clauses pc
          LEFT JOIN clauses c ON c.id = pc.clause_id LEFT JOIN drafts d ON d.id = c.draft_id
          WHERE pc.proposal_id = :proposal_id AND pc.clause IS NOT NULL) o ON o.position = pc.position
    WHERE pc.proposal_id = :proposal_id AND o.n > :offset AND o.n <= :offset + :limit
    ORDER BY o.n
"""
# what changed since a version needs no figures: the statements' ids, kinds, statuses and clauses, and each
# clause's adopted text, taken out inside PostgreSQL
OUTLINE_SQL = """
    SELECT pc.clause ->> 'clause_id' AS clause_id, pc.clause ->> 'adopted' AS adopted, pc.statement_ranks[s.n] AS rank,
           s.value ->> 'id' AS id, s.value ->> 'kind' AS kind, s.value ->> 'status' AS status,
           s.value ->> 'clause_id' AS statement_clause
    FROM proposal_clauses pc CROSS JOIN LATERAL jsonb_array_elements(pc.statements) WITH ORDINALITY AS s(value, n)
    WHERE pc.proposal_id = :proposal_id
    ORDER BY pc.position, s.n
"""


def _merged(proposal: ConsolidatedProposal, rows: Sequence[Any], *, whole: bool) -> Result:
    statements = sorted(((rank, s) for row in rows for rank, s in zip(row.statement_ranks, row.statements,
                                                                        strict=True)), key=lambda pair: pair[0])
    summary = dict(proposal.result)
    if whole:  # every statement is here: the rules need no digest of them
        summary.pop(DIGEST, None)
    return {**summary, STATEMENTS: [s for _, s in statements],
            CLAUSES: [row.clause for row in rows if row.clause is not None]}


async def _outline(session: AsyncSession, proposal: ConsolidatedProposal) -> Result:
    rows = (await session.execute(text(OUTLINE_SQL), {"proposal_id": proposal.id})).all()
    adopted: dict[str, str] = {}
    for row in rows:
        if row.clause_id is not None:
            adopted.setdefault(row.clause_id, row.adopted)
    return {**proposal.result,
            STATEMENTS: [{"id": r.id, "kind": r.kind, "status": r.status, "clause_id": r.statement_clause}
                         for r in sorted(rows, key=lambda r: r.rank)],
            CLAUSES: [{"clause_id": c, "adopted": a} for c, a in adopted.items()]}


def _uuids(values: Sequence[str] | None) -> list[uuid.UUID]:
    found = []
    for value in values or ():
        try:
            found.append(uuid.UUID(value))
        except (ValueError, TypeError):
            continue
    return found
