"""Finding needs: by round, area at any level, sector, hazard, group, status and words (Thai too)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from server import validation
from server.errors import Invalid
from server.i18n import N_
from server.needs import rules as need_rules
from server.needs.models import NEED_STATUSES, Endorsement, Need
from server.pagination import Order, Window
from server.people.models import Participant
from server.people.rules import is_staff_role
from server.rounds.access import standing
from server.rounds.models import Membership
from server.text import segment

ORDERS = {
    "newest": Order((Need.id,), descending=True),
    "oldest": Order((Need.id,)),
    "severity": Order((Need.severity, Need.id), descending=True),
    # the needs nobody counted come after every count given (the least is 1)
    "people_affected": Order((Need.people_affected, Need.id), descending=True,
                             unknown_as=(("people_affected", 0),)),
}


@dataclass(frozen=True)
class NeedFilter:
    round_id: uuid.UUID | None = None
    area_code: str | None = None  # a province (2 digits), district (4) or subdistrict (6): DOPA codes nest
    sector: str | None = None
    hazard: str | None = None
    group_id: uuid.UUID | None = None
    status: str | None = None
    text: str | None = None

    def check(self) -> None:
        invalid = Invalid()
        if self.area_code is not None:
            invalid.check(self.area_code.isascii() and self.area_code.isdigit() and len(self.area_code) in (2, 4, 6),
                          "areaCode", N_("{code} is not a Thai province, district or subdistrict code."),
                          code=validation.shown(self.area_code))
        if self.status is not None:
            invalid.check(self.status in NEED_STATUSES, "status", N_("Choose one of: {choices}."),
                          choices=", ".join(NEED_STATUSES))
        if self.text is not None:
            validation.text(invalid, "text", self.text, max_length=200, required=False)
        for name, value in (("sector", self.sector), ("hazard", self.hazard)):
            invalid.check(value is None or validation.usable(value), name, validation.UNUSABLE_TEXT)
        invalid.raise_if_any()


def matching_words(text: str) -> ColumnElement[bool]:
    """Thai has no spaces: the query is segmented like the indexed text was (needs/search.py), and every
    word must match; a substring of the title matches too, for names the segmenter splits apart."""
    by_title = Need.title.icontains(text.strip(), autoescape=True)
    words = segment(text)
    if not words:
        return by_title
    query = func.plainto_tsquery("simple", " ".join(words))  # plainto_tsquery ANDs the words
    return or_(func.to_tsvector("simple", Need.search_text).op("@@")(query), by_title)


def visible_needs(facilitated: set[uuid.UUID] | None) -> ColumnElement[bool]:
    """needs/rules.py's `visible` as SQL, for a reader who facilitates the rounds in `facilitated` (None:
    every round): open needs for everyone, the others in their own rounds."""
    if facilitated is None:
        return true()
    shown = Need.status.in_(need_rules.SHOWN_TO_EVERYONE)
    return or_(shown, Need.round_id.in_(facilitated)) if facilitated else shown


def sees_photo(need: Need, viewer: Participant, role: str | None) -> bool:
    """Photos can show faces, homes and places, so they stay inside the round: its facilitators and
    administrators see every need's photo, its members those of open needs, and whoever raised or
    entered a need sees its own. `role` is the viewer's in the need's round (rounds/access.py)."""
    if viewer.withdrawn_at is not None:
        return False
    return (is_staff_role(role) or viewer.id in (need.author_id, need.entered_by_id)
            or (role == "participant" and need.status == "open"))


async def photos_in_use(session: AsyncSession) -> set[str]:
    """Every photo a need still holds: the others may be deleted (server/needs/photo_store.py)."""
    return set(await session.scalars(select(Need.photo).where(Need.photo.is_not(None)).distinct()))


async def photo_visible(session: AsyncSession, viewer: Participant, digest: str) -> bool:
    """A photo is stored once however many needs carry it: seeing one of them is enough."""
    for need in (await session.scalars(select(Need).where(Need.photo == digest))).all():
        if sees_photo(need, viewer, (await standing(session, need.round_id, viewer)).role):
            return True
    return False


def conditions(f: NeedFilter) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if f.round_id is not None:
        found.append(Need.round_id == f.round_id)
    if f.area_code:
        found.append(Need.area_code.startswith(f.area_code, autoescape=True))
    if f.sector:
        found.append(Need.sector_code == f.sector)
    if f.hazard:
        found.append(Need.hazards.contains([f.hazard]))  # served by the GIN index on hazards
    if f.group_id is not None:
        found.append(Need.group_id == f.group_id)
    if f.status:
        found.append(Need.status == f.status)
    if f.text and f.text.strip():
        found.append(matching_words(f.text))
    return found


def in_rounds(readable: set[uuid.UUID] | None) -> ColumnElement[bool]:
    """needs/rules.py's `reads_round_needs` as SQL: needs of the rounds in `readable` (None: of every round)."""
    return true() if readable is None else Need.round_id.in_(readable)


async def readable_rounds(session: AsyncSession, reader: Participant | None) -> set[uuid.UUID] | None:
    """The rounds whose needs `reader` may read (None: every round), by needs/rules.py's `reads_round_needs`."""
    if reader is not None and need_rules.reads_needs_everywhere(reader.role):
        return None
    if reader is None or reader.withdrawn_at is not None:
        return set()
    return set(await session.scalars(select(Membership.round_id).where(Membership.participant_id == reader.id)))


async def needs_page(session: AsyncSession, f: NeedFilter, *, facilitated: set[uuid.UUID] | None, order: str,
                     window: Window, readable: set[uuid.UUID] | None = None) -> tuple[list[Need], bool]:
    f.check()
    statement = select(Need).where(and_(visible_needs(facilitated), in_rounds(readable), *conditions(f)))
    return window.split((await session.scalars(ORDERS[order].window(statement, window))).all())


async def count_needs(session: AsyncSession, f: NeedFilter, *, facilitated: set[uuid.UUID] | None,
                      readable: set[uuid.UUID] | None = None) -> int:
    """How many needs the same filters find, whatever page is read: one COUNT, no rows."""
    f.check()
    return (await session.execute(select(func.count()).select_from(Need).where(
        and_(visible_needs(facilitated), in_rounds(readable), *conditions(f))))).scalar_one()


async def needs_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Need]:
    return {n.id: n for n in await session.scalars(select(Need).where(Need.id.in_(ids)))}


async def endorsed_by(session: AsyncSession, participant_id: uuid.UUID, need_ids: Sequence[uuid.UUID]
                      ) -> set[uuid.UUID]:
    return set(await session.scalars(select(Endorsement.need_id).where(
        Endorsement.participant_id == participant_id, Endorsement.need_id.in_(need_ids))))
