"""Webhooks: registration rules, and signed deliveries received by a local HTTP server."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from arq import Retry
from sqlalchemy import select, update

from server.database import unit_of_work
from server.deliberation import service as deliberation
from server.errors import NotPermitted, ValidationError
from server.events.models import Event
from server.people.models import Participant
from server.rounds import service as rounds
from server.webhooks import service as webhooks
from server.webhooks.models import WebhookDelivery
from server.webhooks.service import public_message
from server.webhooks.signing import verify
from tests.factories import make_clause, make_member, make_participant, make_round
from tests.workers import conftest as worker_fixtures
from tests.workers.conftest import run_jobs
from workers import webhooks as worker_webhooks
from workers.relay import relay_once
from workers.webhooks import MAX_ATTEMPTS, deliver_webhook, job_id

# committed rows, a runtime and an arq pool, as the worker tests have them
committed, runtime, queue, settings = (worker_fixtures.committed, worker_fixtures.runtime,
                                       worker_fixtures.queue, worker_fixtures.settings)


class Receiver:
    """An integrator's endpoint on 127.0.0.1: records each request, answers the next status."""

    def __init__(self, statuses=(200,)):
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        self.statuses = list(statuses)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((self.path, dict(self.headers), body))
                status = receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(autouse=True)
def loopback_receivers(monkeypatch):
    """The receivers here listen on 127.0.0.1, which production refuses (see the last test)."""
    monkeypatch.setattr(worker_webhooks, "PRIVATE_ADDRESSES_ALLOWED", True)


@pytest.fixture
def receiver():
    made = []

    def make(statuses=(200,)):
        made.append(Receiver(statuses))
        return made[-1]
    yield make
    for r in made:
        r.close()


async def _deliberating_round(committed):
    async with unit_of_work(committed) as session:
        facilitator = await make_participant(session, role="facilitator")
        round_ = await make_round(session, facilitator)
        clause = await make_clause(session, round_)
        voter = await make_member(session, round_)
        await rounds.move_phase(session, facilitator, round_.id, "deliberation")
    return round_, clause, voter, facilitator


async def _register(committed, facilitator, round_, url, types):
    async with unit_of_work(committed) as session:
        return await webhooks.register_webhook(session, facilitator, round_.id, url=url, event_types=types)


async def _deliveries(committed, webhook_id):
    async with unit_of_work(committed) as session:
        return list(await session.scalars(select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook_id)
                                          .order_by(WebhookDelivery.id)))


async def test_deliveries_are_signed_and_only_wanted_types_arrive(committed, runtime, queue, settings, receiver):
    round_, clause, voter, facilitator = await _deliberating_round(committed)
    await relay_once(runtime, queue)
    await queue.flushdb()  # the set-up's consolidation job is not this test's business
    inbox = receiver()
    votes, votes_secret = await _register(committed, facilitator, round_, inbox.url + "/votes", ["vote.cast"])
    every, every_secret = await _register(committed, facilitator, round_, inbox.url + "/all", [])
    async with unit_of_work(committed) as session:
        await deliberation.cast_vote(session, voter, clause.id, "disagree")
        await deliberation.post_comment(session, voter, body="ต้องถามชุมชนก่อน", stance="question", clause_id=clause.id)

    await relay_once(runtime, queue)
    planned = await _deliveries(committed, votes.id) + await _deliveries(committed, every.id)
    for delivery in planned:
        assert await queue.exists(f"arq:job:{job_id(delivery.id)}")
    await run_jobs(queue, runtime)

    by_path = {"/votes": [], "/all": []}
    for path, headers, body in inbox.requests:
        by_path[path].append((headers, body))
    assert [h["X-Ruam-Event"] for h, _ in by_path["/votes"]] == ["vote.cast"]
    assert {h["X-Ruam-Event"] for h, _ in by_path["/all"]} == {"webhook.registered", "vote.cast", "comment.posted"}
    for path, secret in (("/votes", votes_secret), ("/all", every_secret)):
        for headers, body in by_path[path]:
            assert headers["Content-Type"] == "application/json"
            assert verify(secret, body, headers["X-Ruam-Signature"])
            assert not verify("another secret", body, headers["X-Ruam-Signature"])
            assert json.loads(body)["type"] == headers["X-Ruam-Event"]

    headers, body = by_path["/votes"][0]
    (delivery,) = await _deliveries(committed, votes.id)
    assert headers["X-Ruam-Delivery"] == str(delivery.id)
    async with unit_of_work(committed) as session:
        assert body == public_message(await session.get(Event, delivery.event_id)).encode()
    sent = json.loads(body)
    # never who voted, nor what: a vote's choice, group and proxy are for the round's facilitators
    assert sent["actor_id"] is None and sent["subject_id"] is None
    assert sent["payload"] == {"clause_id": str(clause.id), "amendment_id": None}
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)
    assert delivery.delivered_at is not None and delivery.last_error is None

    # at least once upstream, once here: planning again and running again send nothing more
    async with unit_of_work(committed) as session:
        assert await webhooks.plan_deliveries(session, [await session.get(Event, delivery.event_id)]) == []
    assert await deliver_webhook({"runtime": runtime}, str(delivery.id)) == "delivered"
    assert len(inbox.requests) == 4


