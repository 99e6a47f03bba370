"""The event log, for integrators who replay a round: every change, oldest first, as each reader may see it."""

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
from server.disclosure import Audience
from server.errors import NotPermitted
from server.events import audiences, queries
from server.events.models import Event
from server.i18n import N_


@strawberry.type(name="Event", description=(
    "One change of state. What it shows depends on who reads it (see docs/api.md): who acted and the "
    "details only to the round's facilitators, never who cast a vote, and to the person who acted their "
    "own vote or delivery check."))
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
        actor = (await self._disclosed(info)).actor_id
        return ids.global_id("Participant", actor) if actor else None

    @strawberry.field(description="The uuid of what changed (a need, a clause, a proposal...), for those who may "
                                  "see it.")
    async def subject_id(self, info: Info) -> str | None:
        subject = (await self._disclosed(info)).subject_id
        return str(subject) if subject else None

    @strawberry.field(description="The details you may see; read the thing itself (node(id:)) for the rest.")
    async def payload(self, info: Info) -> JSON:
        return JSON((await self._disclosed(info)).payload)

    created_at: datetime = row_field("created_at")

    async def _disclosed(self, info: Info) -> audiences.Disclosed:
        round_id, viewer = self.row.round_id, info.context.viewer
        facilitator = is_admin(info) if round_id is None else await facilitates(info, round_id)
        return audiences.disclose(self.row, Audience(facilitator=facilitator,
                                                     person_id=viewer.id if viewer else None))


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
