"""The consolidated proposal page, publishing a version, and its CSV and PDF exports."""

import csv
import io

from pypdf import PdfReader

from server.consolidation.compute import ALGORITHM_VERSION
from server.consolidation.pdf import Document
from server.database import unit_of_work
from server.deliberation.service import cast_vote, post_comment
from server.rounds.service import move_phase
from tests.factories import make_clause, make_member, make_need
from tests.web.conftest import csrf_of, join_round
from tests.web.facilitation import htmx, my_round, token_of

CLAUSE = "รัฐจะออกโฉนดชุมชนภายในหนึ่งปี"


async def _deliberated(client, committed):
    round_, me = await my_round(client, committed, title={"th": "รอบโฉนดชุมชน", "en": "Community title round"})
    async with unit_of_work(committed) as session:
        villagers = [await make_member(session, round_) for _ in range(3)]
        official = await make_member(session, round_, group_key="government")
        answered = await make_need(session, round_, villagers[0], title="น้ำกัดเซาะชายฝั่ง")
        await make_need(session, round_, villagers[1], title="ไม่มีบัตรประชาชน")
        clause = await make_clause(session, round_, text=CLAUSE, answers=[answered.id])
        await move_phase(session, me, round_.id, "deliberation")
        for person, choice in zip([*villagers, official], ["agree", "agree", "disagree", "agree"], strict=True):
            await cast_vote(session, person, clause.id, choice)
        await post_comment(session, villagers[0], clause_id=clause.id, stance="support", body="เห็นด้วยอย่างยิ่ง")
        await post_comment(session, villagers[2], clause_id=clause.id, stance="oppose", body="หนึ่งปีนานเกินไป")
    return round_, clause


async def test_consolidate_read_and_publish_without_javascript(client, committed):
    client.cookies.set("lang", "en")  # the figures' words are checked in English
    round_, _clause = await _deliberated(client, committed)
    empty = await client.get(f"/facilitate/{round_.slug}/proposal")
    assert empty.status_code == 200 and "/proposal/consolidate" in empty.text
    made = await client.post(f"/facilitate/{round_.slug}/proposal/consolidate", data={"csrf_token": csrf_of(empty)})
    assert made.status_code == 303 and "version=1" in made.headers["location"]
    page = (await client.get(made.headers["location"])).text
    assert CLAUSE in page and 'class="status-consensus"' in page
    assert "agree 2 · disagree 1 · pass 0" in page and "agree 1 · disagree 0 · pass 0" in page  # all numbers here
    assert '<rect class="agree" width="66.7"' in page and 'aria-hidden="true"' in page  # the bar, with words beside it
    assert "เห็นด้วยอย่างยิ่ง" in page and "หนึ่งปีนานเกินไป" in page
    assert "น้ำกัดเซาะชายฝั่ง" in page and "ไม่มีบัตรประชาชน" in page  # answered, and still unanswered
    assert "<code>" in page and f"<dd>{ALGORITHM_VERSION}</dd>" in page  # inputs hash and algorithm version
    fragment = await client.get(made.headers["location"], headers=htmx())
    assert "<html" not in fragment.text and 'id="proposal"' in fragment.text
    assert 'name="while_voting"' in page and "Voting is still open" in page  # said before, not after
    hasty = await client.post(f"/facilitate/{round_.slug}/proposal/publish",
                              data={"version": "1", "csrf_token": csrf_of(empty)})
    assert hasty.status_code == 409 and "Tick the box" in hasty.text
    assert "not published" in (await client.get(made.headers["location"])).text
    published = await client.post(f"/facilitate/{round_.slug}/proposal/publish",
                                  data={"version": "1", "while_voting": "yes", "csrf_token": csrf_of(empty)})
    assert published.status_code == 303
    page = (await client.get(published.headers["location"])).text
    assert 'role="status"' in page and "/proposal/publish" not in page


