"""How a version's details are stored: in blocks of 100 clauses (proposal_details, server/consolidation/details.py)
against the two other shapes considered, one JSONB column beside the summary (as a deferred column would keep
them) and a row per clause: size, and what each reader pays, in the same run.

Run after benchmarks/consolidate.py, on the database it left (its newest version):
    .venv/bin/python benchmarks/proposal_details.py --database-url postgresql://postgres@127.0.0.1:5432/ruam_bench_summary

It copies that version's details into two tables of its own (alt_column, alt_rows; dropped at the end) and
times, best of 7, each in a fresh session with latest() first: the summary alone, the facilitators' report()
(its first page, and whole), the summary with every detail in one value (what latest() parsed before migration 0025), a page of 100 clauses with their statements
(the version's first), every detail, the outline that what changed since a version needs; then storing a
version's details (the INSERT, rolled back). The blocks are read by details.result_of; the other two by the
equivalent SQL, their JSON parsed as the ORM would.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shlex
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text

from server.consolidation import details
from server.consolidation.models import ConsolidatedProposal
from server.consolidation.report import report
from server.consolidation.service import latest
from server.database import make_engine, make_sessionmaker, unit_of_work
from server.disclosure import FACILITATOR
from server.rounds.models import Round

BUILD = [
    "DROP TABLE IF EXISTS alt_column, alt_rows",
    """CREATE TABLE alt_column AS SELECT d.proposal_id, jsonb_build_object(
        'statements', (SELECT jsonb_agg(s.value ORDER BY d.statement_ranks[s.n]) FROM proposal_details d
                       CROSS JOIN LATERAL jsonb_array_elements(d.statements) WITH ORDINALITY s(value, n)
                       WHERE d.proposal_id = :id),
        'clauses', (SELECT jsonb_agg(c.value ORDER BY d.block, c.n) FROM proposal_details d
                    CROSS JOIN LATERAL jsonb_array_elements(d.clauses) WITH ORDINALITY c(value, n)
                    WHERE d.proposal_id = :id)) AS details
       FROM (SELECT CAST(:id AS uuid) AS proposal_id) d""",
    """CREATE TABLE alt_rows AS
       SELECT d.proposal_id, (d.block * 100 + c.n - 1)::integer AS position, (c.value ->> 'clause_id')::uuid AS clause_id,
              c.value AS clause,
              (SELECT jsonb_agg(s.value) FROM jsonb_array_elements(d.statements) s(value)
               WHERE s.value ->> 'clause_id' = c.value ->> 'clause_id') AS statements
       FROM proposal_details d CROSS JOIN LATERAL jsonb_array_elements(d.clauses) WITH ORDINALITY c(value, n)
       WHERE d.proposal_id = :id""",
    "ALTER TABLE alt_rows ADD PRIMARY KEY (proposal_id, position)",
    "VACUUM ANALYZE alt_column",
    "VACUUM ANALYZE alt_rows",
]
SIZES = """
    SELECT (SELECT pg_column_size(result) FROM consolidated_proposals WHERE id = :id),
           (SELECT sum(pg_column_size(clause_ids) + pg_column_size(clauses) + pg_column_size(statements)
                       + pg_column_size(statement_ranks)) FROM proposal_details WHERE proposal_id = :id),
           (SELECT pg_column_size(details) FROM alt_column),
           (SELECT sum(pg_column_size(clause) + pg_column_size(statements)) FROM alt_rows),
           (SELECT pg_relation_size('alt_rows') + pg_relation_size(reltoastrelid) FROM pg_class
            WHERE relname = 'alt_rows')
"""
COLUMN = {
    "whole summary": "SELECT cp.result || a.details FROM consolidated_proposals cp JOIN alt_column a ON a.proposal_id = cp.id",
    # PostgreSQL takes the first 100 clauses and their statements out of the one value
    "page": """
        WITH page AS (SELECT c.value FROM alt_column a,
                      jsonb_array_elements(a.details -> 'clauses') WITH ORDINALITY c(value, n) WHERE c.n <= 100)
        SELECT (SELECT jsonb_agg(value) FROM page),
               (SELECT jsonb_agg(s.value) FROM alt_column a, jsonb_array_elements(a.details -> 'statements') s(value)
                WHERE s.value ->> 'clause_id' IN (SELECT value ->> 'clause_id' FROM page))""",
    "whole": "SELECT details FROM alt_column",
    "outline": """SELECT s.value ->> 'id', s.value ->> 'kind', s.value ->> 'status'
                  FROM alt_column a, jsonb_array_elements(a.details -> 'statements') s(value)""",
}
ROWS = {
    "page": "SELECT clause, statements FROM alt_rows ORDER BY position LIMIT 100",
    "whole": "SELECT clause, statements FROM alt_rows ORDER BY position",
    "outline": """SELECT s.value ->> 'id', s.value ->> 'kind', s.value ->> 'status'
                  FROM alt_rows r, jsonb_array_elements(r.statements) s(value)""",
}


async def best(work: Callable[[], Awaitable[Any]], times: int = 7) -> float:
    spent = []
    for _ in range(times):
        start = time.perf_counter()
        await work()
        spent.append(time.perf_counter() - start)
    return min(spent) * 1e3


def parsed(rows: Any) -> list[list[Any]]:
    """JSON values parsed, as the ORM's JSONB columns are (text() hands them over as text)."""
    return [[json.loads(v) if isinstance(v, str) and v[:1] in "[{" else v for v in row] for row in rows]


