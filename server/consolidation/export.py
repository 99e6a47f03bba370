"""A proposal as open data: CSV, one row per clause and declared group.

Columns are stable English keys so that scripts can rely on them; texts (clauses, group names)
are as people wrote them. The report says what its audience may see (rules.py): in a public export a
per-group figure resting on fewer than 3 people, and every flag derived from it (below_threshold,
lacks_quorum, and the group in groups_to_ask and dissent), reads "fewer than 3" in the reader's language
(disclosure.fewer_than) or is left out. The file starts with a UTF-8 byte order mark so that spreadsheet
programs read Thai correctly, and cells that a spreadsheet would run as a formula are quoted with an
apostrophe.
"""

from __future__ import annotations

import csv
import io

from server.consolidation.report import GroupFigure, Report
from server.disclosure import fewer_than

COLUMNS = (
    "round", "version", "published_at", "draft", "clause_number", "clause_id", "clause_text", "amended",
    "status", "groups_to_ask", "dissent", "needs_answered", "group", "group_name", "group_participants",
    "agree", "disagree", "pass", "seen", "support", "support_low", "support_high", "below_threshold",
    "lacks_quorum",
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def _name(texts: dict[str, str], locale: str) -> str:
    return texts.get(locale) or texts.get("th") or next(iter(texts.values()), "")


def _figures(f: GroupFigure, fewer: str) -> list[object]:
    if not f.disclosed or f.p is None or f.low is None or f.high is None:
        return [fewer] * 9
    return [f.agree, f.disagree, f.passed, f.seen, round(f.p, 4), round(f.low, 4), round(f.high, 4),
            f.below_threshold, f.lacks_quorum]


def proposal_csv(report: Report, *, locale: str = "th") -> str:
    fewer = fewer_than(locale)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    proposal = report.proposal
    published = proposal.published_at.isoformat() if proposal.published_at else ""
    for clause in report.clauses:
        head = [report.round.slug, proposal.version, published, clause.draft_title, clause.number,
                clause.clause_id, clause.text, clause.amended, clause.status, ";".join(clause.groups_to_ask),
                ";".join(f.key for f in clause.dissenting()), len(clause.answers)]
        for f in clause.figures:
            group = report.group(f.key)
            people = group.participants if group and group.participants is not None else fewer
            writer.writerow([_cell(v) for v in (*head, f.key, _name(f.name, locale), people, *_figures(f, fewer))])
    return out.getvalue()
