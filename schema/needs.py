"""Needs raised by communities: finding them (Thai text search, area at any level) and raising them."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from schema import ids
from schema.common import Translation, TranslationInput, language, row_field, translations_in, translations_out
from schema.context import Info
from schema.errors import ExpectedError, perform
from schema.pagination import connection, page
from schema.permissions import audience, facilitated_rounds, reader, role
from schema.rounds import RoundNode, StakeholderGroupNode
from server.disclosure import SMALL_GROUP
from server.needs import photo_urls, queries, service
from server.needs import rules as need_rules
from server.needs.models import Need
from server.proxies.rules import scope_for
from server.reference.models import AdminArea

if TYPE_CHECKING:
    from schema.channels import NeedOutcome
    from schema.deliberation import CommentConnection

LazyCommentConnection = Annotated["CommentConnection", strawberry.lazy("schema.deliberation")]
LazyNeedOutcome = Annotated["NeedOutcome", strawberry.lazy("schema.channels")]


@strawberry.enum(description="How to order needs.")
class NeedOrder(Enum):
    NEWEST = "newest"
    OLDEST = "oldest"
    SEVERITY = "severity"
    PEOPLE_AFFECTED = strawberry.enum_value(
        "people_affected", description="Most people affected first; needs whose count nobody gave come last.")


@strawberry.enum
class NeedStatus(Enum):
    OPEN = "open"
    HIDDEN = "hidden"
    WITHDRAWN = "withdrawn"
    MERGED = strawberry.enum_value("merged", description="A duplicate, merged into another need of its channel.")


@strawberry.input(description="Every given condition must hold.")
class NeedFilterInput:
    round_id: strawberry.ID | None = None
    area_code: str | None = strawberry.field(default=None, description=(
        "A DOPA province (2 digits), district (4) or subdistrict (6) code: needs anywhere inside it."))
    sector: str | None = None
    hazard: str | None = None
    group_id: strawberry.ID | None = None
    status: NeedStatus | None = None
    text: str | None = strawberry.field(default=None, description=(
        "Words to find, Thai included (no spaces needed): every word must appear; a part of the title also matches."))


@strawberry.type(description="A Thai province, district or subdistrict (DOPA codes).")
class Area:
    row: strawberry.Private[AdminArea]

    code: str = row_field("code")

    level: str = row_field("level")

    @strawberry.field(description="The name in the caller's language.")
    def name(self, info: Info) -> str:
        return self.row.name_en if info.context.locale == "en" else self.row.name_th

    @strawberry.field
    async def parent(self, info: Info) -> Area | None:
        if not self.row.parent_code:
            return None
        found = await info.context.loaders.area.load(self.row.parent_code)
        return Area(row=found) if found else None


@strawberry.type(name="Need", description="A need raised by or for a community.")
class NeedNode(relay.Node):
    row: strawberry.Private[Need]

    @classmethod
    def resolve_id(cls, root: NeedNode, *, info: Info) -> str:
        return str(root.row.id)

    @strawberry.field
    async def round(self, info: Info) -> RoundNode:
        return RoundNode(row=await info.context.loaders.round.load(self.row.round_id))

    title: str = row_field("title")

    body: str = row_field("body")

    language: str = row_field("language", description="The language it was written in.")

    @strawberry.field
    def translations(self) -> list[Translation]:
        return translations_out(self.row.translations)

    area_code: str = row_field("area_code")

    @strawberry.field
    async def area(self, info: Info) -> Area | None:
        found = await info.context.loaders.area.load(self.row.area_code)
        return Area(row=found) if found else None

    sector: str = row_field("sector_code")

    @strawberry.field
    def hazards(self) -> list[str]:
        return list(self.row.hazards)

    severity: int = row_field("severity", description="1 (low) to 5 (severe).")

    people_affected: int | None = row_field(
        "people_affected", description="About how many people it affects; null when whoever raised it did not say.")

    @strawberry.field
    def status(self) -> NeedStatus:
        return NeedStatus(self.row.status)

    @strawberry.field(description="The group of whoever raised it; null outside its round's facilitators when the "
                                  f"group has fewer than {SMALL_GROUP} members (it would point at one of them).")
    async def group(self, info: Info) -> StakeholderGroupNode | None:
        if self.row.group_id is None or not await _group_shown(info, self.row.group_id, self.row.round_id):
            return None
        found = await info.context.loaders.group.load(self.row.group_id)
        return StakeholderGroupNode(row=found) if found else None

    @strawberry.field(description=(
        "Its photo (JPEG, at most 1280 px, without metadata): fetch it with the same bearer token. Null when "
        "it has none, or for callers outside its round (members see open needs' photos, facilitators all)."))
    async def photo_url(self, info: Info) -> str | None:
        return await photo_address(info, self.row, thumbnail=False)

    @strawberry.field(description="A 320 × 320 thumbnail of its photo, for lists; null when photoUrl is.")
    async def thumbnail_url(self, info: Info) -> str | None:
        return await photo_address(info, self.row, thumbnail=True)

    @strawberry.field(description="Entered by a facilitator for someone (at a meeting, by phone or on paper).")
    def entered_by_proxy(self) -> bool:
        return self.row.proxy_id is not None

    @strawberry.field(description="How many people said \"me too\".")
    async def endorsements(self, info: Info) -> int:
        return await info.context.loaders.endorsements.load(self.row.id)

    @strawberry.field(description="Whether you endorsed it.")
    async def viewer_endorsed(self, info: Info) -> bool:
        if info.context.viewer is None:
            return False
        return await info.context.loaders.endorsed.load(self.row.id)

    created_at: datetime = row_field("created_at")

    @strawberry.field(description="What became of it, when raised in a channel (received, merged, taken into "
                                  "rounds, answered): for its author and the channel's facilitators, else null.")
    async def outcome(self, info: Info) -> LazyNeedOutcome | None:
        from schema.channels import need_outcome

        return await need_outcome(info, self.row)

    @strawberry.field(description="The organisation's answer, when raised in a channel: a private one for its "
                                  "author and the channel's facilitators only, a public one for every reader.")
    async def answer(self, info: Info) -> str | None:
        from schema.channels import need_answer

        return await need_answer(info, self.row)

    @strawberry.field(description="A channel's tags on it: for the channel's facilitators, else null.")
    async def tags(self, info: Info) -> list[str] | None:
        from schema.channels import need_tags

        return await need_tags(info, self.row)

    @strawberry.field(description="Top-level comments, oldest first, each with its replies.")
    async def comments(self, info: Info, first: int | None = None, after: str | None = None,
                       last: int | None = None, before: str | None = None) -> LazyCommentConnection:
        from schema.deliberation import comment_thread

        return await comment_thread(info, "need", self.row.id, self.row.round_id, first, after, last, before,
                                    readable=await reads_needs_of(info, self.row.round_id))


async def photo_address(info: Info, need: Need, *, thumbnail: bool) -> str | None:
    """The address web/views/photos.py serves it at, for those it would serve it to."""
    viewer = info.context.viewer
    if need.photo is None or viewer is None or not queries.sees_photo(need, viewer, await role(info, need.round_id)):
        return None
    return info.context.runtime.settings.public_url + photo_urls.url(need.photo, thumbnail=thumbnail)


async def reads_needs_of(info: Info, round_id: uuid.UUID) -> bool:
    """needs/rules.py's `reads_round_needs` for the caller: a round's needs, and the talk on them."""
    viewer = info.context.viewer
    return viewer is not None and viewer.withdrawn_at is None and need_rules.reads_round_needs(
        await role(info, round_id), viewer.role)


async def _group_shown(info: Info, group_id: uuid.UUID, round_id: uuid.UUID) -> bool:
    members = await info.context.loaders.group_size.load(group_id)
    return need_rules.group_shown(await audience(info, round_id), members)


@strawberry.type(name="NeedConnection")
class NeedConnection(relay.Connection[NeedNode]):
    count: strawberry.Private[Callable[[AsyncSession], Awaitable[int]]]

    @strawberry.field(description="How many needs the filters find, whichever page this is.")
    async def total_count(self, info: Info) -> int:
        return await info.context.run(self.count)


async def find_needs(info: Info, filter: NeedFilterInput | None, order_by: NeedOrder | None, first: int | None,
                     after: str | None, last: int | None = None, before: str | None = None, *,
                     round_id: uuid.UUID | None = None) -> NeedConnection:
    reader(info)
    f = filter or NeedFilterInput()
    order = (order_by or NeedOrder.NEWEST).value
    wanted = queries.NeedFilter(
        round_id=round_id or ids.decode_optional(f.round_id, "Round"), area_code=f.area_code, sector=f.sector,
        hazard=f.hazard, group_id=ids.decode_optional(f.group_id, "StakeholderGroup"),
        status=f.status.value if f.status else None, text=f.text)
    asked = page(f"needs:{order}", first, after, last, before)
    if wanted.group_id is not None and not await _group_findable(info, wanted.group_id):
        return connection(NeedConnection, [], False, page=asked, order=queries.ORDERS[order],
                          node=lambda n: NeedNode(row=n), count=_none)
    facilitated = await facilitated_rounds(info)
    viewer = info.context.viewer
    readable = await info.context.run(lambda session: queries.readable_rounds(session, viewer))
    rows, more = await info.context.run(lambda session: queries.needs_page(
        session, wanted, facilitated=facilitated, order=order, window=asked.window, readable=readable))
    return connection(NeedConnection, rows, more, page=asked, order=queries.ORDERS[order],
                      node=lambda n: NeedNode(row=n),
                      count=lambda session: queries.count_needs(session, wanted, facilitated=facilitated,
                                                                readable=readable))


async def _group_findable(info: Info, group_id: uuid.UUID) -> bool:
    """Finding needs by a group says which needs its members raised: not for a group of fewer than 3."""
    group = await info.context.loaders.group.load(group_id)
    return group is None or await _group_shown(info, group_id, group.round_id)


async def _none(session: AsyncSession) -> int:
    return 0


@strawberry.type
class NeedQueries:
    @strawberry.field(description="Needs in every round, or as filtered.")
    async def needs(self, info: Info, filter: NeedFilterInput | None = None, order_by: NeedOrder | None = None,
                    first: int | None = None, after: str | None = None, last: int | None = None,
                    before: str | None = None) -> NeedConnection:
        return await find_needs(info, filter, order_by, first, after, last, before)


@strawberry.input
class SubmitNeedInput:
    round_id: strawberry.ID
    title: str
    area_code: str
    sector: str
    severity: int
    people_affected: int | None = strawberry.field(
        default=None, description="About how many people it affects, when someone knows.")
    body: str = ""
    hazards: list[str] | None = None
    language: str = "th"
    translations: list[TranslationInput] | None = None
    group_id: strawberry.ID | None = strawberry.field(default=None, description="For input from a meeting.")
    on_behalf_of: strawberry.ID | None = None
    proxy_id: strawberry.ID | None = strawberry.field(default=None, description="A proxy record you made.")


@strawberry.type
class EndorsePayload:
    need: NeedNode
    created: bool = strawberry.field(description="False when this person had endorsed it already.")


@strawberry.type
class UndoEndorsementPayload:
    need: NeedNode
    removed: bool = strawberry.field(description="False when this person had not endorsed it.")


SubmitNeedResult = Annotated[NeedNode | ExpectedError, strawberry.union("SubmitNeedResult")]
EndorseNeedResult = Annotated[EndorsePayload | ExpectedError, strawberry.union("EndorseNeedResult")]
UndoEndorsementResult = Annotated[UndoEndorsementPayload | ExpectedError, strawberry.union("UndoEndorsementResult")]


def proxy_scope(proxy_id: object) -> str:
    """Entering input for someone else is a facilitator's action, whatever the action is."""
    return scope_for(proxy_id)


