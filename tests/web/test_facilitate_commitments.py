"""The facilitator's commitments page: clauses of the published proposal, recording a commitment,
posting updates with their history, and the members' checks, with and without htmx."""

from datetime import date

from sqlalchemy import select

from server.commitments.models import Commitment, CommitmentUpdate
from server.commitments.service import check_commitment
from server.database import unit_of_work
from server.deliberation.service import cast_vote
from server.rounds.service import move_phase
from tests.factories import make_clause, make_commitment, make_member, make_need, publish_round
from tests.web.conftest import join_round
from tests.web.facilitation import htmx, my_round, token_of

CLAUSE = "รัฐจะออกโฉนดชุมชนภายในหนึ่งปี"


async def _deliberated(client, committed, *, publish: bool = True):
    round_, me = await my_round(client, committed)
    async with unit_of_work(committed) as session:
        villager = await make_member(session, round_)
        need = await make_need(session, round_, villager, title="ไม่มีโฉนดที่ดิน")
        clause = await make_clause(session, round_, text=CLAUSE, answers=[need.id])
        await move_phase(session, me, round_.id, "deliberation")
        await cast_vote(session, villager, clause.id, "agree")
        if publish:
            await publish_round(session, round_)
    return round_, clause, villager


async def test_nothing_to_record_before_publishing(client, committed):
    round_, _clause, _ = await _deliberated(client, committed, publish=False)
    page = await client.get(f"/facilitate/{round_.slug}/commitments")
    assert page.status_code == 200 and f'href="/facilitate/{round_.slug}/proposal"' in page.text
    assert "/commitments\" hx-post" not in page.text and 'aria-current="page"' in page.text
    fragment = await client.get(f"/facilitate/{round_.slug}/commitments", headers=htmx())
    assert fragment.status_code == 200 and "/proposal" in fragment.text
    overview = await client.get(f"/facilitate/{round_.slug}")
    assert f'href="/facilitate/{round_.slug}/commitments"' in overview.text  # linked from the round's page


async def test_record_and_update_without_javascript(client, committed):
    client.cookies.set("lang", "en")
    round_, clause, villager = await _deliberated(client, committed)
    page = await client.get(f"/facilitate/{round_.slug}/commitments")
    assert page.status_code == 200 and CLAUSE in page.text and "ไม่มีโฉนดที่ดิน" in page.text
    token = await token_of(client, f"/facilitate/{round_.slug}/commitments")
    refused = await client.post(f"/facilitate/{round_.slug}/commitments", data={
        "csrf_token": token, "clause_id": str(clause.id), "agency": "", "owner": "ที่ดินจังหวัดสตูล",
        "status": "rejected", "due_date": "2027-03-31", "evidence_url": "ftp://files"})
    assert refused.status_code == 422
    key = f"new-{clause.id}"
    for name in ("agency", "note", "evidence_url"):
        assert f'id="{name}-{key}-error"' in refused.text and f'aria-describedby="{name}-{key}-error"' in refused.text
    assert 'value="ที่ดินจังหวัดสตูล"' in refused.text and 'value="2027-03-31"' in refused.text  # kept
    assert '<details open><summary>' in refused.text

    made = await client.post(f"/facilitate/{round_.slug}/commitments", data={
        "csrf_token": token, "clause_id": str(clause.id), "agency": "Department of Lands",
        "owner": "Satun land office", "status": "accepted", "due_date": "2027-03-31", "note": "Agreed at the meeting"})
    assert made.status_code == 303 and made.headers["location"].endswith(f"?done=saved#clause-{clause.id}")
    async with unit_of_work(committed) as session:
        commitment = await session.scalar(select(Commitment).where(Commitment.clause_id == clause.id))
        await check_commitment(session, villager, commitment.id, answer="partly", comment="Only half surveyed")
    page = await client.get(made.headers["location"])
    assert "Department of Lands" in page.text and "🤝</span> Accepted" in page.text and "31 Mar 2027" in page.text
    assert "Only half surveyed" in page.text and "Partly delivered 1" in page.text  # counts, comments without names
    assert 'role="status"' in page.text

    updated = await client.post(f"/facilitate/{round_.slug}/commitments/{commitment.id}", data={
        "csrf_token": token, "status": "in_progress", "due_date": "2027-06-30", "note": "Survey started",
        "evidence_url": "https://example.org/survey.jpg"})
    assert updated.status_code == 303
    page = (await client.get(updated.headers["location"])).text
    history = page.split("<ol class=\"plain\">")[1].split("</ol>")[0]
    assert history.count("<li>") == 2 and "Accepted → In progress" in history and "Survey started" in history
    assert 'href="https://example.org/survey.jpg"' in history and "30 Jun 2027" in history
    wrong = await client.post(f"/facilitate/{round_.slug}/commitments/{commitment.id}", data={
        "csrf_token": token, "status": "pending", "note": ""})
    assert wrong.status_code == 422 and f'id="status-{commitment.id}-error"' in wrong.text
    async with unit_of_work(committed) as session:
        steps = (await session.scalars(select(CommitmentUpdate.status).where(
            CommitmentUpdate.commitment_id == commitment.id).order_by(CommitmentUpdate.id))).all()
    assert steps == ["accepted", "in_progress"]


