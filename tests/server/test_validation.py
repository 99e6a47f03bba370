"""Bad input gives one message per field, in Thai and in English, and changes nothing."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from server import validation
from server.auth import service as auth
from server.errors import Invalid, NotFound, ValidationError
from server.events.models import Event
from server.i18n import translate
from server.ids import uuid7
from server.needs.models import Need
from server.people import service as people
from server.people.models import Participant
from server.rounds import service as rounds
from server.rounds.service import GroupSpec
from tests.factories import make_member, make_need, make_participant, make_round


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


# Control characters: NUL, which PostgreSQL refuses, and the others, which it would keep invisibly; DEL; and
# lone surrogates, which are not characters at all (JSON's "\ud800" decodes to one).
UNUSABLE = [chr(c) for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)] + ["\ud800", "\udfff"]


def _text_errors(value: str) -> dict[str, str]:
    invalid = Invalid()
    validation.text(invalid, "name", value, max_length=200)
    return {field: translate(message, "en", **params) for field, (message, params) in invalid.fields.items()}


@pytest.mark.parametrize("control", UNUSABLE, ids=[f"U+{ord(c):04X}" for c in UNUSABLE])
def test_text_with_a_control_character_is_refused_in_words(control):
    for value in (f"สม{control}ศรี", control, f"{control}Somsri", f"Somsri{control}"):
        assert _text_errors(value) == {"name": "This text holds an invisible control character that cannot be "
                                               "kept. Please type it again (or paste it as plain text)."}
    invalid = Invalid()
    validation.text(invalid, "name", f"a{control}b", max_length=200)
    message, params = invalid.fields["name"]
    assert "อักขระควบคุม" in translate(message, "th", **params)


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cc"]), min_size=1, max_size=50)
       .filter(str.strip), st.sampled_from(UNUSABLE), st.integers(min_value=0, max_value=50))
def test_any_text_is_refused_exactly_when_it_holds_a_control_character(words, control, at):
    assert _text_errors(words) == {}
    assert _text_errors(f"tab\there\nand a line\r\n{words}") == {}
    assert list(_text_errors(words[:at] + control + words[at:])) == ["name"]


async def test_a_name_with_nul_never_reaches_postgresql(session):
    round_ = await make_round(session, phase="needs")
    facilitator = await session.get(Participant, round_.created_by_id)
    admin = await make_participant(session, role="admin")
    for make in (
        lambda: make_participant(session, display_name="Som\x00sri"),
        lambda: people.create_community(session, facilitator, name_th="บ้าน\x00", name_en="Ban"),
        lambda: people.create_organisation(session, admin, name_th="กรม", name_en="Dept\x1b[31m", kind="government"),
    ):
        with pytest.raises(ValidationError) as caught:
            await make()
        assert "control character" in " ".join(caught.value.field_messages("en").values())
    (_, code), = await auth.create_invites(session, facilitator, round_.id, group_key="villagers")
    with pytest.raises(ValidationError) as caught:
        await auth.join_with_invite(session, code, display_name="\x00")
    assert list(caught.value.fields) == ["display_name"]


async def test_references_are_checked_before_postgresql_sees_them(session):
    round_ = await make_round(session, phase="needs")
    facilitator = await session.get(Participant, round_.created_by_id)
    author = await make_member(session, round_)
    with pytest.raises(ValidationError) as caught:
        await make_need(session, round_, author, area_code="91\x00", sector="land\x00", hazards=["flood\x00"],
                        language="th\x00", translations={"en\x00": {"title": "x"}, "en": {"colour": "red"}})
    assert set(caught.value.fields) == {"area_code", "sector", "hazards", "language", "translations"}
    assert caught.value.field_messages("en")["area_code"] == "91\ufffd is not a Thai province, district or subdistrict code."
    with pytest.raises(ValidationError) as caught:
        await people.create_community(session, facilitator, name_th="บ้าน", name_en="Ban", area_code="999999",
                                      languages=["th", "mfa\x00"])
    assert set(caught.value.fields) == {"area_code", "languages"}
    community = await people.create_community(session, facilitator, name_th="บ้าน", name_en="Ban", area_code=" ")
    assert community.area_code is None  # a form's empty choice
    with pytest.raises(ValidationError) as caught:
        await make_participant(session, community_id=uuid7(), organisation_id=uuid7())
    assert set(caught.value.fields) == {"community_id", "organisation_id"}
    for key in ("villagers\x00", "villagers\n"):
        with pytest.raises(ValidationError) as caught:
            await rounds.add_member(session, facilitator, round_.id, author.id, group_key=key)
        assert list(caught.value.fields) == ["group"]
        with pytest.raises(ValidationError):
            await auth.create_invites(session, facilitator, round_.id, group_key=key)
    for slug in ("round\x00", "no-such\n"):
        with pytest.raises(NotFound):
            await rounds.find_round(session, slug)


async def test_a_round_takes_only_what_it_can_keep(session):
    facilitator = await make_participant(session, role="facilitator")
    with pytest.raises(ValidationError) as caught:
        await make_round(session, facilitator, slug="satun-2026\n", title={"th": "สตูล", "en\x00": "Satun"},
                         description={"th": "รอบ\x00"},
                         groups=[GroupSpec("fishers\n", {"th": "ชาว\x00ประมง"}), GroupSpec("ok", {"en": "OK"},
                                                                                         community_id=uuid7())])
    assert set(caught.value.fields) == {"slug", "title", "description.th", "groups", "groups.th"}
