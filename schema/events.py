"""The event log, for integrators who replay a round: every change, oldest first, people left out."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from schema import ids
from schema.common import row_field
from schema.context import Info
from schema.pagination import connection, page
from schema.permissions import facilitates, is_admin, reader
from schema.rounds import RoundNode
from server.errors import NotPermitted
from server.events import queries
from server.events.models import Event
from server.i18n import N_


@strawberry.type(name="Event", description=(
    "One change of state. Who did it is shown only to the round's facilitators, and never for votes."))
class EventNode(relay.Node):
    row: strawberry.Private[Event]

    @classmethod
    def resolve_id(cls, root: EventNode, *, info: Info) -> str:
        return str(root.row.id)

    type: str = row_field("type", description="e.g. need.submitted, vote.cast, round.phase_moved, proposal.consolidated")

    @strawberry.field
    async def round(self, info: Info) -> RoundNode | None:
        if self.row.round_id is None:
            return None
        return RoundNode(row=await info.context.loaders.round.load(self.row.round_id))

    @strawberry.field(description="The participant who acted, for those who may see it.")
    async def actor_id(self, info: Info) -> relay.GlobalID | None:
        if self.row.actor_id is None or not await self._shows_people(info):
            return None
        return ids.global_id("Participant", self.row.actor_id)

    @strawberry.field(description="The uuid of what changed (a need, a clause, a vote...), when it is not a person "
                                  "or you may see people.")
    async def subject_id(self, info: Info) -> str | None:
        subject = queries.public_subject(self.row, facilitates=await self._facilitates(info))
        return str(subject) if subject else None

    @strawberry.field
    async def payload(self, info: Info) -> JSON:
        return queries.public_payload(self.row, facilitates=await self._facilitates(info))

    created_at: datetime = row_field("created_at")

    async def _facilitates(self, info: Info) -> bool:
        if self.row.round_id is None:
            return is_admin(info)
        return await facilitates(info, self.row.round_id)

    async def _shows_people(self, info: Info) -> bool:
        return queries.shows_people(self.row, facilitates=await self._facilitates(info))


@strawberry.type(name="EventConnection")
class EventConnection(relay.Connection[EventNode]):
    pass


async def event_log(info: Info, round_id: uuid.UUID | None, types: list[str] | None, first: int | None,
                    after: str | None, last: int | None = None, before: str | None = None) -> EventConnection:
    reader(info)
    if round_id is None and not is_admin(info):
        raise NotPermitted(N_("Only administrators can read events of every round; give a round."))
    asked = page("events", first, after, last, before)
    rows, more = await info.context.run(lambda session: queries.events_page(
        session, round_id=round_id, types=types, window=asked.window))
    return connection(EventConnection, rows, more, page=asked, order=queries.EVENT_ORDER,
                      node=lambda e: EventNode(row=e))


@strawberry.type
class EventQueries:
    @strawberry.field(description="The event log, oldest first: keep the last cursor and ask again to follow it "
                                  "(or `last` for the newest). Without roundId: every event (administrators only).")
    async def events(self, info: Info, round_id: strawberry.ID | None = None, types: list[str] | None = None,
                     first: int | None = None, after: str | None = None, last: int | None = None,
                     before: str | None = None) -> EventConnection:
        return await event_log(info, ids.decode_optional(round_id, "Round"), types, first, after, last, before)
