"""Webhooks through the API: a round's facilitators register them for integrators that cannot hold a
socket open, list them and deactivate them. Deliveries are signed and sent by the worker
(server/webhooks/, workers/webhooks.py); the secret is shown once, when a webhook is registered."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay

from schema import ids
from schema.context import Info
from schema.errors import perform, result
from schema.permissions import FACILITATE, facilitates
from server.webhooks import service
from server.webhooks.models import Webhook


@strawberry.type(name="Webhook", description="Where a round's events are posted, signed with HMAC-SHA256.")
class WebhookNode(relay.Node):
    row: strawberry.Private[Webhook]

    @classmethod
    def resolve_id(cls, root: WebhookNode, *, info: Info) -> str:
        return str(root.row.id)

    @strawberry.field
    def url(self) -> str:
        return self.row.url

    @strawberry.field(description="Empty: every type.")
    def event_types(self) -> list[str]:
        return list(self.row.event_types)

    @strawberry.field
    def active(self) -> bool:
        return self.row.active

    @strawberry.field
    def created_at(self) -> datetime:
        return self.row.created_at


@strawberry.type
class WebhookPayload:
    webhook: WebhookNode
    secret: str = strawberry.field(description="The key deliveries are signed with. Shown only now.")


RegisterWebhookResult = result("RegisterWebhookResult", WebhookPayload)
DeactivateWebhookResult = result("DeactivateWebhookResult", WebhookNode)


async def webhooks_of(info: Info, round_id: object) -> list[WebhookNode] | None:
    """A round's webhooks, for its facilitators (null for everyone else)."""
    if not await facilitates(info, round_id):
        return None
    actor = info.context.viewer
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
