"""Follow-through on the pages: the facilitators' list of promises to chase and its setting (JS off), the
late promise a member sees for their own need (and a member of another round does not), and the
after-action page and its PDF."""

import io
from datetime import date

from pypdf import PdfReader
from sqlalchemy import select

from server.auth.service import create_invites
from server.database import unit_of_work
from server.deliberation.service import cast_vote
from server.people.models import Participant
from server.rounds.models import Membership
from server.rounds.service import move_phase
from tests.factories import make_clause, make_commitment, make_member, make_need, make_round, publish_round
from tests.web.conftest import join_with_code
from tests.web.facilitation import my_round, sign_in_as, token_of

CLAUSE = "รัฐจะออกโฉนดชุมชนภายในหนึ่งปี"
LATE = "สัญญาที่ให้ไว้กับปัญหาของคุณล่าช้า"


async def _published(committed, round_, villager, *more_voters):
    async with unit_of_work(committed) as session:
        facilitator = await session.get(Participant, round_.created_by_id)
        need = await make_need(session, round_, villager, title="ไม่มีโฉนดที่ดิน")
        clause = await make_clause(session, round_, text=CLAUSE, answers=[need.id])
        await move_phase(session, facilitator, round_.id, "deliberation")
        for voter in (villager, *more_voters):
            await cast_vote(session, voter, clause.id, "agree")
        await publish_round(session, round_)
        late = await make_commitment(session, clause, agency="กรมที่ดิน", due_date=date(2021, 3, 31))
        on_time = await make_commitment(session, clause, agency="อบต.ปากน้ำ", due_date=date(2099, 3, 31))
    return clause, late, on_time


async def test_the_facilitator_lists_promises_to_chase_and_sets_the_days(client, committed):
    client.cookies.set("lang", "en")
    round_, _me = await my_round(client, committed)
    async with unit_of_work(committed) as session:
        villager = await make_member(session, round_)
    _clause, late, on_time = await _published(committed, round_, villager)
    page = await client.get(f"/facilitate/{round_.slug}/follow-up")
    assert page.status_code == 200 and 'aria-current="page"' in page.text
    assert f'id="late-{late.id}"' in page.text and f'id="late-{on_time.id}"' not in page.text
    assert "Late: the due date has passed" in page.text and "31 Mar 2021" in page.text
    assert f'href="/facilitate/{round_.slug}/commitments#commitment-{late.id}"' in page.text

    token = await token_of(client, f"/facilitate/{round_.slug}/follow-up")
    refused = await client.post(f"/facilitate/{round_.slug}/follow-up",
                                data={"csrf_token": token, "stale_after_days": "9999"})
    assert refused.status_code == 422 and 'value="9999"' in refused.text
    assert 'aria-describedby="stale_after_days-error"' in refused.text and "from 1 to 730" in refused.text
    saved = await client.post(f"/facilitate/{round_.slug}/follow-up",
                              data={"csrf_token": token, "stale_after_days": "30"})
    assert saved.status_code == 303 and saved.headers["location"].endswith("/follow-up?done=saved")
    assert 'value="30"' in (await client.get(saved.headers["location"])).text

    await sign_in_as(client, committed)  # a facilitator of other rounds reads nothing of this one
    assert (await client.get(f"/facilitate/{round_.slug}/follow-up")).status_code == 403
    assert (await client.get(f"/facilitate/{round_.slug}/after-action.pdf")).status_code == 403
    forged = await client.post(f"/facilitate/{round_.slug}/follow-up",
                               data={"csrf_token": await token_of(client, "/facilitate"), "stale_after_days": "1"})
    assert forged.status_code == 403


async def _joined(client, committed, round_):
    async with unit_of_work(committed) as session:
        facilitator = await session.get(Participant, round_.created_by_id)
        [(_, code)] = await create_invites(session, facilitator, round_.id, group_key="villagers")
    await join_with_code(client, code)
    async with unit_of_work(committed) as session:
        return await session.scalar(select(Participant).join(Membership).where(
            Membership.round_id == round_.id, Membership.facilitates.is_(False)))


async def test_a_member_sees_the_late_promise_for_their_need(client, committed):
    async with unit_of_work(committed) as session:
        round_ = await make_round(session)
    me = await _joined(client, committed, round_)
    _clause, late, _on_time = await _published(committed, round_, me)
    client.cookies.set("lang", "th")
    for path in (f"/rounds/{round_.slug}", f"/rounds/{round_.slug}/mine"):
        page = (await client.get(path)).text
        box = page.split('id="late"')[1].split("</section>")[0]
        assert LATE in box and "กรมที่ดิน" in box and "ไม่มีโฉนดที่ดิน" in box and "อบต.ปากน้ำ" not in box
        assert f'href="#commitment-{late.id}"' in box and f'id="commitment-{late.id}"' in page


async def test_a_member_of_another_round_is_not_told(client, committed):
    async with unit_of_work(committed) as session:
        round_ = await make_round(session)
        villager = await make_member(session, round_)
        other = await make_round(session)
    await _published(committed, round_, villager)
    await _joined(client, committed, other)  # signed in, but in another round
    client.cookies.set("lang", "th")
    for path in (f"/rounds/{round_.slug}", f"/rounds/{round_.slug}/mine", f"/rounds/{other.slug}"):
        page = await client.get(path)
        assert LATE not in page.text and 'id="late"' not in page.text
    client.cookies.clear()  # nor anyone signed out
    assert LATE not in (await client.get(f"/rounds/{round_.slug}")).text


async def test_after_action_page_and_pdf(client, committed):
    client.cookies.set("lang", "en")
    round_, _me = await my_round(client, committed, title={"th": "รอบโฉนดชุมชน", "en": "Community title deeds"})
    async with unit_of_work(committed) as session:
        villagers = [await make_member(session, round_) for _ in range(3)]
        officials = [await make_member(session, round_, "government") for _ in range(3)]
        facilitator = await session.get(Participant, round_.created_by_id)
        await create_invites(session, facilitator, round_.id, group_key="villagers", max_uses=5)
    # every group reaches its quorum and agrees: consensus, which three a group may show outside the round
    await _published(committed, round_, *villagers, *officials)
    page = await client.get(f"/facilitate/{round_.slug}/after-action")
    assert page.status_code == 200 and "After-action report" in page.text
    assert "1 of 1 needs are answered by an adopted clause (100%)." in page.text
    assert "Recorded: 2" in page.text and "Late: the due date has passed: 1" in page.text
    assert "Days from publication to the first commitment: 0" in page.text

    client.cookies.set("lang", "th")
    pdf = await client.get(f"/facilitate/{round_.slug}/after-action.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "รอบโฉนดชุมชน" in text and "สรุปผลหลังจบรอบ" in text
    assert "ปัญหา 1 จาก 1 เรื่อง" in text and "บันทึกไว้: 2" in text
    rows = {line.split(" ")[0]: line for line in text.splitlines()}
    # the PDF leaves the facilitators' hands: no invitation used, nobody commented and one need raised are
    # figures about fewer than 3 people; places invited, members and voters are shown
    few = "น้อยกว่า 3 คน"
    assert rows["Villagers"] == f"Villagers 5 {few} 3 3 {few} {few}"
    assert rows["Government"] == f"Government 0 {few} 3 3 {few} {few}"
