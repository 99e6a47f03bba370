"""Webhooks through the API: a round's facilitators register them for integrators that cannot hold a
socket open, list them, read each one's delivery log, send a failed delivery again and deactivate
them. Deliveries are signed and sent by the worker (server/webhooks/, workers/webhooks.py); the
secret is shown once, when a webhook is registered."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry
from strawberry import relay

from schema import ids
from schema.common import row_field
from schema.context import Info
from schema.errors import ExpectedError, perform
from schema.pagination import connection, page
from schema.permissions import FACILITATE, facilitates, require
from server.webhooks import queries, service
from server.webhooks.models import Webhook, WebhookDelivery


@strawberry.enum(name="WebhookDeliveryStatus")
class DeliveryStatus(Enum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


@strawberry.type(name="WebhookDelivery", description=(
    "One event posted to one webhook: PENDING until the receiver answers 2xx (DELIVERED) or the retries "
    "run out (FAILED)."))
class WebhookDeliveryNode(relay.Node):
    row: strawberry.Private[WebhookDelivery]
    kind: strawberry.Private[str]  # the event's type, read with the delivery

    @classmethod
    def resolve_id(cls, root: WebhookDeliveryNode, *, info: Info) -> str:
        return str(root.row.id)

    @strawberry.field(description="The event that was posted; the X-Ruam-Event header carried its type.")
    def event_id(self) -> relay.GlobalID:
        return ids.global_id("Event", self.row.event_id)

    @strawberry.field(description="e.g. vote.cast")
    def event_type(self) -> str:
        return self.kind

    @strawberry.field
    def status(self) -> DeliveryStatus:
        return DeliveryStatus(self.row.status)

    attempts: int = row_field("attempts", description="How many times it was posted so far.")

    last_status_code: int | None = row_field("last_status_code", description="The HTTP status of the last answer; null when the receiver did not answer.")

    @strawberry.field(description="Why the last attempt failed (e.g. HTTP 500, a connection error); null once "
                                  "delivered.")
    def last_error(self) -> str | None:
        return self.row.last_error

    next_attempt_at: datetime | None = row_field("next_attempt_at", description="When it will be tried again, while it is PENDING after a failure.")

    delivered_at: datetime | None = row_field("delivered_at")

    created_at: datetime = row_field("created_at")


@strawberry.type(name="WebhookDeliveryConnection")
class WebhookDeliveryConnection(relay.Connection[WebhookDeliveryNode]):
    pass


@strawberry.type(name="Webhook", description="Where a round's events are posted, signed with HMAC-SHA256.")
class WebhookNode(relay.Node):
    row: strawberry.Private[Webhook]

    @classmethod
    def resolve_id(cls, root: WebhookNode, *, info: Info) -> str:
        return str(root.row.id)

    url: str = row_field("url")

    @strawberry.field(description="Empty: every type.")
    def event_types(self) -> list[str]:
        return list(self.row.event_types)

    active: bool = row_field("active")

    created_at: datetime = row_field("created_at")

    @strawberry.field(description="Its delivery log, newest first (the round's facilitators only).")
    async def deliveries(self, info: Info, status: DeliveryStatus | None = None, first: int | None = None,
                         after: str | None = None, last: int | None = None,
                         before: str | None = None) -> WebhookDeliveryConnection:
        actor = require(info, FACILITATE)
        asked = page("deliveries", first, after, last, before)
        rows, more = await info.context.run(lambda session: service.list_deliveries(
            session, actor, self.row.id, status=status.value if status else None, window=asked.window))
        return connection(WebhookDeliveryConnection, rows, more, page=asked, order=queries.DELIVERY_ORDER,
                          key_of=lambda row: row[0], node=lambda row: WebhookDeliveryNode(row=row[0], kind=row[1]))


@strawberry.type
class WebhookPayload:
    webhook: WebhookNode
    secret: str = strawberry.field(description="The key deliveries are signed with. Shown only now.")


RegisterWebhookResult = Annotated[WebhookPayload | ExpectedError, strawberry.union("RegisterWebhookResult")]
DeactivateWebhookResult = Annotated[WebhookNode | ExpectedError, strawberry.union("DeactivateWebhookResult")]
RetryWebhookDeliveryResult = Annotated[WebhookDeliveryNode | ExpectedError, strawberry.union("RetryWebhookDeliveryResult")]


async def webhooks_of(info: Info, round_id: uuid.UUID) -> list[WebhookNode] | None:
    """A round's webhooks, for its facilitators (null for everyone else)."""
    actor = info.context.viewer
    if actor is None or not await facilitates(info, round_id):
        return None
    found = await info.context.run(lambda session: service.list_webhooks(session, actor, round_id))
    return [WebhookNode(row=w) for w in found]


@strawberry.type
class IntegrationMutations:
    @strawberry.mutation(description="Post a round's events (or only the listed types) to a URL (facilitators).")
    async def register_webhook(self, info: Info, round_id: strawberry.ID, url: str,
                               event_types: list[str] | None = None) -> RegisterWebhookResult:
        async def act(session, actor):
            return await service.register_webhook(session, actor, ids.decode(round_id, "Round"), url=url,
                                                  event_types=event_types)

        return await perform(info, FACILITATE, act,
                             lambda done: WebhookPayload(webhook=WebhookNode(row=done[0]), secret=done[1]))

    @strawberry.mutation(description="Stop a webhook's deliveries, retries included.")
    async def deactivate_webhook(self, info: Info, webhook_id: strawberry.ID) -> DeactivateWebhookResult:
        async def act(session, actor):
            return await service.deactivate_webhook(session, actor, ids.decode(webhook_id, "Webhook"))

        return await perform(info, FACILITATE, act, lambda w: WebhookNode(row=w))

    @strawberry.mutation(description="Send a FAILED delivery of an active webhook again, with a full set of "
                                     "retries; Conflict for one that is pending or delivered.")
    async def retry_webhook_delivery(self, info: Info, id: strawberry.ID) -> RetryWebhookDeliveryResult:
        async def act(session, actor):
            return await service.retry_delivery(session, actor, ids.decode(id, "WebhookDelivery"))

        return await perform(info, FACILITATE, act, lambda done: WebhookDeliveryNode(row=done[0], kind=done[1]))
