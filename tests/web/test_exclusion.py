"""Exclusion data on the pages: a person's own form (JavaScript off: plain POSTs), My data and its copy, a
facilitator's proxy entry, and a round's summary as a member and as its facilitator reads it."""

import json
import re

from sqlalchemy import select

from server.database import unit_of_work
from server.exclusion import service as exclusion
from server.exclusion.service import Answers
from server.people.models import ConsentRecord, ExclusionRecord, Participant
from server.rounds.models import Membership
from tests.factories import make_member
from tests.web.conftest import csrf_of, join_round
from tests.web.facilitation import my_round, token_of


async def _me(committed, round_) -> Participant:
    async with unit_of_work(committed) as session:
        return await session.scalar(select(Participant).join(Membership).where(
            Membership.round_id == round_.id, Membership.facilitates.is_(False), Participant.display_name == "มาลี"))


ANSWERS = {"id_document": "pink_card", "welfare_card": "not", "disability_card": "eligible_not_held",
           "services_missed": ["health", "welfare"], "reasons": ["documents"], "area_code": "9101"}


async def test_without_agreeing_nothing_is_kept_and_every_answer_comes_back(client, committed):
    round_, _, _ = await join_round(client, committed)
    page = await client.get("/me/exclusion")
    assert page.status_code == 200 and 'value="9101"' in page.text and 'name="agree"' in page.text
    refused = await client.post("/me/exclusion", data={**ANSWERS, "csrf_token": csrf_of(page)})
    assert refused.status_code == 422
    assert "ยินยอม" in refused.text
    assert re.search(r'value="pink_card" checked', refused.text) and re.search(r'value="welfare" checked', refused.text)
    me = await _me(committed, round_)
    async with unit_of_work(committed) as session:
        assert await session.get(ExclusionRecord, me.id) is None

    saved = await client.post("/me/exclusion", data={**ANSWERS, "agree": "yes", "csrf_token": csrf_of(page)})
    assert saved.status_code == 303
    again = await client.get(saved.headers["location"])
    assert re.search(r'value="eligible_not_held" checked', again.text) and 'name="agree"' not in again.text
    async with unit_of_work(committed) as session:
        row = await session.get(ExclusionRecord, me.id)
        assert (row.id_document, row.services_missed, row.area_code) == ("pink_card", ["health", "welfare"], "9101")


async def test_my_data_shows_and_exports_it_and_taking_it_back_deletes_it(client, committed):
    await join_round(client, committed)
    page = await client.get("/me/exclusion")
    await client.post("/me/exclusion", data={**ANSWERS, "agree": "yes", "csrf_token": csrf_of(page)})
    mine = await client.get("/me")
    assert "บัตรสีชมพู" in mine.text and 'href="/me/exclusion"' in mine.text
    data = json.loads((await client.get("/me/data.json")).text)
    assert data["exclusion_data"]["id_document"] == "pink_card" and data["exclusion_data"]["area"]["en"]
    assert "exclusion_data" in [c["purpose"] for c in data["consents"]]
    assert "บัตรสีชมพู" in (await client.get("/me/data.html")).text

    deleted = await client.post("/me/exclusion/delete", data={"csrf_token": csrf_of(mine)})
    assert deleted.headers["location"] == "/me?done=exclusion"
    assert json.loads((await client.get("/me/data.json")).text)["exclusion_data"] is None


async def test_a_post_cannot_set_another_persons_answers(client, committed):
    """The form has no field for whose answers they are: a member's POST sets their own, nobody else's."""
    round_, _, _ = await join_round(client, committed)
    async with unit_of_work(committed) as session:
        neighbour = await make_member(session, round_, display_name="สมศรี")
        await exclusion.save(session, neighbour, neighbour.id, Answers(id_document="thai_id"), agree=True)
    page = await client.get("/me/exclusion")
    await client.post("/me/exclusion", data={**ANSWERS, "participant_id": str(neighbour.id),
                                             "participant": str(neighbour.id), "agree": "yes",
                                             "csrf_token": csrf_of(page)})
    async with unit_of_work(committed) as session:
        assert (await session.get(ExclusionRecord, neighbour.id)).id_document == "thai_id"
    assert "thai_id" not in (await client.get("/me/data.json")).text
    assert "สมศรี" not in (await client.get("/me/exclusion")).text


async def test_consent_offers_the_questions_after_it(client, committed):
    from server.auth.service import create_invites
    from tests.factories import make_round

    async with unit_of_work(committed) as session:
        round_ = await make_round(session)
        facilitator = await session.get(Participant, round_.created_by_id)
        [(_, code)] = await create_invites(session, facilitator, round_.id, group_key="villagers")
    form = await client.get(f"/j/{code}")
    joined = await client.post("/join", data={"code": code, "display_name": "มาลี", "locale": "th",
                                              "csrf_token": csrf_of(form)})
    consent = await client.get(joined.headers["location"])
    assert 'name="exclusion"' in consent.text
    sent = await client.post("/consent", data={"next": f"/rounds/{round_.slug}", "data_processing": "yes",
                                               "exclusion": "yes", "csrf_token": csrf_of(consent)})
    assert "%2Fme%2Fexclusion" in sent.headers["location"] or "/me/exclusion" in sent.headers["location"]


