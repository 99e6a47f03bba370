"""The public outcome of a round: its published proposal, readable without joining, with small groups read
as "fewer than 3", and its CSV, JSON and PDF downloads; a version nobody published stays out of all of it."""

import csv
import io

from pypdf import PdfReader

from server.consolidation.service import consolidate
from server.database import unit_of_work
from server.deliberation.service import cast_vote, post_comment
from server.people.models import Participant
from server.rounds.service import move_phase
from tests.factories import make_clause, make_member, make_need, make_round, publish_round
from tests.web.facilitation import my_round

CLAUSE = "รัฐจะออกโฉนดชุมชนภายในหนึ่งปี"
LATER = "รัฐจะสร้างท่าเรือประมงพื้นบ้านทุกตำบล"  # added after publishing: only in an unpublished version
NAMES = ("สมหญิง ทะเลงาม", "บุญมี หาดทราย", "ประเสริฐ คลื่นลม", "ปลัดสมศักดิ์ ราชการดี")


async def _published_round(committed):
    """Three villagers and one official (a group of fewer than 3) voted on a clause; version 1 published,
    then a clause added and version 2 computed but never published."""
    async with unit_of_work(committed) as session:
        round_ = await make_round(session, title={"th": "รอบโฉนดชุมชน", "en": "Community title round"})
        villagers = [await make_member(session, round_, display_name=name) for name in NAMES[:3]]
        official = await make_member(session, round_, group_key="government", display_name=NAMES[3])
        need = await make_need(session, round_, villagers[0], title="น้ำกัดเซาะชายฝั่ง")
        await make_need(session, round_, villagers[1], title="ไม่มีบัตรประชาชน")
        clause = await make_clause(session, round_, text=CLAUSE, answers=[need.id])
        facilitator = await session.get(Participant, round_.created_by_id)
        await move_phase(session, facilitator, round_.id, "deliberation")
        for person, choice in zip([*villagers, official], ["agree", "agree", "disagree", "agree"], strict=True):
            await cast_vote(session, person, clause.id, choice)
        await post_comment(session, villagers[0], clause_id=clause.id, stance="support", body="เห็นด้วยอย่างยิ่ง")
        await publish_round(session, round_)
        await make_clause(session, round_, text=LATER)
        assert (await consolidate(session, round_.id)).version == 2
    return round_


async def test_the_outcome_is_read_signed_out_with_small_groups_as_fewer_than_three(client, committed):
    round_ = await _published_round(committed)
    client.cookies.set("lang", "en")
    page = await client.get(f"/rounds/{round_.slug}/outcome")
    assert page.status_code == 200
    text = page.text
    assert CLAUSE in text and "Version 1" in text and "Still to be heard" in text
    assert "agree 2 · disagree 1 · pass 0" in text  # the villagers: three people, shown
    assert "Government" in text and "fewer than 3" in text
    assert "agree 1 · disagree 0" not in text  # the one official's vote is not told
    assert "น้ำกัดเซาะชายฝั่ง" in text and "ไม่มีบัตรประชาชน" in text  # a need answered, one still not
    assert "<details>" in text  # the figures on demand, under plain words first
    for kind in ("pdf", "csv", "json"):
        assert f'href="/rounds/{round_.slug}/outcome/1.{kind}"' in text
    assert LATER not in text and "Version 2" not in text  # the working copy never leaks
    assert not any(name in text for name in NAMES)


async def test_the_outcome_is_linked_from_the_root_page_and_the_round(client, committed):
    round_ = await _published_round(committed)
    assert f'href="/rounds/{round_.slug}/outcome"' in (await client.get("/")).text
    assert f'href="/rounds/{round_.slug}/outcome"' in (await client.get(f"/rounds/{round_.slug}")).text


async def test_nothing_published_says_so_and_a_draft_version_is_nowhere(client, committed):
    round_, _me = await my_round(client, committed)  # signed in as its facilitator: still no working copy
    async with unit_of_work(committed) as session:
        await make_clause(session, round_, text=LATER)
        await consolidate(session, round_.id)
    client.cookies.set("lang", "en")
    page = await client.get(f"/rounds/{round_.slug}/outcome")
    assert page.status_code == 200 and "Nothing is published yet" in page.text and LATER not in page.text
    assert f'href="/rounds/{round_.slug}/outcome"' not in (await client.get("/")).text
    for kind in ("csv", "json", "pdf"):
        assert (await client.get(f"/rounds/{round_.slug}/outcome/1.{kind}")).status_code == 404


async def test_downloads_hold_the_published_version_and_no_names(client, committed):
    round_ = await _published_round(committed)
    client.cookies.set("lang", "en")
    exported = await client.get(f"/rounds/{round_.slug}/outcome/1.csv")
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    rows = {r["group"]: r for r in csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff")))}
    assert {r["version"] for r in rows.values()} == {"1"} and rows["villagers"]["clause_text"] == CLAUSE
    assert (rows["villagers"]["agree"], rows["villagers"]["seen"]) == ("2", "3")
    assert rows["government"]["agree"] == rows["government"]["group_participants"] == "fewer than 3"

    data = (await client.get(f"/rounds/{round_.slug}/outcome/1.json")).json()
    assert data["version"] == 1 and [c["clause_text"] for c in data["clauses"]] == [CLAUSE]
    support = {s["group"]: s for s in data["clauses"][0]["support"]}
    assert support["villagers"]["agree"] == 2 and support["villagers"]["shown"] is True
    assert support["government"]["agree"] is None and support["government"]["seen"] is None
    assert support["government"]["note"] == "fewer than 3"
    government = next(g for g in data["groups"] if g["group"] == "government")
    assert government["participants"] is None and data["input_counts"]["participants"] is None
    assert data["clauses"][0]["voices"]["for"] == ["เห็นด้วยอย่างยิ่ง"]

    pdf = await client.get(f"/rounds/{round_.slug}/outcome/1.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert CLAUSE in pdf_text and LATER not in pdf_text

    for body in (exported.text, str(data), pdf_text):
        assert not any(name in body for name in NAMES)
    for kind in ("csv", "json", "pdf"):  # the unpublished version 2 is not public, whoever guesses it
        assert (await client.get(f"/rounds/{round_.slug}/outcome/2.{kind}")).status_code == 404
    assert (await client.get(f"/rounds/{round_.slug}/outcome/99999999999.json")).status_code == 404
