"""A comment a facilitator hides is gone from every proposal that quoted it, published ones included.

Proposals store their representative comments (ids and words) when they are computed, and a
published version is never computed again: what is read must be checked against the comments'
moderation as it is now. Tried through /graphql as a member of another round, and through the
anonymous PDF and the facilitators' page of a published version.
"""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader

from schema import ids
from server.consolidation.details import result_of
from server.consolidation.service import consolidate, publish
from server.database import unit_of_work
from server.deliberation.service import cast_vote, moderate_comment, post_comment
from server.people.models import Participant
from server.rounds.service import move_phase
from tests.factories import make_clause, make_member, make_round
from tests.schema.conftest import api, token_for  # noqa: F401 (fixture)
from tests.web.conftest import client, committed  # noqa: F401 (fixture)
from tests.web.facilitation import my_round

KEPT, HIDDEN = "ชุมชนต้องร่วมสำรวจแนวเขต", "ที่อยู่บ้านเลขที่ 12 ของนายสมชาย"
VOICES = """query ($id: ID!) { round(id: $id) {
  publishedProposal { clauses { voices } } proposal(version: 1) { clauses { voices } } } }"""


async def _quoted_then_hidden(session, round_=None):
    """Two comments on a clause, both quoted by the published proposal; then one is hidden."""
    round_ = round_ or await make_round(session)
    facilitator = await session.get(Participant, round_.created_by_id)
    members = [await make_member(session, round_) for _ in range(3)]
    clause = await make_clause(session, round_)
    await move_phase(session, facilitator, round_.id, "deliberation")
    for member in members:
        await cast_vote(session, member, clause.id, "agree")
    await post_comment(session, members[0], clause_id=clause.id, stance="support", body=KEPT)
    hidden = await post_comment(session, members[1], clause_id=clause.id, stance="oppose", body=HIDDEN)
    proposal = await consolidate(session, round_.id)
    await publish(session, facilitator, round_.id, proposal.version, while_voting=True)
    assert HIDDEN in json.dumps(await result_of(session, proposal), ensure_ascii=False)  # quoted when computed
    await moderate_comment(session, facilitator, hidden.id, state="hidden", reason="ข้อมูลส่วนตัว")
    return round_, hidden


@pytest.mark.parametrize("reader", ["elsewhere", "facilitator"])
async def test_graphql_reads_no_hidden_voice(api, session, reader):
    round_, hidden = await _quoted_then_hidden(session)
    tokens = {"elsewhere": await token_for(session, await make_member(session, await make_round(session))),
              "facilitator": await token_for(session, await session.get(Participant, round_.created_by_id),
                                             "read", "facilitate")}
    data = await api.data(VOICES, {"id": ids.encode("Round", round_.id)}, token=tokens[reader])
    text = json.dumps(data, ensure_ascii=False)
    assert KEPT in text
    assert HIDDEN not in text and str(hidden.id) not in text, text


async def test_the_public_pdf_and_the_page_quote_no_hidden_voice(client, committed):
    round_, _me = await my_round(client, committed)
    async with unit_of_work(committed) as session:
        await _quoted_then_hidden(session, await session.get(type(round_), round_.id))
    page = (await client.get(f"/facilitate/{round_.slug}/proposal?version=1")).text
    assert KEPT in page and HIDDEN not in page
    client.cookies.clear()  # the anonymous PDF of the published version
    pdf = await client.get(f"/facilitate/{round_.slug}/proposal/1.pdf")
    assert pdf.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).replace("\n", "")
    assert KEPT in text and HIDDEN not in text and "12" not in text.split("Ruam")[0].split(KEPT)[1][:40]
