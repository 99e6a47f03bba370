"""The request id a phone's request was given is found again on the worker's lines about what it caused."""

from server.auth.service import create_invites
from server.database import unit_of_work
from server.people.models import Participant
from tests.factories import make_round
from tests.logs_capture import captured_lines
from tests.web.conftest import client, csrf_of, join_with_code  # noqa: F401 (the web app's client, a fixture)
from workers.relay import relay_once


async def test_the_relay_logs_a_requests_event_under_its_request_id(client, committed, runtime, queue):
    async with unit_of_work(committed) as session:
        round_ = await make_round(session, phase="needs")
        facilitator = await session.get(Participant, round_.created_by_id)
        [(_, code)] = await create_invites(session, facilitator, round_.id, group_key="villagers")
    await join_with_code(client, code)
    needs_form = await client.get(f"/rounds/{round_.slug}/needs/new")
    with captured_lines() as lines:
        sent = await client.post(f"/rounds/{round_.slug}/needs", headers={"X-Request-ID": "phone-42-need"}, data={
            "csrf_token": csrf_of(needs_form), "sector": "water", "title": "บ่อน้ำแห้ง", "area_code": "910106",
            "severity": "4", "people_affected": "30"})
        assert sent.status_code == 303 and sent.headers["x-request-id"] == "phone-42-need"
        while await relay_once(runtime, queue):
            pass
    traced = [line for line in lines() if line.get("request_id") == "phone-42-need"]
    assert {line["logger"] for line in traced} >= {"ruam.access", "workers.relay"}
    [relayed] = [line for line in traced if line["logger"] == "workers.relay"]
    assert relayed["event_type"] == "need.submitted" and relayed["round_id"] == str(round_.id)
    # the join's events carry the join's own request (an id made for it), not this one
    [joined_line] = [line for line in lines() if line.get("event_type") == "membership.joined"]
    assert joined_line["request_id"] not in (None, "phone-42-need")
