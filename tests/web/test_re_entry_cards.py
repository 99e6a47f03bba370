"""A participant's card brings them back on another phone; a new card ends the old one; only the person and
the facilitators of their rounds make them a new one."""

import httpx
from sqlalchemy import select

from schema import ids
from server.auth.models import ReEntryCard
from server.database import unit_of_work
from server.people.models import Participant
from server.rounds.models import Membership
from tests.factories import make_round
from tests.web.conftest import csrf_of, join_round
from tests.web.facilitation import sign_in_as, token_of
from tests.web.people import card_code


async def _fresh(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """Another phone: the same app, no cookies."""
    return httpx.AsyncClient(transport=client._transport, base_url="http://ruam.test")


async def _come_back(phone: httpx.AsyncClient, code: str) -> httpx.Response:
    form = await phone.get(f"/card/{code}")
    assert form.status_code == 200 and f'value="{code}"' in form.text  # the QR link fills it in, signs nobody in
    return await phone.post("/card", data={"code": code.lower(), "csrf_token": csrf_of(form)})


async def test_a_card_signs_in_on_a_fresh_phone_and_the_old_code_fails_after_a_new_card(client, committed):
    round_, _, _ = await join_round(client, committed)
    first = await card_code(client)
    assert len(first.replace("-", "")) == 10
    saved = await client.post("/me/card/saved", data={"next": "/", "csrf_token": await token_of(client, "/me/card")})
    assert saved.status_code == 303
    assert first not in (await client.get("/me/card")).text  # shown once: gone once kept

    async with await _fresh(client) as phone:
        back = await _come_back(phone, first)
        assert back.status_code == 303 and back.headers["location"] == "/"
        home = await phone.get("/")
        assert f'href="/rounds/{round_.slug}/mine"' in home.text  # the same person, with their round
        made = await phone.post("/me/card", data={"csrf_token": await token_of(phone, "/me/card")})
        assert made.status_code == 303
        second = await card_code(phone)
        assert second != first

    assert (await client.get("/me")).status_code == 303  # the new card ended the first phone's session too
    async with await _fresh(client) as other:
        refused = await _come_back(other, first)
        assert refused.status_code == 422 and 'id="code-error"' in refused.text
        assert (await other.get("/me")).status_code == 303
        assert (await _come_back(other, second)).status_code == 303
    async with unit_of_work(committed) as session:
        cards = (await session.scalars(select(ReEntryCard))).all()
    # only hashes are kept
    assert all(c.code_hash not in (first, second) and len(c.code_hash) == 64 for c in cards)


async def test_a_facilitator_of_another_round_cannot_make_someone_a_new_card(client, committed):
    _, _, _ = await join_round(client, committed)
    code = await card_code(client)
    async with unit_of_work(committed) as session:
        person = await session.scalar(select(Participant).join(Membership).where(Participant.display_name == "มาลี")
                                      .order_by(Participant.created_at.desc()))
    async with await _fresh(client) as outsider:
        me = await sign_in_as(outsider, committed)
        async with unit_of_work(committed) as session:
            theirs = await make_round(session, me)
        token = await token_of(outsider, f"/facilitate/{theirs.slug}")
        tried = await outsider.post(f"/facilitate/{theirs.slug}/people/{person.id}/card", data={"csrf_token": token})
        assert tried.status_code == 403
        graphql = await outsider.post("/graphql", json={
            "query": "mutation ($who: ID) { reissueCard(participantId: $who) { __typename ... on Error { message } } }",
            "variables": {"who": str(ids.global_id("Participant", person.id))}}, headers={"X-CSRF-Token": token})
        assert graphql.json()["data"]["reissueCard"]["__typename"] == "NotPermitted", graphql.text
    async with await _fresh(client) as phone:
        assert (await _come_back(phone, code)).status_code == 303  # the card still works


async def test_the_facilitator_of_their_round_makes_them_a_new_card_at_a_meeting(client, committed):
    round_, _, _ = await join_round(client, committed)
    old = await card_code(client)
    async with unit_of_work(committed) as session:
        person = await session.scalar(select(Participant).join(Membership).where(
            Membership.round_id == round_.id, Membership.facilitates.is_(False)))
        facilitator = await session.get(Participant, round_.created_by_id)
    async with await _fresh(client) as laptop:
        from server.auth.service import create_token

        async with unit_of_work(committed) as session:
            _, key = await create_token(session, None, facilitator.id, name="meeting", scopes=["facilitate"])
        form = await laptop.get("/facilitate/sign-in")
        await laptop.post("/facilitate/sign-in", data={"token": key, "next": "/facilitate", "csrf_token": csrf_of(form)})
        token = await token_of(laptop, f"/facilitate/{round_.slug}")
        sheet = await laptop.post(f"/facilitate/{round_.slug}/people/{person.id}/card", data={"csrf_token": token})
        assert sheet.status_code == 200 and "มาลี" in sheet.text and '<svg' in sheet.text
        assert old not in sheet.text
    assert (await client.get("/me")).status_code == 303  # their lost phone is signed out
    async with await _fresh(client) as phone:
        assert (await _come_back(phone, old)).status_code == 422