async def test_a_failed_attempt_is_logged_and_retried_with_backoff(committed, runtime, queue, receiver):
    round_, clause, voter, facilitator = await _deliberating_round(committed)
    inbox = receiver([500, 200])
    webhook, secret = await _register(committed, facilitator, round_, inbox.url, ["vote.cast"])
    async with unit_of_work(committed) as session:
        await deliberation.cast_vote(session, voter, clause.id, "agree")
    await relay_once(runtime, queue)
    (delivery,) = await _deliveries(committed, webhook.id)
    ctx = {"runtime": runtime, "redis": queue}

    with pytest.raises(Retry) as retry:
        await deliver_webhook(ctx, str(delivery.id))
    assert retry.value.defer_score == 2000  # then 4 s, 8 s, …
    (failed,) = await _deliveries(committed, webhook.id)
    assert (failed.status, failed.attempts, failed.last_status_code, failed.last_error) == ("pending", 1, 500, "HTTP 500")
    assert failed.next_attempt_at is not None

    assert await deliver_webhook(ctx, str(delivery.id)) == "delivered"
    (done,) = await _deliveries(committed, webhook.id)
    assert (done.status, done.attempts, done.last_status_code, done.last_error) == ("delivered", 2, 200, None)
    first, second = inbox.requests
    assert first[2] == second[2] and first[1]["X-Ruam-Delivery"] == second[1]["X-Ruam-Delivery"]
    assert verify(secret, second[2], second[1]["X-Ruam-Signature"])


async def test_unreachable_receivers_are_retried_then_given_up(committed, runtime, queue, receiver):
    round_, clause, voter, facilitator = await _deliberating_round(committed)
    closed = receiver()
    closed.close()  # nobody listens there any more: connection refused
    webhook, _ = await _register(committed, facilitator, round_, closed.url, ["vote.cast"])
    async with unit_of_work(committed) as session:
        await deliberation.cast_vote(session, voter, clause.id, "agree")
    await relay_once(runtime, queue)
    (delivery,) = await _deliveries(committed, webhook.id)
    ctx = {"runtime": runtime, "redis": queue}

    with pytest.raises(Retry):
        await deliver_webhook(ctx, str(delivery.id))
    (pending,) = await _deliveries(committed, webhook.id)
    assert pending.last_status_code is None and pending.last_error.startswith("ConnectError")

    async with unit_of_work(committed) as session:  # as if every earlier try had failed too
        await session.execute(update(WebhookDelivery).where(WebhookDelivery.id == delivery.id)
                              .values(attempts=MAX_ATTEMPTS - 1))
    assert await deliver_webhook(ctx, str(delivery.id)) == "failed"  # no Retry: the last one
    (failed,) = await _deliveries(committed, webhook.id)
    assert (failed.status, failed.attempts, failed.next_attempt_at) == ("failed", MAX_ATTEMPTS, None)


async def test_a_deactivated_webhook_gets_nothing_more(committed, runtime, queue, receiver):
    round_, clause, voter, facilitator = await _deliberating_round(committed)
    inbox = receiver()
    webhook, _ = await _register(committed, facilitator, round_, inbox.url, [])
    async with unit_of_work(committed) as session:
        await deliberation.cast_vote(session, voter, clause.id, "agree")
    await relay_once(runtime, queue)
    planned = await _deliveries(committed, webhook.id)
    async with unit_of_work(committed) as session:
        await webhooks.deactivate_webhook(session, facilitator, webhook.id)
    for delivery in planned:  # retries still waiting when it was deactivated
        assert await deliver_webhook({"runtime": runtime}, str(delivery.id)) == "failed"
    await relay_once(runtime, queue)  # webhook.deactivated itself: no longer wanted
    assert inbox.requests == []
    assert {(d.status, d.last_error) for d in await _deliveries(committed, webhook.id)} == {
        ("failed", "webhook deactivated")}


@pytest.mark.parametrize("url", ["ftp://example.org/hook", "https://user:secret@example.org/hook", "https:///hook",
                                 "example.org/hook", "", "http://example.org:99999/", "javascript:alert(1)",
                                 "https://example.org/a b", "https://" + "a" * 2000 + ".org/"])
async def test_only_plain_http_addresses_are_accepted(session, url):
    round_ = await make_round(session)
    facilitator = await session.get(Participant, round_.created_by_id)
    with pytest.raises(ValidationError) as refused:
        await webhooks.register_webhook(session, facilitator, round_.id, url=url, event_types=[])
    assert set(refused.value.fields) == {"url"}


