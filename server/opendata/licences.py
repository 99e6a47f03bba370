"""The licences a round's open data may carry. A short list on purpose: each lets partners and researchers
reuse the data, and each is known by its SPDX id to the tools they use (the Data Package spec's `licenses`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Licence:
    id: str  # the SPDX identifier
    title: str
    path: str  # where its full text is read


LICENCES: dict[str, Licence] = {licence.id: licence for licence in (
    Licence("CC-BY-4.0", "Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    Licence("CC-BY-SA-4.0", "Creative Commons Attribution-ShareAlike 4.0",
            "https://creativecommons.org/licenses/by-sa/4.0/"),
    Licence("CC0-1.0", "Creative Commons Zero 1.0 (public domain)",
            "https://creativecommons.org/publicdomain/zero/1.0/"),
    Licence("ODC-By-1.0", "Open Data Commons Attribution 1.0", "https://opendatacommons.org/licenses/by/1-0/"),
)}
OPEN_DATA_LICENCES = tuple(LICENCES)  # the database's check constraint holds the same ids
DEFAULT_LICENCE = "CC-BY-4.0"