async def test_csv_and_pdf_are_public_outputs(client, committed):
    client.cookies.set("lang", "en")  # the figures' words are checked in English
    round_, _clause = await _deliberated(client, committed)
    token = await token_of(client, f"/facilitate/{round_.slug}/proposal")
    await client.post(f"/facilitate/{round_.slug}/proposal/consolidate", data={"csrf_token": token})

    exported = await client.get(f"/facilitate/{round_.slug}/proposal/1.csv")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    assert exported.text.startswith("\ufeff") and "attachment" in exported.headers["content-disposition"]
    rows = {r["group"]: r for r in csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff")))}
    # the one official's vote alone made it "consensus" (the page says so): in public a group of fewer
    # than 3 counts as not heard yet, or the status would tell how they voted
    assert rows["villagers"]["clause_text"] == CLAUSE and rows["villagers"]["status"] == "under_heard"
    assert (rows["villagers"]["agree"], rows["villagers"]["seen"], rows["villagers"]["support"]) == ("2", "3", "0.6")
    assert rows["government"]["agree"] == rows["government"]["group_participants"] == "fewer than 3"

    client.cookies.set("lang", "th")  # the Thai PDF: Thai shaping and fonts are what is at stake
    pdf = await client.get(f"/facilitate/{round_.slug}/proposal/1.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert CLAUSE in text and "รอบโฉนดชุมชน" in text and "ไม่มีบัตรประชาชน" in text
    assert "น้อยกว่า 3 คน" in text and "หนึ่งปีนานเกินไป" in text
    fonts = [f for page in reader.pages for f in page["/Resources"]["/Font"].values()]
    assert any("NotoSansThai" in str(f.get_object()["/BaseFont"]) for f in fonts)
    assert any("/FontFile2" in f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
               for f in fonts)  # embedded, not just named

    client.cookies.clear()  # an unpublished version is for facilitators; a published one for anyone
    assert (await client.get(f"/facilitate/{round_.slug}/proposal/1.csv")).status_code == 303
    assert (await client.get(f"/facilitate/{round_.slug}/proposal/9.pdf")).status_code == 404


async def test_published_exports_are_open_and_the_page_is_not(client, committed):
    joined, _clause, _ = await join_round(client, committed)
    assert (await client.get(f"/facilitate/{joined.slug}/proposal")).status_code == 403
    round_, _ = await _deliberated(client, committed)
    token = await token_of(client, f"/facilitate/{round_.slug}/proposal")
    await client.post(f"/facilitate/{round_.slug}/proposal/consolidate", data={"csrf_token": token})
    await client.post(f"/facilitate/{round_.slug}/proposal/publish",
                          data={"version": "1", "while_voting": "yes", "csrf_token": token})
    client.cookies.clear()
    assert (await client.get(f"/facilitate/{round_.slug}/proposal/1.csv")).status_code == 200
    assert (await client.get(f"/facilitate/{round_.slug}/proposal")).status_code == 303
    refused = await client.post(f"/facilitate/{round_.slug}/proposal/publish", data={"version": "1"})
    assert refused.status_code == 403


def test_long_thai_text_wraps_between_words_and_reads_back_as_written():
    long = ("รัฐจะออกโฉนดชุมชนให้ชาวเลอูรักลาโว้ยบนเกาะหลีเป๊ะภายในหนึ่งปี โดยให้ชุมชนมีส่วนร่วมในการสำรวจ"
            "แนวเขตที่ดินทำกินและที่อยู่อาศัยทุกขั้นตอน และจัดหาน้ำประปาให้ทุกหมู่บ้านก่อนหน้าแล้ง")
    doc = Document("th", "test")
    doc.add_page()
    doc.para(long, 14)
    text = PdfReader(io.BytesIO(doc.finish())).pages[0].extract_text()
    body = text.split("test ·")[0]
    assert body.count("\n") >= 2  # wrapped
    assert body.replace("\n", "").replace(" ", "") == long.replace(" ", "")  # nothing lost, nothing added
    assert all(not line.startswith(("\u0e31", "\u0e34", "\u0e48", "\u0e49", "\u0e33")) for line in body.splitlines())