async def test_htmx_swaps_the_clause_with_its_errors_or_its_new_state(client, committed):
    round_, clause, _ = await _deliberated(client, committed)
    token = await token_of(client, f"/facilitate/{round_.slug}/commitments")
    fragment = await client.get(f"/facilitate/{round_.slug}/commitments", headers=htmx())
    assert "<html" not in fragment.text and 'id="board"' in fragment.text
    refused = await client.post(f"/facilitate/{round_.slug}/commitments", headers=htmx(token), data={
        "clause_id": str(clause.id), "agency": "กรมที่ดิน", "owner": "", "due_date": "31/03/2570"})
    assert refused.status_code == 200 and "<html" not in refused.text
    assert refused.text.lstrip().startswith("<article") and f'id="due_date-new-{clause.id}-error"' in refused.text
    made = await client.post(f"/facilitate/{round_.slug}/commitments", headers=htmx(token), data={
        "clause_id": str(clause.id), "agency": "กรมที่ดิน", "owner": "สำนักงานที่ดินจังหวัดสตูล",
        "due_date": "2027-03-31"})
    assert made.status_code == 200 and "<html" not in made.text and 'role="status"' in made.text
    assert "กรมที่ดิน" in made.text and "31 มี.ค. 2570" in made.text  # Buddhist era in Thai
    async with unit_of_work(committed) as session:
        commitment = await session.scalar(select(Commitment).where(Commitment.clause_id == clause.id))
    updated = await client.post(f"/facilitate/{round_.slug}/commitments/{commitment.id}", headers=htmx(token),
                                data={"status": "rejected", "note": "ไม่มีงบประมาณ"})
    assert updated.status_code == 200 and "<html" not in updated.text and "ไม่มีงบประมาณ" in updated.text
    async with unit_of_work(committed) as session:
        stored = await session.get(Commitment, commitment.id)
    assert (stored.status, stored.reason, stored.due_date) == ("rejected", "ไม่มีงบประมาณ", date(2027, 3, 31))


async def test_only_the_rounds_facilitators_and_only_with_the_form_token(client, committed):
    round_, clause, _ = await _deliberated(client, committed)
    async with unit_of_work(committed) as session:
        commitment = await make_commitment(session, clause)
    forged = await client.post(f"/facilitate/{round_.slug}/commitments", data={
        "clause_id": str(clause.id), "agency": "กรมที่ดิน", "owner": "ที่ดินจังหวัด"})
    assert forged.status_code == 403
    _, joined_clause, _ = await join_round(client, committed)  # now a participant, not a facilitator
    assert (await client.get(f"/facilitate/{round_.slug}/commitments")).status_code == 403
    token = await token_of(client, f"/drafts/{joined_clause.draft_id}")
    refused = await client.post(f"/facilitate/{round_.slug}/commitments/{commitment.id}",
                                data={"csrf_token": token, "status": "done"})
    assert refused.status_code == 403
    client.cookies.clear()
    signed_out = await client.get(f"/facilitate/{round_.slug}/commitments")
    assert signed_out.status_code == 303 and "/facilitate/sign-in" in signed_out.headers["location"]
