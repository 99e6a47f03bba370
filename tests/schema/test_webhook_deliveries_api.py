"""The delivery log through the API: each delivery's status after real attempts at a local receiver,
for the round's facilitators only, in a fixed number of statements."""

from __future__ import annotations

import pytest
from arq import Retry
from sqlalchemy import update

from schema import ids
from server.database import unit_of_work
from server.deliberation import service as deliberation
from server.errors import NotPermitted
from server.events.service import record
from server.pagination import Window
from server.people.models import Participant
from server.webhooks import service as webhooks
from server.webhooks.models import WebhookDelivery
from tests.factories import make_member, make_participant, make_round
from tests.schema.conftest import token_for
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
from tests.statements import counting
from workers.relay import relay_once
from workers.webhooks import MAX_ATTEMPTS, deliver_webhook

DELIVERY = "id eventId eventType status attempts lastStatusCode lastError nextAttemptAt deliveredAt createdAt"
LOG = f"""query ($id: ID!, $status: WebhookDeliveryStatus, $last: Int) {{ round(id: $id) {{ webhooks {{
  id deliveries(status: $status, last: $last) {{ edges {{ node {{ {DELIVERY} }} }} pageInfo {{ hasNextPage hasPreviousPage }} }}
}} }} }}"""
NODE = "query ($id: ID!) { node(id: $id) { __typename ... on Webhook { url } ... on WebhookDelivery { status } } }"


async def _token(committed, participant, *scopes):
    async with unit_of_work(committed) as session:
        return await token_for(session, participant, *scopes)


async def test_the_rounds_facilitators_read_each_deliverys_status(api, committed, runtime, queue, receiver):
    round_, clause, voter, facilitator = await _deliberating_round(committed)
    inbox = receiver([200, 500])  # the first request is accepted, every later one fails
    webhook, _ = await _register(committed, facilitator, round_, inbox.url, ["vote.cast", "comment.posted"])
    async with unit_of_work(committed) as session:
        await deliberation.cast_vote(session, voter, clause.id, "agree")
        await deliberation.post_comment(session, voter, body="ต้องถามชุมชนก่อน", stance="question",
                                        clause_id=clause.id)
        await deliberation.post_comment(session, voter, body="เห็นด้วย", stance="support", clause_id=clause.id)
    await relay_once(runtime, queue)
    vote, given_up, retrying = await _deliveries(committed, webhook.id)
    ctx = {"runtime": runtime, "redis": queue}
    assert await deliver_webhook(ctx, str(vote.id)) == "delivered"
    async with unit_of_work(committed) as session:  # as if every earlier try had failed too
        await session.execute(update(WebhookDelivery).where(WebhookDelivery.id == given_up.id)
                              .values(attempts=MAX_ATTEMPTS - 1))
    assert await deliver_webhook(ctx, str(given_up.id)) == "failed"
    with pytest.raises(Retry):
        await deliver_webhook(ctx, str(retrying.id))
    assert len(inbox.requests) == 3

    token = await _token(committed, facilitator, "read", "participate", "facilitate")
    round_id = ids.encode("Round", round_.id)
    (hook,) = (await api.data(LOG, {"id": round_id}, token=token))["round"]["webhooks"]
    listed = [e["node"] for e in hook["deliveries"]["edges"]]  # newest first
    assert [d["id"] for d in listed] == [ids.encode("WebhookDelivery", d.id) for d in (retrying, given_up, vote)]
    assert [(d["eventType"], d["status"], d["attempts"], d["lastStatusCode"], d["lastError"]) for d in listed] == [
        ("comment.posted", "PENDING", 1, 500, "HTTP 500"),
        ("comment.posted", "FAILED", MAX_ATTEMPTS, 500, "HTTP 500"),
        ("vote.cast", "DELIVERED", 1, 200, None)]
    assert [bool(d["nextAttemptAt"]) for d in listed] == [True, False, False]
    assert [bool(d["deliveredAt"]) for d in listed] == [False, False, True]
    assert all(d["createdAt"] for d in listed)
    assert listed[2]["eventId"] == ids.encode("Event", vote.event_id)
    event = await api.data("query ($id: ID!) { node(id: $id) { ... on Event { type } } }",
                           {"id": listed[2]["eventId"]}, token=token)
    assert event["node"] == {"type": "vote.cast"}
    assert hook["deliveries"]["pageInfo"] == {"hasNextPage": False, "hasPreviousPage": False}

    failed = (await api.data(LOG, {"id": round_id, "status": "FAILED"}, token=token))["round"]["webhooks"][0]
    assert [e["node"]["id"] for e in failed["deliveries"]["edges"]] == [listed[1]["id"]]
    oldest = (await api.data(LOG, {"id": round_id, "last": 1}, token=token))["round"]["webhooks"][0]["deliveries"]
    assert [e["node"]["eventType"] for e in oldest["edges"]] == ["vote.cast"]
    assert oldest["pageInfo"] == {"hasNextPage": False, "hasPreviousPage": True}
    for gid, typename in ((hook["id"], "Webhook"), (listed[0]["id"], "WebhookDelivery")):
        assert (await api.data(NODE, {"id": gid}, token=token))["node"]["__typename"] == typename


