"""The facilitators' proposal page shows its clauses a page at a time, with plain links between pages (no
JavaScript needed); the CSV export still holds every clause."""

import csv
import io
import re

from server.consolidation import report as report_module
from server.consolidation.service import consolidate
from server.database import unit_of_work
from server.deliberation.service import cast_vote
from server.rounds.service import move_phase
from tests.factories import make_clause, make_member
from tests.web.facilitation import my_round

CLAUSES = 5


async def test_clauses_come_a_page_at_a_time_and_the_exports_stay_whole(client, committed, monkeypatch):
    client.cookies.set("lang", "en")
    monkeypatch.setattr(report_module, "PAGE_SIZE", 2)
    round_, me = await my_round(client, committed)
    async with unit_of_work(committed) as session:
        voters = [await make_member(session, round_) for _ in range(3)]
        clauses = [await make_clause(session, round_, text=f"Clause text number {i}") for i in range(CLAUSES)]
        await move_phase(session, me, round_.id, "deliberation")
        for clause in clauses:
            for person in voters:
                await cast_vote(session, person, clause.id, "agree")
        await consolidate(session, round_.id)

    address = f"/facilitate/{round_.slug}/proposal"
    shown, page, pages = [], await client.get(address), 0
    while True:
        pages += 1
        assert page.status_code == 200
        shown += re.findall(r"Clause text number (\d)", page.text)
        following = re.search(r'<a class="button secondary" rel="next" href="([^"]+)"', page.text)
        if following is None:
            break
        page = await client.get(following.group(1).replace("&amp;", "&"))
    assert pages == 3 and shown == [str(i) for i in range(CLAUSES)]
    assert "Clauses 5–5 of 5" in page.text and 'rel="prev"' in page.text and "page=2" in page.text

    exported = await client.get(f"{address}/1.csv")
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert {cell for row in rows for cell in row if cell.startswith("Clause text number")} == {
        f"Clause text number {i}" for i in range(CLAUSES)}
