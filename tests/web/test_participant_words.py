"""Words and pictures a participant reads: Thai wraps between words, each hazard and sector has its own
picture, the need form asks only what everyone knows, and the consent says plainly who keeps what."""

import csv
import re
from pathlib import Path

from sqlalchemy import select

from server.database import unit_of_work
from server.needs.models import Need
from server.text import words
from tests.web.conftest import csrf_of, join_round
from web.icons import HAZARDS, SECTORS
from web.templating import word_breaks

REFERENCE = Path(__file__).parents[2] / "server" / "reference" / "data"
VOTE_LABEL = re.compile(r'<button name="choice" value="\w+"[^>]*><span aria-hidden="true">[^<]*</span> (.*?)</button>')


def _codes(name: str) -> list[str]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as handle:
        return [row["code"] for row in csv.DictReader(handle)]


def test_each_hazard_and_sector_has_a_picture_of_its_own():
    assert set(_codes("hazards.csv")) <= set(HAZARDS) and set(_codes("sectors.csv")) <= set(SECTORS)
    pictures = list(HAZARDS.values()) + list(SECTORS.values())
    assert len(pictures) == len(set(pictures)), [p for p in pictures if pictures.count(p) > 1]
    assert HAZARDS["coastal"] != HAZARDS["tsunami"]


def test_thai_is_marked_to_wrap_between_words_only():
    assert word_breaks("วัฒนธรรม") == "วัฒนธรรม"  # one word: no place to wrap inside it
    assert word_breaks("ไม่เห็นด้วย") == "ไม่<wbr>เห็นด้วย"  # never ไม่เห็น|ด้วย
    assert word_breaks("ศิลปะและวัฒนธรรม") == "ศิลปะ<wbr>และ<wbr>วัฒนธรรม"
    assert word_breaks("<b>ไทย</b> & more") == "&lt;b&gt;ไทย&lt;/b&gt; &amp; more"  # escaped, nothing else added
    assert word_breaks("Agree") == "Agree"


async def test_no_thai_word_is_split_in_the_vote_labels_and_tiles(client, committed):
    round_, clause, _ = await join_round(client, committed, phase="needs")
    page = await client.get(f"/drafts/{clause.draft_id}")
    labels = VOTE_LABEL.findall(page.text)
    assert labels and {label.replace("<wbr>", "") for label in labels} == {"เห็นด้วย", "ไม่เห็นด้วย", "ข้าม"}
    for label in labels:
        whole = label.replace("<wbr>", "")
        assert label.split("<wbr>") == list(words(whole)), label  # every break is between two words
    assert "ไม่เห็น<wbr>ด้วย" not in page.text
    form = await client.get(f"/rounds/{round_.slug}/needs/new")
    assert "วัฒนธรรม" in form.text  # the culture tile's word stays whole


async def test_a_need_is_sent_without_a_head_count(client, committed):
    round_, _, _ = await join_round(client, committed, phase="needs")
    form = await client.get(f"/rounds/{round_.slug}/needs/new")
    assert re.search(r'<input id="people_affected"[^>]*>', form.text).group(0).find("required") == -1
    # what not everyone knows is folded under "more details", closed at first
    more = form.text.split("<details")[1]
    assert more.lstrip().startswith(">") and 'id="people_affected"' in more and 'name="hazards"' in more
    assert "JPEG" not in form.text and "รูปจากโทรศัพท์ของคุณ" in form.text
    assert "อาจใช้เวลาส่ง" in form.text  # said before a slow photo is sent
    sent = await client.post(f"/rounds/{round_.slug}/needs", data={
        "csrf_token": csrf_of(form), "sector": "water", "title": "ไม่มีน้ำสะอาด", "area_code": "910106",
        "severity": "3", "people_affected": ""})
    assert sent.status_code == 303
    async with unit_of_work(committed) as session:
        need = await session.scalar(select(Need).where(Need.round_id == round_.id))
    assert need.people_affected is None  # not said: unknown, not 0
    wrong = await client.post(f"/rounds/{round_.slug}/needs", data={
        "csrf_token": csrf_of(form), "sector": "water", "title": "น้ำเค็ม", "area_code": "910106",
        "severity": "3", "people_affected": "หลายคน"})
    assert wrong.status_code == 422 and 'value="หลายคน"' in wrong.text
    assert re.search(r"<details open>", wrong.text)  # the mistake is not hidden in a closed fold


async def test_the_consent_names_ruam_as_who_keeps_the_data(client, committed):
    await join_round(client, committed)
    page = await client.get("/consent")
    assert "ฉันยินยอมให้ Ruam เก็บและใช้ข้อมูลของฉัน" in page.text and "ยินยอมให้ร่วมเก็บ" not in page.text
    client.cookies.set("lang", "en")
    assert "I agree that Ruam keeps and uses my data" in (await client.get("/consent")).text