async def test_a_facilitator_enters_them_for_a_named_person_with_the_proxy_record(client, committed):
    round_, me = await my_round(client, committed)
    async with unit_of_work(committed) as session:
        member = await make_member(session, round_, display_name="ป้าแดง")
    token = await token_of(client, f"/facilitate/{round_.slug}/proxy")
    started = await client.post(f"/facilitate/{round_.slug}/proxy", data={
        "method": "meeting", "consent": "thumbprint", "who": "member", "participant": str(member.id),
        "csrf_token": token})
    proxy_id = re.search(r"proxy=([0-9a-f-]+)", started.headers["location"]).group(1)
    page = await client.get(f"/facilitate/{round_.slug}/proxy?proxy={proxy_id}&kind=exclusion")
    assert 'name="services_missed"' in page.text and 'value="9101"' in page.text
    refused = await client.post(f"/facilitate/{round_.slug}/proxy/{proxy_id}",
                                data={"kind": "exclusion", **ANSWERS, "csrf_token": token})
    assert refused.status_code == 422 and re.search(r'value="health" checked', refused.text)
    saved = await client.post(f"/facilitate/{round_.slug}/proxy/{proxy_id}",
                              data={"kind": "exclusion", **ANSWERS, "agree": "yes", "csrf_token": token})
    assert saved.status_code == 303
    async with unit_of_work(committed) as session:
        row = await session.get(ExclusionRecord, member.id)
        assert (str(row.proxy_id), row.recorded_by_id) == (proxy_id, me.id)
        consent = await session.scalar(select(ConsentRecord).where(ConsentRecord.participant_id == member.id,
                                                                   ConsentRecord.purpose == "exclusion_data"))
        assert (consent.method, str(consent.proxy_id)) == ("thumbprint", proxy_id)


async def test_the_round_page_hides_small_counts_from_readers_not_from_its_facilitator(client, committed):
    round_, _ = await my_round(client, committed)
    async with unit_of_work(committed) as session:
        for n, document in enumerate(["pink_card", "none", "thai_id", "pink_card"]):
            person = await make_member(session, round_)
            await exclusion.save(session, person, person.id, Answers(
                id_document=document, welfare_card="has" if n < 2 else "not", area_code="9101"), agree=True)
    staff_view = await client.get(f"/rounds/{round_.slug}/exclusion?level=district")
    assert staff_view.status_code == 200
    assert re.search(r"มีบัตรสวัสดิการแห่งรัฐ(<wbr>)?[^<]*</dt><dd>2</dd>", staff_view.text.replace("<wbr>", ""))

    client.cookies.clear()
    public = await client.get(f"/rounds/{round_.slug}/exclusion?level=district")
    text = public.text.replace("<wbr>", "")
    assert "มีบัตรสวัสดิการแห่งรัฐ</dt><dd>2</dd>" not in text
    assert "ไม่มีบัตรประชาชนไทย (บัตรสีชมพูหรือไม่มีบัตร)</dt><dd>3</dd>" in text


async def test_the_outcome_and_the_proposal_read_the_summary_when_shown(client, committed):
    """Answers given after publishing appear on the outcome: read at render time, not from the stored proposal."""
    from server.consolidation.models import ConsolidatedProposal
    from tests.factories import make_clause, publish_round

    round_, _ = await my_round(client, committed)
    async with unit_of_work(committed) as session:
        await make_clause(session, round_)
        await publish_round(session, round_)
        stored = (await session.scalar(select(ConsolidatedProposal.result).where(
            ConsolidatedProposal.round_id == round_.id)))
        for _ in range(3):
            person = await make_member(session, round_)
            await exclusion.save(session, person, person.id, Answers(id_document="none", area_code="9101"),
                                 agree=True)
        lone = await make_member(session, round_, "government")
        await exclusion.save(session, lone, lone.id, Answers(id_document="none", area_code="9101"), agree=True)
    proposal = (await client.get(f"/facilitate/{round_.slug}/proposal")).text.replace("<wbr>", "")
    assert 'id="exclusion"' in proposal and "ไม่มีบัตรประชาชนไทย (บัตรสีชมพูหรือไม่มีบัตร)</dt><dd>4</dd>" in proposal
    overview = (await client.get(f"/facilitate/{round_.slug}")).text
    assert 'id="exclusion"' in overview
    client.cookies.clear()
    outcome = (await client.get(f"/rounds/{round_.slug}/outcome")).text.replace("<wbr>", "")
    assert 'id="exclusion"' in outcome
    assert "ไม่มีบัตรประชาชนไทย (บัตรสีชมพูหรือไม่มีบัตร)</dt><dd>3</dd>" in outcome  # the villagers
    assert "<dd>4</dd>" not in outcome and "<dd>1</dd>" not in outcome  # the lone official, alone or summed
    async with unit_of_work(committed) as session:
        assert await session.scalar(select(ConsolidatedProposal.result).where(
            ConsolidatedProposal.round_id == round_.id)) == stored


async def test_the_risk_page_of_a_round_shows_who_is_left_out_beside_it(client, committed):
    round_, _ = await my_round(client, committed)
    async with unit_of_work(committed) as session:
        for _ in range(3):
            person = await make_member(session, round_)
            await exclusion.save(session, person, person.id, Answers(id_document="pink_card", area_code="9101"),
                                 agree=True)
    page = (await client.get(f"/rounds/{round_.slug}/risk?level=district")).text.replace("<wbr>", "")
    assert 'id="exclusion"' in page
    assert "ไม่มีบัตรประชาชนไทย (บัตรสีชมพูหรือไม่มีบัตร)</dt><dd>3</dd>" in page
    # across rounds nothing adds the rounds' counts up (web/views/risk.py says why): a link to each round's own
    everywhere = await client.get("/risk?level=district")
    assert everywhere.status_code == 200 and 'id="exclusion"' not in everywhere.text
    assert "<dd>3</dd>" not in everywhere.text
    assert f'href="/rounds/{round_.slug}/exclusion?level=district"' in everywhere.text
