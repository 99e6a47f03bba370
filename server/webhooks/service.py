"""Registering webhooks, and the delivery rows the worker sends and logs.

A webhook belongs to one round; its facilitators (and administrators) register, list and
deactivate them, read their delivery logs and send failed deliveries again. The secret is made
here and returned once, to be shown to the integrator; it is stored in clear because signing
needs it. Delivery rows are created after the relay has published the events (at least once,
so creation is idempotent per webhook and event), and every attempt is written back to the row
by the job.
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from server import validation
from server.disclosure import WEBHOOK
from server.errors import Conflict, Invalid, NotFound
from server.events.audiences import disclose
from server.events.models import Event
from server.events.relay import as_message
from server.events.service import record
from server.i18n import N_
from server.ids import uuid7
from server.pagination import Window
from server.people.models import Participant
from server.rounds.access import require_facilitator, standing
from server.webhooks import queries
from server.webhooks.models import DELIVERY_STATES, Webhook, WebhookDelivery

MAX_URL_LENGTH = 2000
MAX_EVENT_TYPES = 50
MAX_ACTIVE_PER_ROUND = 20  # each one multiplies every event of the round into outgoing requests
EVENT_TYPE = re.compile(r"[a-z][a-z_]*(\.[a-z][a-z_]*)+")  # vote.cast, proposal.consolidated


def check_url(invalid: Invalid, value: str | None) -> str:
    url = validation.web_address(invalid, "url", value, max_length=MAX_URL_LENGTH)
    if "url" not in invalid.fields and "@" in urlsplit(url).netloc:
        # a password in the address would be stored and logged in clear; deliveries are signed
        invalid.add("url", N_("Leave the user name and password out of the address: every delivery is "
                              "signed instead."))
    return url


def check_event_types(invalid: Invalid, values: Sequence[str] | None) -> list[str]:
    wanted = sorted({(v or "").strip() for v in values or ()})
    if len(wanted) > MAX_EVENT_TYPES:
        invalid.add("event_types", N_("Choose at most {limit} event types."), limit=MAX_EVENT_TYPES)
    for value in wanted:
        if len(value) > 60 or not EVENT_TYPE.fullmatch(value):
            invalid.add("event_types", N_("{name} is not an event type: they look like vote.cast."), name=value)
    return wanted


async def register_webhook(session: AsyncSession, actor: Participant, round_id: uuid.UUID, *, url: str,
                           event_types: Sequence[str] | None = None) -> tuple[Webhook, str]:
    """A new webhook and its secret, which is returned only now. No event types: every type."""
    require_facilitator(await standing(session, round_id, actor))
    invalid = Invalid()
    url = check_url(invalid, url)
    wanted = check_event_types(invalid, event_types)
    invalid.raise_if_any()
    active = (await session.execute(select(func.count()).select_from(Webhook)
                                    .where(Webhook.round_id == round_id, Webhook.active))).scalar_one()
    if active >= MAX_ACTIVE_PER_ROUND:
        raise Conflict(N_("This round already has {limit} active webhooks. Deactivate one first."),
                       limit=MAX_ACTIVE_PER_ROUND)
    secret = secrets.token_urlsafe(32)
    webhook = Webhook(round_id=round_id, url=url, event_types=wanted, secret=secret, created_by_id=actor.id)
    session.add(webhook)
    await session.flush()
    # the event is published on the round's channel: the host only, never the path or the secret
    record(session, "webhook.registered", round_id=round_id, actor_id=actor.id, subject_id=webhook.id,
           host=urlsplit(url).hostname, event_types=wanted)
    return webhook, secret


async def list_webhooks(session: AsyncSession, actor: Participant, round_id: uuid.UUID) -> list[Webhook]:
    require_facilitator(await standing(session, round_id, actor))
    return list(await session.scalars(
        select(Webhook).where(Webhook.round_id == round_id).order_by(Webhook.id)))


async def list_deliveries(session: AsyncSession, actor: Participant, webhook_id: uuid.UUID, *, status: str | None,
                          window: Window) -> tuple[list[tuple[WebhookDelivery, str]], bool]:
    """A page of the webhook's delivery log, newest first, for those who may manage the round's webhooks:
    what was sent where and what the receiver answered is theirs to see, not the round's members'."""
    webhook = await session.get(Webhook, webhook_id)
    if webhook is None:
        raise NotFound(N_("webhook"), webhook_id)
    require_facilitator(await standing(session, webhook.round_id, actor))
    invalid = Invalid()
    invalid.check(status is None or status in DELIVERY_STATES, "status", N_("Choose one of: {choices}."),
                  choices=", ".join(DELIVERY_STATES))
    invalid.raise_if_any()
    return await queries.deliveries_page(session, webhook_id, status=status, window=window)


async def deactivate_webhook(session: AsyncSession, actor: Participant, webhook_id: uuid.UUID) -> Webhook:
    """Stops deliveries, including retries still waiting. Deactivating twice changes nothing."""
    webhook = await session.get(Webhook, webhook_id)
    if webhook is None:
        raise NotFound(N_("webhook"), webhook_id)
    require_facilitator(await standing(session, webhook.round_id, actor))
    if webhook.active:
        webhook.active = False
        await session.flush()
        record(session, "webhook.deactivated", round_id=webhook.round_id, actor_id=actor.id,
               subject_id=webhook.id)
    return webhook


DELIVERY_RETRIED = "webhook.delivery_retried"
# why a delivery cannot be sent again, by its status: only one that gave up can
NOT_RETRIED = {
    "pending": N_("This delivery is still being tried: only a failed delivery can be sent again."),
    "delivered": N_("This delivery has arrived already: only a failed delivery can be sent again."),
}


async def retry_delivery(session: AsyncSession, actor: Participant,
                         delivery_id: uuid.UUID) -> tuple[WebhookDelivery, str]:
    """A failed delivery made pending again, with a full set of attempts, and its event's type.

    Its job is enqueued by the relay once the `webhook.delivery_retried` event recorded here is
    committed and relayed, so that it never runs before the row it reads is pending; a lost job is
    found by the sweep. The last status and error stay: they say why it failed before."""
    row = (await session.execute(
        select(WebhookDelivery, Webhook, Event.type)
        .join(Webhook, Webhook.id == WebhookDelivery.webhook_id).join(Event, Event.id == WebhookDelivery.event_id)
        .where(WebhookDelivery.id == delivery_id)
        # two retries at once: the second waits, then finds the delivery pending and is refused
        .with_for_update(of=WebhookDelivery).execution_options(populate_existing=True))).first()
    if row is None:
        raise NotFound(N_("webhook delivery"), delivery_id)
    delivery, webhook, kind = row
    require_facilitator(await standing(session, webhook.round_id, actor))
    if not webhook.active:
        raise Conflict(N_("This webhook is deactivated: its deliveries cannot be sent again."))
    if delivery.status != "failed":
        raise Conflict(NOT_RETRIED[delivery.status])
    delivery.status, delivery.attempts, delivery.next_attempt_at = "pending", 0, datetime.now(UTC)
    await session.flush()
    record(session, DELIVERY_RETRIED, round_id=webhook.round_id, actor_id=actor.id, subject_id=delivery.id,
           webhook_id=webhook.id)
    return delivery, kind


def wants(webhook: Webhook, event: Event) -> bool:
    return (event.round_id == webhook.round_id and (not webhook.event_types or event.type in webhook.event_types)
            # events from before the registration (a relay that lagged) are not the integrator's
            and event.created_at >= webhook.created_at)


async def plan_deliveries(session: AsyncSession, events: Sequence[Event]) -> list[uuid.UUID]:
    """Delivery rows for relayed events, one per active webhook that wants each; the ids of those
    still pending, including rows an earlier relay of the same events made (sent at least once)."""
    rounds = {e.round_id for e in events if e.round_id is not None}
    if not rounds:
        return []
    hooks: dict[uuid.UUID | None, list[Webhook]] = defaultdict(list)  # an event of no round finds none
    for webhook in await session.scalars(select(Webhook).where(Webhook.round_id.in_(rounds), Webhook.active)):
        hooks[webhook.round_id].append(webhook)
    rows = [{"id": uuid7(), "webhook_id": h.id, "event_id": e.id, "status": "pending", "attempts": 0}
            for e in events for h in hooks.get(e.round_id, ()) if wants(h, e)]
    if not rows:
        return []
    await session.execute(insert(WebhookDelivery).values(rows)
                          .on_conflict_do_nothing(index_elements=["webhook_id", "event_id"]))
    return list(await session.scalars(
        select(WebhookDelivery.id).where(WebhookDelivery.event_id.in_({r["event_id"] for r in rows}),
                                         WebhookDelivery.webhook_id.in_({r["webhook_id"] for r in rows}),
                                         WebhookDelivery.status == "pending")
        .order_by(WebhookDelivery.id)))


@dataclass(frozen=True)
class Outgoing:
    """What one attempt needs, read in a short transaction so none is held open over the network."""

    delivery_id: uuid.UUID
    status: str
    attempts: int
    active: bool
    url: str
    secret: str
    event_type: str
    body: bytes  # what the signature covers, byte for byte
    request_id: str | None = None  # of the request that recorded the event: for the worker's log lines only


async def stranded(session: AsyncSession, *, overdue_before: datetime) -> list[uuid.UUID]:
    """Pending deliveries whose attempt is overdue (planned, or due to be retried, before `overdue_before`):
    their job was lost with Redis. Re-enqueueing one whose job still waits is harmless (fixed job ids)."""
    rows = await session.scalars(
        select(WebhookDelivery.id).where(
            WebhookDelivery.status == "pending",
            func.coalesce(WebhookDelivery.next_attempt_at, WebhookDelivery.created_at) < overdue_before)
        .order_by(WebhookDelivery.id).limit(1000))
    return list(rows)


async def outgoing(session: AsyncSession, delivery_id: uuid.UUID) -> Outgoing | None:
    row = (await session.execute(
        select(WebhookDelivery, Webhook, Event)
        .join(Webhook, Webhook.id == WebhookDelivery.webhook_id).join(Event, Event.id == WebhookDelivery.event_id)
        .where(WebhookDelivery.id == delivery_id))).first()
    if row is None:
        return None
    delivery, webhook, event = row
    return Outgoing(delivery.id, delivery.status, delivery.attempts, webhook.active, webhook.url, webhook.secret,
                    event.type, public_message(event).encode(), (event.payload or {}).get("request_id"))


def public_message(event: Event) -> str:
    """The relay's JSON for `event` as a webhook may read it (server/events/audiences.py): the
    receiver is another organisation's system, whoever registered it."""
    seen = disclose(event, WEBHOOK)
    shown = Event(id=event.id, type=event.type, round_id=event.round_id, actor_id=seen.actor_id,
                  subject_id=seen.subject_id, payload=seen.payload, created_at=event.created_at)
    return as_message(shown)


