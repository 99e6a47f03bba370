"""Sending a failed webhook delivery again: through the API, with the job enqueued by the relay
once the retry is committed, and only by those who manage the round's webhooks."""

from __future__ import annotations

from uuid import uuid4

import httpx
import pytest
from sqlalchemy import select, update

from schema import ids
from server.app import create_app
from server.database import unit_of_work
from server.deliberation import service as deliberation
from server.errors import Conflict, NotFound, NotPermitted
from server.events.models import Event
from server.people.models import Participant
from server.webhooks import service as webhooks
from server.webhooks.models import WebhookDelivery
from server.webhooks.signing import verify
from tests.factories import make_participant, make_round
from tests.schema.conftest import Api, token_for
from tests.schema.test_webhooks import (  # noqa: F401 -- fixtures, used by name
    _deliberating_round,
    _deliveries,
    _register,
    committed,
    loopback_receivers,
    queue,
    receiver,
    runtime,
    settings,
)
from tests.workers.conftest import run_jobs
from workers.relay import relay_once
from workers.webhooks import MAX_ATTEMPTS, deliver_webhook, job_id

RETRY = """mutation ($id: ID!) { retryWebhookDelivery(id: $id) { __typename
  ... on WebhookDelivery { id status attempts lastStatusCode lastError nextAttemptAt deliveredAt }
  ... on Error { code message } } }"""


@pytest.fixture
async def live_api(runtime):
    """The API on the worker's runtime: what a mutation commits is committed, for the relay to find."""
    app = create_app(runtime.settings)
    app.state.runtime = runtime
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ruam.test") as client:
        yield Api(client, app)


async def _token(committed, participant, *scopes):
    async with unit_of_work(committed) as session:
        return await token_for(session, participant, *scopes)


async def _failed_delivery(committed, runtime, queue, inbox, facilitator, round_, voter, clause):
    """A vote.cast delivery that gave up against `inbox`, driven by hand: its last try answered 500."""
    webhook, secret = await _register(committed, facilitator, round_, inbox.url, ["vote.cast"])
    async with unit_of_work(committed) as session:
        await deliberation.cast_vote(session, voter, clause.id, "agree")
    await relay_once(runtime, queue)
    await queue.flushdb()  # the jobs the vote called for are driven by hand here
    (delivery,) = await _deliveries(committed, webhook.id)
    async with unit_of_work(committed) as session:  # as if every earlier try had failed too
        await session.execute(update(WebhookDelivery).where(WebhookDelivery.id == delivery.id)
                              .values(attempts=MAX_ATTEMPTS - 1))
    assert await deliver_webhook({"runtime": runtime, "redis": queue}, str(delivery.id)) == "failed"
    return webhook, secret, delivery


async def test_a_failed_delivery_is_sent_again_and_arrives(live_api, committed, runtime, queue, settings,
                                                           receiver):
    round_, clause, voter, facilitator = await _deliberating_round(committed)
    inbox = receiver([500, 200])  # down for the first try, back for the one that is asked for again
    webhook, secret, delivery = await _failed_delivery(committed, runtime, queue, inbox, facilitator, round_,
                                                       voter, clause)

    token = await _token(committed, facilitator, "read", "facilitate")
    gid = ids.encode("WebhookDelivery", delivery.id)
    answer = (await live_api.data(RETRY, {"id": gid}, token=token))["retryWebhookDelivery"]
    assert answer["__typename"] == "WebhookDelivery" and answer["id"] == gid
    # pending with a full set of tries, still saying why it failed
    assert (answer["status"], answer["attempts"], answer["lastStatusCode"], answer["lastError"]) == (
        "PENDING", 0, 500, "HTTP 500")
    assert answer["nextAttemptAt"] and answer["deliveredAt"] is None
    async with unit_of_work(committed) as session:
        (event,) = (await session.scalars(select(Event).where(Event.subject_id == delivery.id))).all()
    assert (event.type, event.round_id, event.actor_id) == ("webhook.delivery_retried", round_.id, facilitator.id)

    assert not await queue.exists(f"arq:job:{job_id(delivery.id)}")  # nothing before the relay
    await relay_once(runtime, queue)
    assert await queue.exists(f"arq:job:{job_id(delivery.id)}")
    await run_jobs(queue, runtime)

    (done,) = await _deliveries(committed, webhook.id)
    assert (done.status, done.attempts, done.last_status_code, done.last_error) == ("delivered", 1, 200, None)
    assert done.delivered_at is not None and done.next_attempt_at is None
    (_, _, first_body), (_, headers, body) = inbox.requests
    assert headers["X-Ruam-Delivery"] == str(delivery.id) and headers["X-Ruam-Event"] == "vote.cast"
    assert body == first_body and verify(secret, body, headers["X-Ruam-Signature"])

    # relayed again (at least once) or asked again: a delivered one is neither sent nor retried
    assert await deliver_webhook({"runtime": runtime}, str(delivery.id)) == "delivered"
    again = (await live_api.data(RETRY, {"id": gid}, token=token))["retryWebhookDelivery"]
    assert (again["__typename"], again["code"]) == ("Conflict", "conflict")
    assert len(inbox.requests) == 2