async def run(url: str) -> None:
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    async with unit_of_work(sessions) as session:
        round_id = await session.scalar(text(
            "SELECT round_id FROM consolidated_proposals ORDER BY created_at DESC, version DESC LIMIT 1"))
        proposal = await latest(session, round_id)
        assert proposal is not None
        for statement in BUILD[:4]:
            await session.execute(text(statement), {"id": proposal.id})
        whole = await details.result_of(session, proposal)
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        for statement in BUILD[4:]:
            await conn.execute(text(statement))
        sizes = (await conn.execute(text(SIZES), {"id": proposal.id})).one()
    print(f"version {proposal.version}: {len(whole['clauses']):,} clauses, {len(whole['statements']):,} statements")
    print(f"stored: summary {sizes[0] / 1e3:.1f} kB; details in blocks {sizes[1] / 1e6:.2f} MB, "
          f"in one JSONB column {sizes[2] / 1e6:.2f} MB, a row per clause {sizes[3] / 1e6:.2f} MB (its table "
          f"{sizes[4] / 1e6:.2f} MB)")

    def fresh(work: Callable[[Any, ConsolidatedProposal], Awaitable[Any]]) -> Callable[[], Awaitable[Any]]:
        async def timed() -> Any:
            async with unit_of_work(sessions) as session:
                found = await latest(session, round_id)
                assert found is not None
                return await work(session, found)
        return timed

    def sql(statement: str) -> Callable[[], Awaitable[Any]]:
        async def read(session: Any, _: ConsolidatedProposal) -> Any:
            return parsed((await session.execute(text(statement))).all())
        return fresh(read)

    def blocks(part: details.Part) -> Callable[[], Awaitable[Any]]:
        async def read(session: Any, found: ConsolidatedProposal) -> Any:
            return await details.result_of(session, found, part)
        return fresh(read)

    def facilitators_report(page: int | None) -> Callable[[], Awaitable[Any]]:
        async def read(session: Any, found: ConsolidatedProposal) -> Any:
            round_ = await session.get(Round, found.round_id)
            return await report(session, round_, found, FACILITATOR, page=page)
        return fresh(read)

    cases = [
        ("latest(): the summary alone", blocks(details.SUMMARY), None, None),
        ("latest() and the facilitators' report(), first page", facilitators_report(1), None, None),
        ("latest() and the whole report() (the CSV's and the PDF's)", facilitators_report(None), None, None),
        ("latest() with every detail in one value (before 0025)", None, sql(COLUMN["whole summary"]), None),
        ("a page of 100 clauses and their statements", blocks(details.page(1, 100)), sql(COLUMN["page"]),
         sql(ROWS["page"])),
        ("every detail", blocks(details.ALL), sql(COLUMN["whole"]), sql(ROWS["whole"])),
        ("the outline (what changed since)", blocks(details.OUTLINE), sql(COLUMN["outline"]), sql(ROWS["outline"])),
    ]
    print(f"\n{'ms, best of 7 (latest() included, a fresh session each time)':<58} {'blocks':>8} {'column':>8} "
          f"{'rows':>8}")
    for label, *reads in cases:
        figures = [f"{await best(read):>8.1f}" if read is not None else f"{'':>8}" for read in reads]
        print(f"{label:<58} {' '.join(figures)}")

    copy = ("INSERT INTO consolidated_proposals (id, round_id, version, algorithm_version, parameters, inputs_hash, "
            "input_counts, result, changes) SELECT :new, round_id, -1, algorithm_version, parameters, inputs_hash, "
            "input_counts, result, changes FROM consolidated_proposals WHERE id = :id")
    parts = {"statements": whole["statements"], "clauses": whole["clauses"]}

    async def stored(shape: str) -> float:
        """Storing the details of a copy of the version, rolled back: the INSERT alone is timed."""
        new = uuid.uuid4()
        async with sessions() as session, session.begin():
            await session.execute(text(copy), {"new": new, "id": proposal.id})
            start = time.perf_counter()
            if shape == "blocks":
                await details.store(session, new, parts)
            elif shape == "column":
                await session.execute(text("INSERT INTO alt_column VALUES (:id, CAST(:d AS jsonb))"),
                                      {"id": new, "d": json.dumps(parts)})
            else:
                by_clause: dict[str, list[Any]] = {}
                for s in whole["statements"]:
                    by_clause.setdefault(s["clause_id"], []).append(s)
                await session.execute(text(
                    "INSERT INTO alt_rows VALUES (:id, :position, :clause_id, CAST(:clause AS jsonb), "
                    "CAST(:statements AS jsonb))"), [
                    {"id": new, "position": n, "clause_id": uuid.UUID(c["clause_id"]), "clause": json.dumps(c),
                     "statements": json.dumps(by_clause.get(c["clause_id"], []))}
                    for n, c in enumerate(whole["clauses"])])
            spent = time.perf_counter() - start
            await session.rollback()
        return spent * 1e3

    figures = [min([await stored(shape) for _ in range(3)]) for shape in ("blocks", "column", "rows")]
    print(f"{'storing a version details (INSERT, rolled back; best of 3)':<58} "
          + " ".join(f"{f:>8.1f}" for f in figures))
    async with engine.begin() as conn:
        await conn.execute(text("DROP TABLE alt_column, alt_rows"))
    await engine.dispose()
    load = os.getloadavg()
    print(f"\nload average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print("command: " + shlex.join([os.path.relpath(sys.executable), *sys.argv]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="the database benchmarks/consolidate.py left")
    asyncio.run(run(parser.parse_args().database_url))


if __name__ == "__main__":
    main()
