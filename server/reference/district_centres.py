"""Re-makes data/district_centres.csv: each district's centre, the mean of its subdistricts' lat/lon.

There are no district boundaries in the shipped data and admin_areas keeps no district lat/lon, so the
district map (web/maps.py) places one circle per district here. Districts none of whose subdistricts
has a lat/lon (all of Bangkok, Bueng Kan, a few others: data/SOURCE.md) get no row.

    python -m server.reference.district_centres
"""

from __future__ import annotations

import csv
from collections import defaultdict

from server.reference.loader import DATA

CENTRES = DATA / "district_centres.csv"
COLUMNS = ["district_code", "province_code", "lat", "lon", "subdistricts"]


def centres() -> list[dict[str, str]]:
    points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    with (DATA / "subdistricts.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["lat"] and row["lon"]:
                points[row["district_code"], row["province_code"]].append((float(row["lat"]), float(row["lon"])))
    return [
        {"district_code": district, "province_code": province,
         "lat": f"{sum(p[0] for p in found) / len(found):.4f}", "lon": f"{sum(p[1] for p in found) / len(found):.4f}",
         "subdistricts": str(len(found))}
        for (district, province), found in sorted(points.items())
    ]


def main() -> None:
    with CENTRES.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(centres())


if __name__ == "__main__":
    main()