async def test_participants_and_other_rounds_facilitators_are_refused(live_api, committed, runtime, queue,
                                                                      receiver):
    round_, clause, voter, facilitator = await _deliberating_round(committed)
    _, _, delivery = await _failed_delivery(committed, runtime, queue, receiver([500]), facilitator, round_,
                                            voter, clause)
    async with unit_of_work(committed) as session:
        elsewhere = await make_participant(session, role="facilitator")
        await make_round(session, elsewhere)
    gid = ids.encode("WebhookDelivery", delivery.id)

    for who in (voter, elsewhere):
        async with unit_of_work(committed) as session:  # the service refuses, whatever path reaches it
            with pytest.raises(NotPermitted):
                await webhooks.retry_delivery(session, await session.get(Participant, who.id), delivery.id)
        token = await _token(committed, who, "read", "participate", "facilitate")
        answer = (await live_api.data(RETRY, {"id": gid}, token=token))["retryWebhookDelivery"]
        assert (answer["__typename"], answer["code"]) == ("NotPermitted", "not_permitted")
    # a facilitator's token without the facilitate scope may not either
    read_only = await _token(committed, facilitator, "read", "participate")
    answer = (await live_api.data(RETRY, {"id": gid}, token=read_only))["retryWebhookDelivery"]
    assert answer["__typename"] == "NotPermitted"

    token = await _token(committed, facilitator, "read", "facilitate")
    for unknown in (ids.encode("WebhookDelivery", uuid4()), ids.encode("Webhook", delivery.webhook_id)):
        answer = (await live_api.data(RETRY, {"id": unknown}, token=token))["retryWebhookDelivery"]
        assert (answer["__typename"], answer["code"]) == ("NotFound", "not_found")
        assert "webhook delivery" in answer["message"]
    (unchanged,) = await _deliveries(committed, delivery.webhook_id)
    assert (unchanged.status, unchanged.attempts) == ("failed", MAX_ATTEMPTS)
    async with unit_of_work(committed) as session:
        assert await session.scalar(select(Event).where(Event.subject_id == delivery.id)) is None
        with pytest.raises(NotFound):
            await webhooks.retry_delivery(session, await session.get(Participant, facilitator.id), uuid4())


async def test_only_failed_deliveries_of_active_webhooks_are_sent_again(live_api, committed, runtime, queue,
                                                                        receiver):
    round_, clause, voter, facilitator = await _deliberating_round(committed)
    inbox = receiver([500])
    webhook, _, failed = await _failed_delivery(committed, runtime, queue, inbox, facilitator, round_, voter,
                                                clause)
    async with unit_of_work(committed) as session:
        await deliberation.post_comment(session, voter, body="ต้องถามชุมชนก่อน", stance="question",
                                        clause_id=clause.id)
    every, _ = await _register(committed, facilitator, round_, inbox.url, ["comment.posted"])
    async with unit_of_work(committed) as session:
        await deliberation.post_comment(session, voter, body="เห็นด้วย", stance="support", clause_id=clause.id)
    await relay_once(runtime, queue)
    (pending,) = await _deliveries(committed, every.id)
    async with unit_of_work(committed) as session:
        await session.execute(update(WebhookDelivery).where(WebhookDelivery.id == failed.id)
                              .values(status="delivered"))
        delivered = await session.get(WebhookDelivery, failed.id)
    token = await _token(committed, facilitator, "read", "facilitate")

    for delivery, says in ((pending, "still being tried"), (delivered, "arrived already")):
        answer = (await live_api.data(RETRY, {"id": ids.encode("WebhookDelivery", delivery.id)}, token=token,
                                      ))["retryWebhookDelivery"]
        assert (answer["__typename"], answer["code"]) == ("Conflict", "conflict")
        assert says in answer["message"]
    thai = await live_api(RETRY, {"id": ids.encode("WebhookDelivery", pending.id)}, token=token, lang="th")
    assert "ส่งซ้ำได้เฉพาะการส่งที่ล้มเหลว" in thai["data"]["retryWebhookDelivery"]["message"]

    # a deactivated webhook's failed delivery stays failed: it would only be abandoned again
    async with unit_of_work(committed) as session:
        await session.execute(update(WebhookDelivery).where(WebhookDelivery.id == failed.id)
                              .values(status="failed"))
        await webhooks.deactivate_webhook(session, await session.get(Participant, facilitator.id), webhook.id)
        with pytest.raises(Conflict) as refused:
            await webhooks.retry_delivery(session, await session.get(Participant, facilitator.id), failed.id)
    assert "deactivated" in refused.value.message("en")
    answer = (await live_api.data(RETRY, {"id": ids.encode("WebhookDelivery", failed.id)}, token=token,
                                  ))["retryWebhookDelivery"]
    assert answer["__typename"] == "Conflict" and "deactivated" in answer["message"]
    assert {(d.id, d.status) for d in await _deliveries(committed, webhook.id) + await _deliveries(committed, every.id)} == {
        (failed.id, "failed"), (pending.id, "pending")}