async def test_participants_and_other_rounds_facilitators_are_refused(api, committed, runtime, queue, receiver):
    round_, clause, voter, facilitator = await _deliberating_round(committed)
    inbox = receiver()
    webhook, _ = await _register(committed, facilitator, round_, inbox.url, ["vote.cast"])
    async with unit_of_work(committed) as session:
        await deliberation.cast_vote(session, voter, clause.id, "agree")
        elsewhere = await make_participant(session, role="facilitator")
        await make_round(session, elsewhere)
    await relay_once(runtime, queue)
    (delivery,) = await _deliveries(committed, webhook.id)

    for who in (voter, elsewhere):
        # the service refuses, whatever path reaches it
        async with unit_of_work(committed) as session:
            actor = await session.get(Participant, who.id)
            with pytest.raises(NotPermitted) as refused:
                await webhooks.list_deliveries(session, actor, webhook.id, status=None, window=Window(20))
            assert refused.value.code == "not_permitted"
        # and through the API they never hold the webhook or its deliveries to ask
        token = await _token(committed, who, "read", "participate", "facilitate")
        answer = await api.data(LOG, {"id": ids.encode("Round", round_.id)}, token=token)
        assert answer["round"]["webhooks"] is None
        for gid in (ids.encode("Webhook", webhook.id), ids.encode("WebhookDelivery", delivery.id)):
            assert (await api.data(NODE, {"id": gid}, token=token))["node"] is None

    # a facilitator's token without the facilitate scope sees no more than a participant
    read_only = await _token(committed, facilitator, "read")
    assert (await api.data(LOG, {"id": ids.encode("Round", round_.id)}, token=read_only))["round"]["webhooks"] is None


@pytest.mark.parametrize("deliveries", [2, 40])
async def test_the_delivery_log_runs_a_fixed_number_of_statements(api, session, engine, deliveries):
    facilitator = await make_participant(session, role="facilitator")
    round_ = await make_round(session, facilitator)
    await make_member(session, round_)
    _webhook, _ = await webhooks.register_webhook(session, facilitator, round_.id, url="https://example.org/h")
    events = [record(session, f"test.event_{i % 4}", round_id=round_.id, actor_id=None) for i in range(deliveries)]
    await session.flush()
    await webhooks.plan_deliveries(session, events)
    token = await token_for(session, await session.get(Participant, facilitator.id), "read", "facilitate")
    query = "query ($id: ID!) { round(id: $id) { webhooks { deliveries(first: 100) { edges { node { %s } } } } } }"
    with counting(engine) as statements:
        data = await api.data(query % DELIVERY, {"id": ids.encode("Round", round_.id)}, token=token)
    (hook,) = data["round"]["webhooks"]
    assert len(hook["deliveries"]["edges"]) == deliveries
    assert ({e["node"]["eventType"] for e in hook["deliveries"]["edges"]}
            == {f"test.event_{i % 4}" for i in range(deliveries)})
    # token, round, the caller's membership, the webhooks, and one page of deliveries joined with their events:
    # the service's own permission check finds the round and membership already in the session
    assert len(statements.queries) == 5, "\n".join(statements.queries)
