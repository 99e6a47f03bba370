"""A proposal as open data: CSV, one row per clause and declared group.

Columns are stable English keys so that scripts can rely on them; texts (clauses, group names)
are as people wrote them. A public export never carries a per-group figure resting on fewer than
3 people: those cells read "fewer than 3" (DESIGN.md, privacy). The file starts with a UTF-8 byte
order mark so that spreadsheet programs read Thai correctly, and cells that a spreadsheet would
run as a formula are quoted with an apostrophe.
"""

from __future__ import annotations

import csv
import io

from server.consolidation.report import GroupFigure, Report

FEWER = "fewer than 3"
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


def _figures(f: GroupFigure, public: bool) -> list[object]:
    if not f.shown(public):
        return [FEWER] * 8
    return [f.agree, f.disagree, f.passed, f.seen, round(f.p, 4), round(f.low, 4), round(f.high, 4),
            f.below_threshold]


def proposal_csv(report: Report, *, public: bool = True, locale: str = "th") -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    proposal = report.proposal
    published = proposal.published_at.isoformat() if proposal.published_at else ""
    for clause in report.clauses:
        head = [report.round.slug, proposal.version, published, clause.draft_title, clause.number,
                clause.clause_id, clause.text, clause.amended, clause.status, ";".join(clause.groups_to_ask),
                ";".join(f.key for f in clause.dissenting(public)), len(clause.answers)]
        for f in clause.figures:
            group = report.group(f.key)
            people = group.participants if group and group.shown(public) else FEWER
            writer.writerow([_cell(v) for v in (*head, f.key, _name(f.name, locale), people,
                                                 *_figures(f, public), f.lacks_quorum)])
    return out.getvalue()
