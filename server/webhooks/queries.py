"""Reading the delivery log: newest first, each delivery with the type of its event.

The event's type comes from a join in the same statement, so a page of a hundred deliveries is
one statement, not one per event.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.events.models import Event
from server.pagination import Order, Window
from server.webhooks.models import Webhook, WebhookDelivery

DELIVERY_ORDER = Order((WebhookDelivery.id,), descending=True)  # ids are time-ordered: newest first


async def deliveries_page(session: AsyncSession, webhook_id: uuid.UUID, *, status: str | None, window: Window
                          ) -> tuple[list[tuple[WebhookDelivery, str]], bool]:
    """(delivery, event type) pairs of one webhook, in one status or all."""
    statement = (select(WebhookDelivery, Event.type).join(Event, Event.id == WebhookDelivery.event_id)
                 .where(WebhookDelivery.webhook_id == webhook_id))
    if status is not None:
        statement = statement.where(WebhookDelivery.status == status)
    rows, more = window.split((await session.execute(DELIVERY_ORDER.window(statement, window))).all())
    return [(delivery, kind) for delivery, kind in rows], more


async def deliveries_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]
                           ) -> dict[uuid.UUID, tuple[WebhookDelivery, str, uuid.UUID]]:
    """Each delivery with its event's type and its webhook's round (whose facilitators may read it)."""
    rows = await session.execute(
        select(WebhookDelivery, Event.type, Webhook.round_id)
        .join(Event, Event.id == WebhookDelivery.event_id).join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .where(WebhookDelivery.id.in_(list(ids))))
    return {delivery.id: (delivery, kind, round_id) for delivery, kind, round_id in rows}
