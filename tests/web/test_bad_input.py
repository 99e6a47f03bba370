"""What a person (or a tampered form) sends wrong gets a page that says what to fix, never a 500."""

from sqlalchemy import select

from server.database import unit_of_work
from server.deliberation.models import Comment
from server.i18n import translate
from server.needs.models import Need
from tests.web.conftest import csrf_of, join_round
from tests.web.facilitation import my_round, token_of

CONTROL_TH = "อักขระควบคุม"  # "control character", in the Thai message
CHOOSE_TH = translate("Choose one of the options.", "th")  # an id that is not one


async def test_a_name_with_a_control_character_is_sent_back_to_be_retyped(client, committed):
    form = await client.get("/join")
    for name in ("มา\x00ลี", "มาลี\x1b[31m"):
        sent = await client.post("/join", data={"code": "AAAA-BBBB", "display_name": name, "locale": "th",
                                                "csrf_token": csrf_of(form)})
        assert sent.status_code == 422 and CONTROL_TH in sent.text


async def test_a_need_with_nul_comes_back_inline(client, committed):
    round_, _, _ = await join_round(client, committed, phase="needs")
    form = await client.get(f"/rounds/{round_.slug}/needs/new")
    sent = await client.post(f"/rounds/{round_.slug}/needs", data={
        "csrf_token": csrf_of(form), "sector": "land\x00housing", "title": "น้ำท่วม\x00", "body": "\x07",
        "area_code": "91\x0001", "hazards": ["flood\x00"], "severity": "³", "people_affected": "9" * 40})
    assert sent.status_code == 422 and CONTROL_TH in sent.text
    async with unit_of_work(committed) as session:
        assert await session.scalar(select(Need).where(Need.round_id == round_.id)) is None


async def test_comments_votes_and_ids_that_are_not_ids(client, committed):
    _, clause, _ = await join_round(client, committed)
    page = await client.get(f"/drafts/{clause.draft_id}")
    token = csrf_of(page)
    comment = await client.post(f"/clauses/{clause.id}/comments", data={"stance": "support", "body": "ดี\x00มาก",
                                                                        "csrf_token": token})
    assert comment.status_code == 422 and CONTROL_TH in comment.text  # said in the comment's own form
    reply = await client.post(f"/clauses/{clause.id}/comments", data={"stance": "support", "body": "ดีมาก",
                                                                      "parent_id": "not-an-id", "csrf_token": token})
    assert reply.status_code == 422 and CHOOSE_TH in reply.text and ">ดีมาก</textarea>" in reply.text
    vote = await client.post(f"/clauses/{clause.id}/vote", data={"choice": "agree", "amendment_id": "1; DROP",
                                                                 "csrf_token": token})
    assert vote.status_code == 303 and CHOOSE_TH in (await client.get(vote.headers["location"])).text
    async with unit_of_work(committed) as session:
        assert await session.scalar(select(Comment).where(Comment.clause_id == clause.id)) is None
    for path in ("/drafts/not-a-uuid", "/drafts/%00", "/rounds/%00", "/rounds/a%00b/drafts",
                 "/rounds/x%7F/needs/new"):
        answered = await client.get(path)
        assert answered.status_code == 404, path
    refused = await client.post("/clauses/%00/vote", data={"choice": "agree", "csrf_token": token})
    assert refused.status_code == 404


async def test_facilitator_pages_with_numbers_too_large_to_be_a_version(client, committed):
    round_, _ = await my_round(client, committed)
    for version in ("99999999999999999999", "²", "9" * 5000):
        page = await client.get(f"/facilitate/{round_.slug}/proposal?version={version}")
        assert page.status_code == 404 and "v" + version[:20] in page.text
    export = await client.get(f"/facilitate/{round_.slug}/proposal/99999999999999999999.csv")
    assert export.status_code == 404
    token = await token_of(client, f"/facilitate/{round_.slug}/proposal")
    published = await client.post(f"/facilitate/{round_.slug}/proposal/publish",
                                  data={"version": "99999999999999999999", "csrf_token": token})
    assert published.status_code < 500
