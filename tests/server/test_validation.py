"""Bad input gives one message per field, in Thai and in English, and changes nothing."""

import pytest
from sqlalchemy import func, select

from server.errors import ValidationError
from server.events.models import Event
from server.needs.models import Need
from tests.factories import make_member, make_need, make_round


async def test_a_need_with_every_field_wrong_reports_every_field(session):
    round_ = await make_round(session, phase="needs")
    author = await make_member(session, round_)
    with pytest.raises(ValidationError) as caught:
        await make_need(session, round_, author, title=" ", area_code="999999", sector="space",
                        hazards=["flood", "meteor"], severity=9, people_affected=0)
    english = caught.value.field_messages("en")
    assert english == {
        "title": "This field cannot be empty.",
        "hazards": "Unknown hazard: meteor.",
        "severity": "Enter a whole number from 1 to 5.",
        "people_affected": "Enter a whole number from 1 to 100000000.",
        "area_code": "999999 is not a Thai province, district or subdistrict code.",
        "sector": "space is not a known sector.",
    }
    thai = caught.value.field_messages("th")
    assert thai["area_code"] == "999999 ไม่ใช่รหัสจังหวัด อำเภอ หรือตำบลของไทย"
    assert await session.scalar(select(func.count()).select_from(Need).where(Need.round_id == round_.id)) == 0
    submitted = select(func.count()).select_from(Event).where(
        Event.round_id == round_.id, Event.type == "need.submitted")
    assert await session.scalar(submitted) == 0


async def test_a_need_may_name_a_province_district_or_subdistrict(session):
    round_ = await make_round(session, phase="needs")
    author = await make_member(session, round_)
    for code in ("91", "9101", "910101"):
        need = await make_need(session, round_, author, area_code=code)
        assert need.area_code == code


async def test_overlong_text_says_how_long_it_may_be(session):
    round_ = await make_round(session, phase="needs")
    author = await make_member(session, round_)
    with pytest.raises(ValidationError) as caught:
        await make_need(session, round_, author, title="น" * 250)
    assert caught.value.field_messages("en")["title"] == "Please keep this under 200 characters (it has 250)."
