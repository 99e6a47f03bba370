"""My data (Thai PDPA): a person reads and downloads what Ruam holds about them, and nothing of anyone else;
taking back consent deletes their sensitive data; leaving ends every session and every way back in."""

import json

import httpx
from sqlalchemy import select

from server.auth.models import ReEntryCard
from server.database import unit_of_work
from server.people import service as people
from server.people.models import Participant, SensitiveData
from server.rounds.models import Membership
from tests.factories import make_member
from tests.web.conftest import csrf_of, join_round
from tests.web.facilitation import token_of
from tests.web.people import card_code, vote


async def _me(committed, round_) -> Participant:
    async with unit_of_work(committed) as session:
        return await session.scalar(select(Participant).join(Membership).where(
            Membership.round_id == round_.id, Membership.facilitates.is_(False), Participant.display_name == "มาลี"))


async def test_my_data_holds_my_own_input_and_nothing_of_another_person(client, committed):
    round_, clause, _ = await join_round(client, committed)
    await vote(client, clause, "disagree")
    me = await _me(committed, round_)
    async with unit_of_work(committed) as session:
        await people.record_consent(session, me, me.id, purpose="sensitive_data", granted=True)
        await people.set_sensitive_data(session, me, me.id, ethnicity="อูรักลาโว้ย")
        neighbour = await make_member(session, round_, display_name="สมศรีเพื่อนบ้าน", contact="081-555-0000")
        await people.record_consent(session, neighbour, neighbour.id, purpose="sensitive_data", granted=True)
        await people.set_sensitive_data(session, neighbour, neighbour.id, ethnicity="มอแกน")
    page = await client.get(f"/drafts/{clause.draft_id}")
    await client.post(f"/clauses/{clause.id}/comments", data={"body": "ต้องถามชาวบ้านก่อน", "stance": "question",
                                                              "csrf_token": csrf_of(page)})

    download = await client.get("/me/data.json")
    assert download.status_code == 200 and "attachment" in download.headers["content-disposition"]
    data = json.loads(download.text)
    assert data["profile"]["display_name"] == "มาลี" and data["profile"]["id"] == str(me.id)
    assert data["sensitive_data"]["ethnicity"] == "อูรักลาโว้ย"
    assert [c["purpose"] for c in data["consents"]][:1] == ["data_processing"]
    [mine] = data["rounds"]
    assert mine["round"]["slug"] == round_.slug and mine["group"]["key"] == "villagers"
    assert [(v["clause"], v["choice"]) for v in mine["votes"]] == [(clause.text, "disagree")]
    assert [c["body"] for c in mine["comments"]] == ["ต้องถามชาวบ้านก่อน"]
    assert data["re_entry_card"] is not None and "code" not in json.dumps(data["re_entry_card"])
    for theirs in ("สมศรีเพื่อนบ้าน", "081-555-0000", "มอแกน", str(neighbour.id)):
        assert theirs not in download.text

    for path in ("/me", "/me/data.html"):
        shown = await client.get(path)
        assert shown.status_code == 200 and "อูรักลาโว้ย" in shown.text and clause.text in shown.text
        assert "สมศรีเพื่อนบ้าน" not in shown.text and "มอแกน" not in shown.text


async def test_my_data_is_nobodys_without_a_session(client, committed):
    await join_round(client, committed)
    async with httpx.AsyncClient(transport=client._transport, base_url="http://ruam.test") as stranger:
        for path in ("/me", "/me/data.json", "/me/data.html", "/me/card", "/me/withdraw"):
            answer = await stranger.get(path)
            assert answer.status_code == 303 and answer.headers["location"] == "/card", path


async def test_taking_back_consent_deletes_the_sensitive_data(client, committed):
    round_, _, _ = await join_round(client, committed)
    me = await _me(committed, round_)
    async with unit_of_work(committed) as session:
        await people.record_consent(session, me, me.id, purpose="sensitive_data", granted=True)
        await people.set_sensitive_data(session, me, me.id, disability="ตาบอด")
    done = await client.post("/me/sensitive", data={"csrf_token": await token_of(client, "/me")})
    assert done.status_code == 303 and done.headers["location"] == "/me?done=sensitive"
    async with unit_of_work(committed) as session:
        assert await session.get(SensitiveData, me.id) is None
        assert not await people.has_consent(session, me.id, "sensitive_data")
    assert "ตาบอด" not in (await client.get("/me")).text


async def test_leaving_ends_the_session_and_removes_the_sensitive_data(client, committed):
    round_, _, _ = await join_round(client, committed)
    code = await card_code(client)
    me = await _me(committed, round_)
    async with unit_of_work(committed) as session:
        await people.record_consent(session, me, me.id, purpose="sensitive_data", granted=True)
        await people.set_sensitive_data(session, me, me.id, health="เบาหวาน")
    cookie = client.cookies["ruam_session"]
    token = await token_of(client, "/me/withdraw")
    unsure = await client.post("/me/withdraw", data={"csrf_token": token})  # the box not ticked: nothing happens
    assert unsure.status_code == 422 and 'id="confirm-error"' in unsure.text
    left = await client.post("/me/withdraw", data={"confirm": "yes", "csrf_token": token})
    assert left.status_code == 303 and left.headers["location"] == "/me/withdrawn"
    assert (await client.get("/me/withdrawn")).status_code == 200
    assert (await client.get("/me")).status_code == 303
    async with httpx.AsyncClient(transport=client._transport, base_url="http://ruam.test",
                                 cookies={"ruam_session": cookie}) as copy:  # the old cookie, kept somewhere
        assert (await copy.get("/me")).status_code == 303
        form = await copy.get("/card")
        assert (await copy.post("/card", data={"code": code, "csrf_token": csrf_of(form)})).status_code == 422
    async with unit_of_work(committed) as session:
        person = await session.get(Participant, me.id)
        assert person.withdrawn_at is not None and person.display_name != "มาลี"
        assert await session.get(SensitiveData, me.id) is None
        assert (await session.scalars(select(ReEntryCard).where(ReEntryCard.participant_id == me.id))).all() == []
