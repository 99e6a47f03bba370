"""A member sees the government's response on "My input" and the round's home, and checks delivery
with one tap: htmx swaps the commitment's card, without JavaScript the form posts and redirects."""

import re
from datetime import date

from sqlalchemy import select

from server.auth.service import create_invites
from server.commitments.models import CommitmentCheck
from server.commitments.service import update_commitment
from server.database import unit_of_work
from server.deliberation.service import cast_vote
from server.people.models import Participant
from server.rounds.models import Membership
from server.rounds.service import move_phase
from tests.factories import make_clause, make_commitment, make_need, make_round, publish_round
from tests.web.conftest import csrf_of, join_with_code
from tests.web.facilitation import htmx
from tests.web.test_page_weight import BUDGET, _compressed

CLAUSE = "รัฐจะออกโฉนดชุมชนภายในหนึ่งปี"


async def _answered(client, committed):
    """This client joins a round and raises a need; a clause answers it, is published and taken on."""
    async with unit_of_work(committed) as session:
        round_ = await make_round(session)
        facilitator = await session.get(Participant, round_.created_by_id)
        [(_, code)] = await create_invites(session, facilitator, round_.id, group_key="villagers")
    await join_with_code(client, code)
    async with unit_of_work(committed) as session:
        me = await session.scalar(select(Participant).join(Membership).where(
            Membership.round_id == round_.id, Membership.facilitates.is_(False)))
        need = await make_need(session, round_, me, title="ไม่มีโฉนดที่ดิน")
        clause = await make_clause(session, round_, text=CLAUSE, answers=[need.id])
        await move_phase(session, facilitator, round_.id, "deliberation")
        await cast_vote(session, me, clause.id, "agree")
        await publish_round(session, round_)
        commitment = await make_commitment(session, clause, agency="กรมที่ดิน", due_date=date(2027, 3, 31))
        await update_commitment(session, facilitator, commitment.id, status="in_progress",
                                note="รังวัดแล้วสองหมู่บ้าน", evidence_url="https://example.org/survey.jpg")
    return round_, commitment, me


async def _checks(committed, commitment_id):
    async with unit_of_work(committed) as session:
        return (await session.scalars(select(CommitmentCheck).where(
            CommitmentCheck.commitment_id == commitment_id))).all()


async def test_my_input_shows_the_response_and_takes_a_check_without_javascript(client, committed):
    round_, commitment, me = await _answered(client, committed)
    mine = await client.get(f"/rounds/{round_.slug}/mine")
    card = mine.text.split(f'id="commitment-{commitment.id}"')[1].split("</section>")[0]
    assert "🚧</span> กำลังดำเนินการ · กรมที่ดิน" in card  # the status in words beside its icon
    assert "31 มี.ค. 2570" in card and "รังวัดแล้วสองหมู่บ้าน" in card and 'href="https://example.org/survey.jpg"' in card
    assert card.count('name="answer"') == 3 and 'aria-pressed="true"' not in card

    sent = await client.post(f"/commitments/{commitment.id}/check", data={
        "csrf_token": csrf_of(mine), "back": "mine", "answer": "partly", "comment": "ได้บางหมู่บ้าน"})
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/rounds/{round_.slug}/mine?sent=check#commitment-{commitment.id}"
    [check] = await _checks(committed, commitment.id)
    assert (check.participant_id, check.answer, check.comment) == (me.id, "partly", "ได้บางหมู่บ้าน")
    after = await client.get(sent.headers["location"])
    card = after.text.split(f'id="commitment-{commitment.id}"')[1].split("</section>")[0]
    assert 'value="partly" class="chosen" aria-pressed="true"' in card and "ได้บางหมู่บ้าน</textarea>" in card

    refused = await client.post(f"/commitments/{commitment.id}/check", data={
        "csrf_token": csrf_of(mine), "back": "mine", "answer": "maybe"})
    assert refused.status_code == 422 and 'role="alert"' in refused.text and "<h1>" in refused.text
    forged = await client.post(f"/commitments/{commitment.id}/check", data={"answer": "delivered"})
    assert forged.status_code == 403


async def test_htmx_swaps_the_card_and_a_recheck_replaces_the_answer(client, committed):
    round_, commitment, _ = await _answered(client, committed)
    mine = await client.get(f"/rounds/{round_.slug}/mine")
    token = csrf_of(mine)
    for answer in ("not_delivered", "delivered"):
        swapped = await client.post(f"/commitments/{commitment.id}/check", headers=htmx(token),
                                    data={"back": "mine", "answer": answer})
        assert swapped.status_code == 200 and "<html" not in swapped.text
        assert swapped.text.lstrip().startswith(f'<section class="card commitment" id="commitment-{commitment.id}"')
        assert f'value="{answer}" class="chosen" aria-pressed="true"' in swapped.text and 'role="status"' in swapped.text
        assert "<h4" in swapped.text  # the heading level of "My input"
    assert [c.answer for c in await _checks(committed, commitment.id)] == ["delivered"]
    refused = await client.post(f"/commitments/{commitment.id}/check", headers=htmx(token),
                                data={"back": "mine", "answer": "delivered", "comment": "ก" * 1001})
    assert refused.status_code == 200 and 'role="alert"' in refused.text


async def test_the_round_home_lists_commitments_and_members_check_there_too(client, committed):
    round_, commitment, _ = await _answered(client, committed)
    home = await client.get(f"/rounds/{round_.slug}")
    assert f'id="commitment-{commitment.id}"' in home.text and "<h3" in home.text and 'name="answer"' in home.text
    sent = await client.post(f"/commitments/{commitment.id}/check", data={
        "csrf_token": csrf_of(home), "back": "round", "answer": "delivered"})
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/rounds/{round_.slug}?checked={commitment.id}#commitment-{commitment.id}"
    again = await client.get(sent.headers["location"])
    assert 'role="status"' in again.text and 'value="delivered" class="chosen"' in again.text
    refused = await client.post(f"/commitments/{commitment.id}/check", data={
        "csrf_token": csrf_of(home), "back": "round", "answer": ""})
    assert refused.status_code == 422 and 'role="alert"' in refused.text

    client.cookies.clear()  # readers who are not members see the response, and no form
    public = await client.get(f"/rounds/{round_.slug}")
    assert "กรมที่ดิน" in public.text and 'name="answer"' not in public.text
    signed_out = await client.post(f"/commitments/{commitment.id}/check", data={"answer": "delivered"})
    assert signed_out.status_code == 403  # no session, so no form token either


async def test_pages_with_commitments_fit_the_page_weight_budget(client, committed):
    round_, _commitment, _ = await _answered(client, committed)
    for path in (f"/rounds/{round_.slug}/mine", f"/rounds/{round_.slug}"):
        html, total = await _compressed(client, path)
        for asset in re.findall(r'(?:href|src)="(/static/[^"]+)"', html.text):
            total += (await _compressed(client, asset))[1]
        assert total <= BUDGET, path