async def record_attempt(session: AsyncSession, delivery_id: uuid.UUID, *, status_code: int | None,
                         error: str | None, retry_at: datetime | None) -> WebhookDelivery:
    """Logs one attempt: a 2xx answer delivers; otherwise pending until `retry_at`, or failed."""
    delivery = await session.get(WebhookDelivery, delivery_id, with_for_update=True)
    if delivery is None:
        raise NotFound(N_("webhook delivery"), delivery_id)
    delivered = status_code is not None and 200 <= status_code < 300
    delivery.attempts += 1
    delivery.last_status_code = status_code
    delivery.last_error = error[:1000] if error else None
    delivery.status = "delivered" if delivered else "pending" if retry_at else "failed"
    delivery.delivered_at = datetime.now(UTC) if delivered else None
    delivery.next_attempt_at = None if delivered else retry_at
    await session.flush()
    return delivery


async def abandon(session: AsyncSession, delivery_id: uuid.UUID, reason: str) -> None:
    """A delivery that will not be attempted (its webhook was deactivated): failed, with why."""
    delivery = await session.get(WebhookDelivery, delivery_id, with_for_update=True)
    if delivery is not None and delivery.status == "pending":
        delivery.status, delivery.last_error, delivery.next_attempt_at = "failed", reason, None
        await session.flush()
