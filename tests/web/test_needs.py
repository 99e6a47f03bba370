"""Submitting a need from a phone, and seeing it on "My input"."""

from sqlalchemy import select

from server.database import unit_of_work
from server.needs.models import Need
from tests.web.conftest import csrf_of, join_round


async def test_submit_a_need_and_find_it_on_my_input(client, committed):
    round_, _, _ = await join_round(client, committed, phase="needs")
    form = await client.get(f"/rounds/{round_.slug}/needs/new")
    assert "เกาะสาหร่าย" in form.text  # Satun's subdistricts, from the reference data
    assert "🏠" in form.text and "🌊" in form.text
    sent = await client.post(f"/rounds/{round_.slug}/needs", data={
        "csrf_token": csrf_of(form), "sector": "land_housing", "title": "บ้านถูกคลื่นกัดเซาะ",
        "body": "บ้านริมทะเลสิบหลังเสียหาย", "area_code": "910106", "hazards": ["coastal", "storm"],
        "severity": "5", "people_affected": "48"})
    assert sent.status_code == 303 and sent.headers["location"].endswith("/mine?sent=need")
    async with unit_of_work(committed) as session:
        need = await session.scalar(select(Need).where(Need.round_id == round_.id))
    assert (need.area_code, need.hazards, need.severity, need.people_affected) == ("910106", ["coastal", "storm"], 5, 48)
    mine = await client.get(sent.headers["location"])
    assert "บ้านถูกคลื่นกัดเซาะ" in mine.text and "ยังไม่มีข้อเสนอใดตอบ" in mine.text


async def test_mistakes_come_back_inline_with_what_was_typed(client, committed):
    round_, _, _ = await join_round(client, committed, phase="needs")
    form = await client.get(f"/rounds/{round_.slug}/needs/new")
    sent = await client.post(f"/rounds/{round_.slug}/needs", data={
        "csrf_token": csrf_of(form), "sector": "land_housing", "title": "น้ำท่วมซ้ำทุกปี", "area_code": "",
        "severity": "3", "people_affected": "many"})
    assert sent.status_code == 422
    assert 'value="น้ำท่วมซ้ำทุกปี"' in sent.text and 'id="area_code" name="area_code" required aria-invalid="true"' in sent.text
    assert 'id="people_affected-error"' in sent.text


async def test_signed_out_readers_are_sent_to_join(client, committed):
    round_, _, _ = await join_round(client, committed, phase="needs")
    client.cookies.clear()
    assert (await client.get(f"/rounds/{round_.slug}/needs/new")).headers["location"] == "/join"
