"""Rows of a table (dictionary.py) as CSV and JSON, and the datapackage.json that describes every file.

CSV: UTF-8 without a byte order mark (what data tools expect; the proposal's own CSV download has one for
spreadsheets), a header row with the dictionary's columns, empty cells for nothing, true/false, and several
values joined by ";". A text a spreadsheet would run as a formula (starting with = + - @) gets an
apostrophe in front, as in the proposal's CSV; the JSON holds every text as written.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from server.opendata import dictionary
from server.opendata.dictionary import Table
from server.opendata.licences import LICENCES

_FORMULA = ("=", "+", "-", "@", "\t", "\r")
PROFILE = "tabular-data-package"


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def table_csv(table: Table, rows: Sequence[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows([_cell(row[c]) for c in table.columns] for row in rows)
    return out.getvalue()


def table_json(table: Table, rows: Sequence[dict[str, Any]]) -> str:
    return json.dumps([{c: row[c] for c in table.columns} for row in rows], ensure_ascii=False, indent=1) + "\n"


def _schema(table: Table, *, as_json: bool) -> dict[str, Any]:
    fields = []
    for f in table.fields:
        field: dict[str, Any] = {"name": f.name, "type": "array" if f.multiple and as_json else f.type,
                                 "description": f.description + (" Joined by ; in the CSV." if f.multiple and
                                                                 not as_json else "")}
        if f.format and not (f.multiple and as_json):
            field["format"] = f.format
        fields.append(field)
    return {"fields": fields, "missingValues": [""]}


def _resource(table: Table, path: str, kind: str, *, name: str | None = None, schema: bool = True
              ) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "name": name or table.name, "path": path, "title": table.title, "description": table.description,
        "format": kind, "mediatype": "text/csv" if kind == "csv" else "application/json", "encoding": "utf-8",
    }
    if schema:
        resource["schema"] = _schema(table, as_json=kind == "json")
    if kind == "csv":
        resource["dialect"] = {"delimiter": ",", "lineTerminator": "\r\n", "header": True}
    return resource


def datapackage(*, slug: str, title: str, description: str, licence: str, version: int, published_at: datetime,
                homepage: str, polis_folder: str) -> dict[str, Any]:
    chosen = LICENCES[licence]
    resources = []
    for table in dictionary.TABLES:
        resources.append(_resource(table, f"{table.name}.csv", "csv"))
        resources.append(_resource(table, f"{table.name}.json", "json", name=f"{table.name}-json"))
    polis = f"{polis_folder}/"
    resources.append(_resource(dictionary.POLIS_COMMENTS, polis + "comments.csv", "csv", name="polis-comments"))
    resources.append(_resource(dictionary.POLIS_VOTES, polis + "votes.csv", "csv", name="polis-votes"))
    participants = _resource(dictionary.POLIS_VOTES, polis + "participants-votes.csv", "csv",
                             name="polis-participants-votes", schema=False)
    participants.update(title="Pol.is participants' votes", description=dictionary.POLIS_PARTICIPANTS_VOTES)
    resources.append(participants)
    summary = _resource(dictionary.POLIS_SUMMARY, polis + "summary.csv", "csv", name="polis-summary")
    summary["dialect"]["header"] = False
    resources.append(summary)
    return {
        "profile": PROFILE, "name": f"ruam-{slug}".lower(), "title": title, "description": description,
        "homepage": homepage, "version": f"{version}.0.0", "created": published_at.isoformat(),
        "licenses": [{"name": chosen.id, "path": chosen.path, "title": chosen.title}],
        "sources": [{"title": "Ruam", "path": homepage}],
        "keywords": ["participatory policy", "Thailand", "Ruam"],
        "ruam": {"proposal_version": version, "published_at": published_at.isoformat(),
                 "small_group": "Figures about fewer than 3 people are left empty.", "polis": dictionary.POLIS_NOTE},
        "resources": resources,
    }