@pytest.mark.parametrize("types", [["Vote Cast"], ["vote"], ["vote.cast", "vote.cast; DROP"]])
async def test_event_types_look_like_event_types(session, types):
    round_ = await make_round(session)
    facilitator = await session.get(Participant, round_.created_by_id)
    with pytest.raises(ValidationError) as refused:
        await webhooks.register_webhook(session, facilitator, round_.id, url="https://example.org/h", event_types=types)
    assert set(refused.value.fields) == {"event_types"}


async def test_only_the_rounds_facilitators_and_admins_manage_webhooks(session):
    facilitator = await make_participant(session, role="facilitator")
    round_ = await make_round(session, facilitator)
    member = await make_member(session, round_)
    stranger = await make_participant(session, role="facilitator")  # facilitates other rounds
    admin = await make_participant(session, role="admin")
    for who in (member, stranger):
        with pytest.raises(NotPermitted):
            await webhooks.register_webhook(session, who, round_.id, url="https://example.org/h")

    webhook, secret = await webhooks.register_webhook(session, admin, round_.id, url="https://example.org/h?k=1",
                                                      event_types=["vote.cast", "comment.posted", "vote.cast"])
    assert len(secret) >= 43 and webhook.secret == secret
    assert webhook.event_types == ["comment.posted", "vote.cast"] and webhook.active
    for who in (member, stranger):
        with pytest.raises(NotPermitted):
            await webhooks.list_webhooks(session, who, round_.id)
        with pytest.raises(NotPermitted):
            await webhooks.deactivate_webhook(session, who, webhook.id)
    assert await webhooks.list_webhooks(session, facilitator, round_.id) == [webhook]
    await webhooks.deactivate_webhook(session, facilitator, webhook.id)
    await webhooks.deactivate_webhook(session, facilitator, webhook.id)  # twice: one event
    assert not webhook.active

    events = (await session.scalars(select(Event).where(Event.subject_id == webhook.id).order_by(Event.id))).all()
    assert [e.type for e in events] == ["webhook.registered", "webhook.deactivated"]
    assert events[0].payload == {"host": "example.org", "event_types": ["comment.posted", "vote.cast"]}
    assert secret not in json.dumps([e.payload for e in events])


async def test_receivers_inside_our_own_network_are_refused(committed, runtime, queue, receiver, monkeypatch):
    monkeypatch.setattr(worker_webhooks, "PRIVATE_ADDRESSES_ALLOWED", False)  # as in production
    round_, clause, voter, facilitator = await _deliberating_round(committed)
    inbox = receiver()
    webhook, _ = await _register(committed, facilitator, round_, inbox.url.replace("127.0.0.1", "localhost"), [])
    async with unit_of_work(committed) as session:
        await deliberation.cast_vote(session, voter, clause.id, "agree")
    await relay_once(runtime, queue)
    for delivery in await _deliveries(committed, webhook.id):
        assert await deliver_webhook({"runtime": runtime}, str(delivery.id)) == "failed"
    assert inbox.requests == []
    (failed, *_) = await _deliveries(committed, webhook.id)
    assert failed.last_error.startswith("refused: localhost is at a non-public address")


async def test_deliveries_go_to_the_address_that_was_checked(committed, runtime, queue, receiver):
    """The name is resolved once, checked, and the POST goes to that address with the name as its Host:
    a name that answers differently a moment later (DNS rebinding) cannot redirect a signed delivery."""
    round_, clause, voter, facilitator = await _deliberating_round(committed)
    inbox = receiver()
    by_name = inbox.url.replace("127.0.0.1", "localhost") + "/in"
    webhook, _ = await _register(committed, facilitator, round_, by_name, ["vote.cast"])
    async with unit_of_work(committed) as session:
        await deliberation.cast_vote(session, voter, clause.id, "agree")
    await relay_once(runtime, queue)
    (delivery,) = await _deliveries(committed, webhook.id)
    assert await deliver_webhook({"runtime": runtime}, str(delivery.id)) == "delivered"
    (path, headers, _), = inbox.requests
    assert path == "/in" and headers["Host"] == by_name.split("/")[2]

    pinned = await worker_webhooks._pin("https://93.184.216.34:8443/in?x=1", private_allowed=False)
    assert pinned.urls == ("https://93.184.216.34:8443/in?x=1",) and pinned.host == "93.184.216.34:8443"
    v6 = await worker_webhooks._pin("http://[2606:2800:220:1::1]/in", private_allowed=False)
    assert v6.urls == ("http://[2606:2800:220:1::1]/in",) and v6.sni is None
    assert (await worker_webhooks._pin("http://[::1]:80/in", private_allowed=False)).startswith("refused")
