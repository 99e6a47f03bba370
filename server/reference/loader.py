"""Reads the shipped reference CSVs into rows for the migrations to insert."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

DATA = Path(__file__).parent / "data"


def _rows(name: str) -> Iterator[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _float(text: str) -> float | None:
    return float(text) if text else None


def admin_areas() -> list[dict[str, object]]:
    """Provinces first, then districts, then subdistricts, so parents exist before children."""
    rows: list[dict[str, object]] = []
    for r in _rows("provinces.csv"):
        rows.append({"code": r["province_code"], "level": "province", "parent_code": None,
                      "name_th": r["name_th"], "name_en": r["name_en"], "postal_code": None,
                      "lat": _float(r["centroid_lat"]), "lon": _float(r["centroid_lon"])})
    for r in _rows("districts.csv"):
        rows.append({"code": r["district_code"], "level": "district", "parent_code": r["province_code"],
                      "name_th": r["name_th"], "name_en": r["name_en"], "postal_code": r["postal_code"] or None,
                      "lat": None, "lon": None})
    for r in _rows("subdistricts.csv"):
        rows.append({"code": r["subdistrict_code"], "level": "subdistrict", "parent_code": r["district_code"],
                      "name_th": r["name_th"], "name_en": r["name_en"], "postal_code": r["postal_code"] or None,
                      "lat": _float(r["lat"]), "lon": _float(r["lon"])})
    return rows


def sectors() -> list[dict[str, object]]:
    return [{"code": r["code"], "name_th": r["name_th"], "name_en": r["name_en"]} for r in _rows("sectors.csv")]


def hazards() -> list[dict[str, object]]:
    return [
        {"code": r["code"], "name_th": r["name_th"], "name_en": r["name_en"], "climate": r["climate"] == "yes"}
        for r in _rows("hazards.csv")
    ]
