"""A proposal as open data: CSV, one row per clause and declared group; JSON, the same as one document.

Columns are stable English keys so that scripts can rely on them; texts (clauses, group names)
are as people wrote them. The report says what its audience may see (rules.py): in a public export a
per-group figure resting on fewer than 3 people, and every flag derived from it (below_threshold,
lacks_quorum, and the group in groups_to_ask and dissent), reads "fewer than 3" in the reader's language
(disclosure.fewer_than) or is left out. The file starts with a UTF-8 byte order mark so that spreadsheet
programs read Thai correctly, and cells that a spreadsheet would run as a formula are quoted with an
apostrophe.

Each clause also carries its bridging scores (bridging.py: how well its adopted text is agreed across the
declared groups, and across the opinion groups, 0 to 1), empty where there is none: too few votes from
some group (named in bridging_groups_lacking_votes), or, in a public export, a group's figures hidden.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from server.consolidation.report import GroupFigure, Report
from server.disclosure import fewer_than

COLUMNS = (
    "round", "version", "published_at", "draft", "clause_number", "clause_id", "clause_text", "amended",
    "status", "groups_to_ask", "dissent", "needs_answered", "group", "group_name", "group_participants",
    "agree", "disagree", "pass", "seen", "support", "support_low", "support_high", "below_threshold",
    "lacks_quorum", "bridging_across_groups", "bridging_groups_lacking_votes", "bridging_across_opinion_groups",
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


def _score(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


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
        bridge = [_score(clause.bridging), ";".join(clause.bridging_lacking), _score(clause.bridging_opinion)]
        for f in clause.figures:
            group = report.group(f.key)
            people = group.participants if group and group.participants is not None else fewer
            writer.writerow([_cell(v) for v in (*head, f.key, _name(f.name, locale), people, *_figures(f, fewer),
                                                 *bridge)])
    return out.getvalue()


def _figure_json(f: GroupFigure, locale: str, fewer: str) -> dict[str, Any]:
    keys = ("agree", "disagree", "pass", "seen", "support", "support_low", "support_high", "below_threshold",
            "lacks_quorum")
    disclosed = f.disclosed and None not in (f.p, f.low, f.high)  # as the CSV's _figures decides
    values = _figures(f, fewer) if disclosed else [None] * len(keys)
    return {"group": f.key, "group_name": _name(f.name, locale), "shown": disclosed,
            **dict(zip(keys, values, strict=True)),
            "note": None if disclosed else fewer}


def proposal_json(report: Report, *, locale: str = "th") -> dict[str, Any]:
    """The proposal as one JSON document: the CSV's figures and words, with its needs; a figure not shown
    is null, with the words "fewer than 3" beside it."""
    fewer = fewer_than(locale)
    proposal = report.proposal
    return {
        "round": report.round.slug, "round_title": _name(report.round.title, locale),
        "version": proposal.version,
        "published_at": proposal.published_at.isoformat() if proposal.published_at else None,
        "threshold": report.threshold,
        "groups": [{"group": g.key, "group_name": _name(g.name, locale), "quorum": g.quorum,
                    "participants": g.participants, "note": None if g.disclosed else fewer} for g in report.groups],
        "clauses": [{
            "clause_id": c.clause_id, "clause_number": c.number, "draft": c.draft_title, "clause_text": c.text,
            "amended": c.amended, "status": c.status, "groups_to_ask": c.groups_to_ask,
            "dissent": [f.key for f in c.dissenting()],
            "needs_answered": [{"need_id": n, "title": t} for n, t in c.answers],
            "support": [_figure_json(f, locale, fewer) for f in c.figures],
            "bridging": {"across_groups": _score(c.bridging), "groups_lacking_votes": list(c.bridging_lacking),
                         "across_opinion_groups": _score(c.bridging_opinion),
                         "opinion_groups_lacking_votes": list(c.bridging_opinion_lacking)},
            "voices": {"for": [v["body"] for v in c.voices_for], "against": [v["body"] for v in c.voices_against]},
        } for c in report.clauses],
        "needs": {"answered": report.answered, "unanswered": [
            {"group": g.key if g else None, "group_name": _name(g.name, locale) if g else None,
             "needs": [{"need_id": n["need_id"], "title": n["title"]} for n in needs]}
            for g, needs in report.unanswered]},
        "input_counts": report.input_counts,
        "algorithm_version": proposal.algorithm_version, "inputs_hash": proposal.inputs_hash,
    }
