"""The risk cells as downloads (CSV, JSON): the same cells, with the same figures left out, as the page shows."""

from __future__ import annotations

import csv
import io
from typing import Any

from server.disclosure import SMALL_GROUP
from server.risk.cells import Cell, Ranked
from server.risk.service import RiskView

COLUMNS = ("areaCode", "areaName", "sector", "hazard", "group", "groupName", "needs", "peopleAffected",
           "peopleUnknown", "severityMean", "severityMax", "score", "answeredShare", "small", "leftOut")


def cell_row(view: RiskView, cell: Cell, locale: str) -> dict[str, Any]:
    f = cell.figures
    return {
        "areaCode": cell.area_code, "areaName": view.area_name(cell.area_code, locale), "sector": cell.sector,
        "hazard": cell.hazard, "group": cell.group, "groupName": view.group_name(cell.group, locale),
        "needs": f.needs if f else None, "peopleAffected": f.people_affected if f else None,
        "peopleUnknown": f.people_unknown if f else None, "severityMean": f.severity_mean if f else None,
        "severityMax": f.severity_max if f else None, "score": f.score if f else None,
        "answeredShare": f.answered_share if f else None, "small": cell.small, "leftOut": cell.left_out}


def ranked_row(view: RiskView, ranked: Ranked, locale: str, *, area: bool) -> dict[str, Any]:
    name = view.area_name(ranked.key, locale) if area and ranked.key else view.group_name(ranked.key, locale)
    return {"key": ranked.key, "name": name, "score": ranked.score, "needs": ranked.needs,
            "peopleAffected": ranked.people_affected, "peopleUnknown": ranked.people_unknown,
            "cells": ranked.cells, "leftOut": ranked.left_out}


def risk_json(view: RiskView, locale: str) -> dict[str, Any]:
    q = view.query
    return {
        "level": q.level, "areaPrefix": q.area_prefix, "sector": q.sector, "hazard": q.hazard,
        "fewerThan": SMALL_GROUP,
        "rounds": [r.slug for r in view.rounds],
        "roundsWithoutPublishedProposal": [r.slug for r in view.unpublished],
        "cells": [cell_row(view, c, locale) for c in view.found.cells],
        "ranking": {"groups": [ranked_row(view, r, locale, area=False) for r in view.found.groups],
                    "areas": [ranked_row(view, r, locale, area=True) for r in view.found.areas]},
    }


def risk_csv(view: RiskView, locale: str) -> str:
    """One line per cell; a cell resting on fewer than 3 people has empty figures and small = true."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for cell in view.found.cells:
        row = cell_row(view, cell, locale)
        writer.writerow({k: ("true" if v is True else "false" if v is False else "" if v is None else v)
                         for k, v in row.items()})
    return out.getvalue()
