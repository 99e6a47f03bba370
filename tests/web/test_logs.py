"""What an operator's log search finds, and what no one reading the logs may find."""

import uuid

from sqlalchemy import select

from server.auth.service import create_invites
from server.database import unit_of_work
from server.disclosure import Audience
from server.events.audiences import EVENT_AUDIENCES, disclose
from server.events.models import Event
from server.needs.models import Need
from server.operations.request_id import given_or_new
from server.people.models import Participant
from tests.factories import make_round
from tests.logs_capture import captured_lines, raw
from tests.web.conftest import csrf_of, join_with_code


async def test_each_line_is_json_and_carries_the_request_id_given(client):
    with captured_lines() as lines:
        answer = await client.get("/", headers={"X-Request-ID": "lb-7f3a.91:x_y"})
    assert answer.headers["x-request-id"] == "lb-7f3a.91:x_y"
    [access] = [line for line in lines() if line["logger"] == "ruam.access"]
    assert access["request_id"] == "lb-7f3a.91:x_y"
    assert (access["method"], access["route"], access["status"], access["level"]) == ("GET", "/", 200, "info")
    assert access["timestamp"].endswith("Z") and access["event"].startswith("GET / 200")


async def test_a_forged_or_oversized_request_id_is_replaced(client):
    for bad in ["x" * 300, "abc\nGET /admin 200", "abc def", "ab\"}{", ""]:
        assert given_or_new(bad.encode()) != bad
    long = await client.get("/", headers={"X-Request-ID": "a" * 300})
    assert long.headers["x-request-id"] != "a" * 300 and len(long.headers["x-request-id"]) == 32
    spaced = await client.get("/", headers={"X-Request-ID": "a b"})
    made = spaced.headers["x-request-id"]
    assert made != "a b" and given_or_new(made.encode()) == made
    # none given: one is made, different for each request
    assert (await client.get("/")).headers["x-request-id"] != made


async def test_no_code_token_cookie_name_or_need_text_reaches_the_logs(client, committed):
    async with unit_of_work(committed) as session:
        round_ = await make_round(session, phase="needs")
        facilitator = await session.get(Participant, round_.created_by_id)
        [(_, code)] = await create_invites(session, facilitator, round_.id, group_key="villagers")
    name, title, body = "ประยูรลับเฉพาะ", "ท่าเรือพังหลังพายุ", "เรือเจ็ดลำจอดไม่ได้เลย"
    token = "ruam_live_" + uuid.uuid4().hex
    with captured_lines() as lines:
        form = await client.get(f"/j/{code}")
        await client.get(f"/join?code={code}")
        joined = await client.post("/join", data={"code": code, "display_name": name, "locale": "th",
                                                  "csrf_token": csrf_of(form)})
        consent = await client.get(joined.headers["location"])
        await client.post("/consent", data={"next": "/", "data_processing": "yes",
                                            "csrf_token": csrf_of(consent)})
        cookie = client.cookies["ruam_session"]
        needs_form = await client.get(f"/rounds/{round_.slug}/needs/new")
        sent = await client.post(f"/rounds/{round_.slug}/needs", data={
            "csrf_token": csrf_of(needs_form), "sector": "land_housing", "title": title, "body": body,
            "area_code": "910106", "severity": "4", "people_affected": "7"})
        assert sent.status_code == 303
        for path in (f"/card/{code}", f"/staff/invite/{code}", f"/staff/link/{code}"):
            await client.get(path)
        await client.post("/graphql", json={"query": "{ __typename }"},
                          headers={"Authorization": f"Bearer {token}"})
    text = raw(lines())
    assert "/j/{code}" in text and "/staff/link/{code}" in text  # the lines were captured
    for secret in (code, code.lower(), token, cookie, name, title, body):
        assert secret not in text


async def test_an_event_keeps_its_request_id_from_every_audience(client, committed):
    async with unit_of_work(committed) as session:
        round_ = await make_round(session, phase="needs")
        facilitator = await session.get(Participant, round_.created_by_id)
        [(_, code)] = await create_invites(session, facilitator, round_.id, group_key="villagers")
    await join_with_code(client, code)
    needs_form = await client.get(f"/rounds/{round_.slug}/needs/new")
    await client.post(f"/rounds/{round_.slug}/needs", headers={"X-Request-ID": "need-req-1"}, data={
        "csrf_token": csrf_of(needs_form), "sector": "land_housing", "title": "น้ำท่วม", "area_code": "910106",
        "severity": "3", "people_affected": "5"})
    async with unit_of_work(committed) as session:
        need = await session.scalar(select(Need).where(Need.round_id == round_.id))
        event = await session.scalar(select(Event).where(Event.subject_id == need.id,
                                                         Event.type == "need.submitted"))
    assert event.payload["request_id"] == "need-req-1"
    for audience in (Audience(), Audience(member=True), Audience(facilitator=True), Audience(webhook=True),
                     Audience(member=True, person_id=event.actor_id)):
        assert "request_id" not in disclose(event, audience).payload
    for declared in EVENT_AUDIENCES.values():
        shown = [declared.reader, declared.facilitator, declared.webhook, declared.own]
        assert all("request_id" not in s.keys for s in shown if s is not None)
