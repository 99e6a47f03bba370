"""A standing channel on the web, JavaScript off: a person joins by invite and raises a need, the channel's
facilitator triages it (answer, tags, merge, bring into a round), the person sees what became of it, and nobody
else triages or reads a private answer, whatever they POST."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from server.auth.service import create_invites
from server.channels import service as channels
from server.database import unit_of_work
from server.needs.models import Need
from server.people.models import Participant
from tests.channels import make_channel, make_organisation
from tests.factories import make_need, make_round
from tests.web.conftest import csrf_of, join_with_code
from tests.web.facilitation import sign_in_as, token_of

NEED = {"title": "ท่าเรือหมู่บ้านพัง", "body": "เรือเข้าไม่ได้ตอนน้ำลง", "area_code": "910101",
        "sector": "land_housing", "severity": "4"}


def another(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """A second browser on the same app: its own cookies."""
    return httpx.AsyncClient(transport=client._transport, base_url=client.base_url)


async def _channel_and_facilitator(client, committed):
    me = await sign_in_as(client, committed)
    async with unit_of_work(committed) as session:
        organisation = await make_organisation(session)
        person = await session.get_one(Participant, me.id)
        person.organisation_id = organisation.id
        await session.flush()
        channel = await make_channel(session, person)
        [(_, code)] = await create_invites(session, person, channel.id, group_key=channels.HEARD[0], max_uses=5)
    return channel, me, code


async def _only_need(committed, channel) -> Need:
    async with unit_of_work(committed) as session:
        return (await session.scalars(select(Need).where(Need.round_id == channel.id, Need.origin_id.is_(None))
                                      .order_by(Need.id))).first()


async def test_raise_by_invite_answer_and_the_person_sees_it_but_not_a_neighbour(client, committed):
    channel, _me, code = await _channel_and_facilitator(client, committed)
    async with another(client) as person, another(client) as neighbour:
        await join_with_code(person, code)
        form = await person.get(f"/rounds/{channel.slug}/needs/new")
        sent = await person.post(f"/rounds/{channel.slug}/needs", data={**NEED, "csrf_token": csrf_of(form)})
        assert sent.status_code == 303
        need = await _only_need(committed, channel)
        home = await person.get(f"/rounds/{channel.slug}")
        assert "/drafts" not in home.text and "/outcome" not in home.text  # a channel has neither
        mine = await person.get(f"/rounds/{channel.slug}/mine")
        assert "ท่าเรือหมู่บ้านพัง" in mine.text and "ได้รับเรื่องแล้ว" in mine.text

        page = await client.get(f"/facilitate/{channel.slug}/triage")
        assert page.status_code == 200 and "ท่าเรือหมู่บ้านพัง" in page.text
        token = csrf_of(page)
        empty = await client.post(f"/facilitate/{channel.slug}/triage/{need.id}/answer",
                                  data={"answer": " ", "csrf_token": token})
        assert empty.status_code == 422 and f'id="need-{need.id}-error"' in empty.text
        answered = await client.post(f"/facilitate/{channel.slug}/triage/{need.id}/answer",
                                     data={"answer": "ช่างจะไปซ่อมวันจันทร์", "csrf_token": token})
        assert answered.status_code == 303 and answered.headers["location"].endswith(f"#need-{need.id}")
        assert "ช่างจะไปซ่อมวันจันทร์" in (await person.get(f"/rounds/{channel.slug}/mine")).text

        await join_with_code(neighbour, code)
        listed = await neighbour.get(f"/rounds/{channel.slug}/needs")
        assert "ท่าเรือหมู่บ้านพัง" in listed.text and "ช่างจะไปซ่อมวันจันทร์" not in listed.text
        assert "ช่างจะไปซ่อมวันจันทร์" not in (await neighbour.get(f"/rounds/{channel.slug}/mine")).text
        await client.post(f"/facilitate/{channel.slug}/triage/{need.id}/answer",
                          data={"answer": "ซ่อมเสร็จแล้ว", "public": "yes", "csrf_token": token})
        assert "ซ่อมเสร็จแล้ว" in (await neighbour.get(f"/rounds/{channel.slug}/needs")).text


async def test_bring_into_a_round_tag_and_merge_and_the_person_is_told(client, committed):
    channel, me, code = await _channel_and_facilitator(client, committed)
    async with unit_of_work(committed) as session:
        round_ = await make_round(session, await session.get_one(Participant, me.id),
                                  title={"th": "รอบท่าเรือ", "en": "Piers round"})
        kept = await make_need(session, channel, await session.get_one(Participant, channel.created_by_id),
                               title="ท่าเรือชำรุด")
    async with another(client) as person:
        await join_with_code(person, code)
        form = await person.get(f"/rounds/{channel.slug}/needs/new")
        await person.post(f"/rounds/{channel.slug}/needs", data={**NEED, "csrf_token": csrf_of(form)})
        async with unit_of_work(committed) as session:
            need = await session.scalar(select(Need).where(Need.round_id == channel.id, Need.id != kept.id))
        token = await token_of(client, f"/facilitate/{channel.slug}/triage")
        base = f"/facilitate/{channel.slug}/triage/{need.id}"
        assert (await client.post(f"{base}/tags", data={"tags": "ท่าเรือ, ด่วน", "csrf_token": token})).status_code == 303
        tagged = await client.get(f"/facilitate/{channel.slug}/triage?tag=ด่วน")
        assert "ท่าเรือหมู่บ้านพัง" in tagged.text and "ท่าเรือชำรุด" not in tagged.text
        for tool in ("/drafts", "/proposal", "/live", "/commitments"):  # a channel never drafts or publishes
            assert f'href="/facilitate/{channel.slug}{tool}"' not in tagged.text
        assert f'href="/facilitate/{channel.slug}/proxy"' in tagged.text
        brought = await client.post(f"{base}/bring", data={"round": str(round_.id), "csrf_token": token})
        assert brought.status_code == 303
        again = await client.post(f"{base}/bring", data={"round": str(round_.id), "csrf_token": token})
        assert again.status_code == 422 and "รอบท่าเรือ" in again.text
        async with unit_of_work(committed) as session:
            copy = await session.scalar(select(Need).where(Need.origin_id == need.id))
        assert copy is not None and copy.round_id == round_.id and copy.author_id is None
        assert "รอบท่าเรือ" in (await person.get(f"/rounds/{channel.slug}/mine")).text

        merged = await client.post(f"{base}/merge", data={"into": str(kept.id), "csrf_token": token})
        assert merged.status_code == 303
        mine = await person.get(f"/rounds/{channel.slug}/mine")
        assert "รวมกับเรื่องอื่นที่เป็นเรื่องเดียวกัน" in mine.text and "ท่าเรือชำรุด" in mine.text
        listed = await person.get(f"/rounds/{channel.slug}/needs")
        assert "ท่าเรือชำรุด" in listed.text and "ท่าเรือหมู่บ้านพัง" not in listed.text


async def test_nobody_but_the_channels_facilitators_triages_by_a_direct_post(client, committed):
    channel, _me, code = await _channel_and_facilitator(client, committed)
    async with unit_of_work(committed) as session:
        kept = await make_need(session, channel, await session.get_one(Participant, channel.created_by_id))
    async with another(client) as person, another(client) as stranger:
        await join_with_code(person, code)
        form = await person.get(f"/rounds/{channel.slug}/needs/new")
        await person.post(f"/rounds/{channel.slug}/needs", data={**NEED, "csrf_token": csrf_of(form)})
        async with unit_of_work(committed) as session:
            need = await session.scalar(select(Need).where(Need.round_id == channel.id, Need.id != kept.id))
        # another organisation's facilitator, with a channel of their own
        await _channel_and_facilitator(stranger, committed)
        for browser in (person, stranger):
            assert (await browser.get(f"/facilitate/{channel.slug}/triage")).status_code == 403
            token = csrf_of(await browser.get(f"/rounds/{channel.slug}/mine" if browser is person else "/facilitate"))
            for action, data in (("answer", {"answer": "ไม่"}), ("tags", {"tags": "x"}),
                                 ("merge", {"into": str(kept.id)})):
                refused = await browser.post(f"/facilitate/{channel.slug}/triage/{need.id}/{action}",
                                             data={**data, "csrf_token": token})
                assert refused.status_code == 403, (action, refused.status_code)
    async with unit_of_work(committed) as session:
        after = await session.get_one(Need, need.id)
        assert (after.status, after.tags) == ("open", [])


async def test_a_facilitator_opens_a_channel_for_their_organisation(client, committed):
    me = await sign_in_as(client, committed)
    async with unit_of_work(committed) as session:
        organisation = await make_organisation(session)
        (await session.get_one(Participant, me.id)).organisation_id = organisation.id
    form = await client.get("/facilitate/new-channel")
    assert form.status_code == 200 and str(organisation.id) in form.text
    token = csrf_of(form)
    bad = await client.post("/facilitate/new-channel", data={"organisation": str(organisation.id), "slug": "X",
                                                              "title_th": "ช่องทางทดลอง", "csrf_token": token})
    assert bad.status_code == 422 and 'value="ช่องทางทดลอง"' in bad.text
    made = await client.post("/facilitate/new-channel", data={"organisation": str(organisation.id),
                                                               "slug": "marine-channel", "title_th": "ช่องทางทดลอง",
                                                               "area_codes": "91", "csrf_token": token})
    assert made.status_code == 303 and made.headers["location"] == "/facilitate/marine-channel/triage"
    listed = await client.get("/facilitate")
    assert "/facilitate/marine-channel/triage" in listed.text
