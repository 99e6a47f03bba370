"""A round's open data: which files there are, each file's bytes, the whole set written to a folder, and the
licence its facilitators choose. There is open data only once a proposal is published: until then what the
round holds is its facilitators' working copy, not something to hand to partners.

Pages (web/views/open_data.py), the API (schema/open_data.py) and `ruam export` all come here.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from server import validation
from server.consolidation.service import published
from server.errors import Invalid, NotFound, NotPublished
from server.events.service import record
from server.i18n import N_
from server.opendata import dictionary, formats, polis, tables
from server.opendata.licences import LICENCES, Licence
from server.people.models import Participant
from server.rounds.access import require_facilitator, standing
from server.rounds.models import Round

POLIS_FOLDER = "polis"
DATAPACKAGE = "datapackage.json"
LICENCE_FILE = "LICENCE.txt"
TABLE_FILES = tuple(f"{t.name}.{kind}" for t in dictionary.TABLES for kind in ("csv", "json"))
POLIS_FILES = tuple(f"{POLIS_FOLDER}/{name}" for name in polis.FILES)
FILES = (DATAPACKAGE, LICENCE_FILE, *TABLE_FILES, *POLIS_FILES)
NOT_PUBLISHED = N_("Round {slug} has no published proposal yet, so it has no open data. Its facilitators "
                   "publish a proposal first.")


@dataclass(frozen=True)
class Download:
    name: str  # as in FILES
    content: bytes

    @property
    def media_type(self) -> str:
        if self.name.endswith(".csv"):
            return "text/csv; charset=utf-8"
        if self.name.endswith(".json"):
            return "application/json; charset=utf-8"
        return "text/plain; charset=utf-8"


def licence_of(round_: Round) -> Licence:
    return LICENCES[round_.open_data_licence]


def file_url(base_url: str, slug: str, name: str) -> str:
    """Where anyone downloads one file (web/views/open_data.py); `base_url` "" for an address on this site."""
    return f"{base_url}/rounds/{slug}/open-data/{name}"


def media_type(name: str) -> str:
    return Download(name, b"").media_type


@dataclass(frozen=True)
class Catalogue:
    """What a round's open data offers, for a page or the API to list (addresses from `base_url`)."""

    licence: Licence
    data_package: str
    licence_file: str
    tables: list[tuple[dictionary.Table, str, str]]  # each table, its CSV's and its JSON's address
    polis: list[tuple[str, str]]  # each Pol.is file's name and address


def catalogue(round_: Round, base_url: str = "") -> Catalogue:
    def url(name: str) -> str:
        return file_url(base_url, round_.slug, name)

    return Catalogue(licence_of(round_), url(DATAPACKAGE), url(LICENCE_FILE),
                     [(t, url(f"{t.name}.csv"), url(f"{t.name}.json")) for t in dictionary.TABLES],
                     [(name, url(f"{POLIS_FOLDER}/{name}")) for name in polis.FILES])


async def read_published(session: AsyncSession, round_: Round) -> tables.PublishedRound:
    """The round's newest published proposal, as the public reads it; NotPublished until there is one."""
    proposal = await published(session, round_.id)
    if proposal is None:
        raise NotPublished(NOT_PUBLISHED, slug=round_.slug)
    return await tables.read_published(session, round_, proposal)


async def open_data_file(session: AsyncSession, round_: Round, name: str, *, secret: str, base_url: str) -> Download:
    """One file of a published round's open data. NotFound for a name not in FILES (before anything is read),
    NotPublished for a round with nothing published."""
    if name not in FILES:
        raise NotFound("file", name)
    shown = await read_published(session, round_)
    return Download(name, await _build(session, shown, name, secret=secret, base_url=base_url))


async def export(session: AsyncSession, round_: Round, folder: Path, *, secret: str, base_url: str) -> list[Path]:
    """Writes every file into `folder` (made if missing; files of the same names replaced)."""
    shown = await read_published(session, round_)
    written = []
    for name in FILES:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(await _build(session, shown, name, secret=secret, base_url=base_url))
        written.append(path)
    return written


async def set_licence(session: AsyncSession, actor: Participant, round_id: uuid.UUID, licence: str) -> Round:
    """A facilitator of the round chooses the licence its open data carries."""
    s = await standing(session, round_id, actor)
    require_facilitator(s)
    invalid = Invalid()
    chosen = validation.choice(invalid, "licence", (licence or "").strip(), set(LICENCES))
    invalid.raise_if_any()
    if s.round.open_data_licence != chosen:
        previous = s.round.open_data_licence
        s.round.open_data_licence = chosen
        await session.flush()
        record(session, "round.open_data_licence_set", round_id=round_id, actor_id=actor.id, subject_id=round_id,
               licence=chosen, previous=previous)
    return s.round


async def _build(session: AsyncSession, shown: tables.PublishedRound, name: str, *, secret: str,
                 base_url: str) -> bytes:
    round_ = shown.round
    homepage = f"{base_url}/rounds/{round_.slug}/outcome"
    if name == DATAPACKAGE:
        assert shown.proposal.published_at is not None, "read_published reads published versions only"
        package = formats.datapackage(
            slug=round_.slug, title=_title(round_), description=_text(round_.description or {}),
            licence=round_.open_data_licence, version=shown.proposal.version,
            published_at=shown.proposal.published_at, homepage=homepage, polis_folder=POLIS_FOLDER)
        return (json.dumps(package, ensure_ascii=False, indent=1) + "\n").encode()
    if name == LICENCE_FILE:
        return _licence_text(shown, homepage).encode()
    if name in POLIS_FILES:
        statements = await polis.statements_of(session, round_.id)
        votes = await polis.public_votes(session, round_, statements, secret)
        files = polis.polis_files(round_, statements, votes, url=homepage,
                                  opinion_groups=shown.result.get("opinion_group_count"))
        return files[name.removeprefix(f"{POLIS_FOLDER}/")].encode()
    table_name, kind = name.rsplit(".", 1)
    table = next(t for t in dictionary.TABLES if t.name == table_name)
    rows = await tables.BUILDERS[table_name](session, shown)
    return (formats.table_csv(table, rows) if kind == "csv" else formats.table_json(table, rows)).encode()


def _text(texts: dict[str, str]) -> str:
    return texts.get("en") or texts.get("th") or next(iter(texts.values()), "")


def _title(round_: Round) -> str:
    return _text(round_.title) or round_.slug


def _licence_text(shown: tables.PublishedRound, homepage: str) -> str:
    chosen = licence_of(shown.round)
    published_at = shown.proposal.published_at
    return "\n".join((
        f"{_title(shown.round)}: open data from Ruam",
        f"Proposal version {shown.proposal.version}, published {published_at:%Y-%m-%d}" if published_at else "",
        "",
        f"Licence: {chosen.title} ({chosen.id})",
        chosen.path,
        "",
        f"Credit it as: \"{_title(shown.round)}\", Ruam, {homepage}",
        "",
        "datapackage.json describes every file and column. Figures about fewer than 3 people are left empty,",
        "and no file holds a person's name or id: the Pol.is files name voters by a pseudonym made for this",
        "round alone.",
        "",
    ))