@strawberry.type
class NeedMutations:
    @strawberry.mutation(description="Raise a need in a round (or enter one for others, with a proxy record).")
    async def submit_need(self, info: Info, input: SubmitNeedInput) -> SubmitNeedResult:
        async def act(session, actor):
            return await service.submit_need(
                session, actor, ids.decode(input.round_id, "Round"), title=input.title, area_code=input.area_code,
                sector=input.sector, severity=input.severity, people_affected=input.people_affected,
                body=input.body, hazards=input.hazards, language=language(input.language),
                translations=translations_in(input.translations),
                group_id=ids.decode_optional(input.group_id, "StakeholderGroup"),
                on_behalf_of=ids.decode_optional(input.on_behalf_of, "Participant"),
                proxy_id=ids.decode_optional(input.proxy_id, "ProxyRecord"))

        return await perform(info, proxy_scope(input.proxy_id), act, lambda need: NeedNode(row=need))

    @strawberry.mutation(description="\"Me too\" on someone else's need: endorsing twice changes nothing.")
    async def endorse_need(self, info: Info, need_id: strawberry.ID, on_behalf_of: strawberry.ID | None = None,
                           proxy_id: strawberry.ID | None = None) -> EndorseNeedResult:
        async def act(session, actor):
            need_uuid = ids.decode(need_id, "Need")
            created = await service.endorse_need(
                session, actor, need_uuid, on_behalf_of=ids.decode_optional(on_behalf_of, "Participant"),
                proxy_id=ids.decode_optional(proxy_id, "ProxyRecord"))
            return await session.get(Need, need_uuid), created

        return await perform(info, proxy_scope(proxy_id), act,
                             lambda done: EndorsePayload(need=NeedNode(row=done[0]), created=done[1]))

    @strawberry.mutation(description="Take a \"me too\" back, while endorsing is open; taking back one not given "
                                     "changes nothing.")
    async def undo_endorse_need(self, info: Info, need_id: strawberry.ID, on_behalf_of: strawberry.ID | None = None,
                                proxy_id: strawberry.ID | None = None) -> UndoEndorsementResult:
        async def act(session, actor):
            need_uuid = ids.decode(need_id, "Need")
            removed = await service.undo_endorsement(
                session, actor, need_uuid, on_behalf_of=ids.decode_optional(on_behalf_of, "Participant"),
                proxy_id=ids.decode_optional(proxy_id, "ProxyRecord"))
            return await session.get(Need, need_uuid), removed

        return await perform(info, proxy_scope(proxy_id), act,
                             lambda done: UndoEndorsementPayload(need=NeedNode(row=done[0]), removed=done[1]))
