"""What is new since a member's last visit to a round: told once, only what their audience may see, and
only from their own round."""

from sqlalchemy import select

from server.commitments.service import update_commitment
from server.database import unit_of_work
from server.deliberation.service import moderate_comment, post_comment
from server.drafts.authoring import edit_clause
from server.drafts.service import create_draft
from server.i18n import translations
from server.people.models import Participant
from server.rounds.models import Membership
from server.rounds.service import move_phase
from tests.factories import make_clause, make_commitment, make_member, make_need, make_round, publish_round
from tests.web.conftest import join_round

NEW_DRAFT = "ร่างนโยบายน้ำประปาหมู่บ้าน"


def th(message: str, **params) -> str:
    """The words a member who joined in Thai reads."""
    text = translations("th").gettext(message)
    return text % params if params else text


NOTHING_NEW = th("Nothing new since %(date)s.", date="").strip()
COMMENTS = th("New comments: %(n)s", n="").strip()  # however many


async def _people(committed, round_):
    async with unit_of_work(committed) as session:
        me = await session.scalar(select(Participant).join(Membership).where(
            Membership.round_id == round_.id, Membership.facilitates.is_(False)))
        facilitator = await session.get(Participant, round_.created_by_id)
    return me, facilitator


async def _new_draft(committed, round_, facilitator, title):
    async with unit_of_work(committed) as session:
        await move_phase(session, facilitator, round_.id, "drafting")
        await create_draft(session, facilitator, round_.id, title=title)
        await move_phase(session, facilitator, round_.id, "deliberation")


async def test_a_new_draft_is_told_once_and_not_after_the_visit(client, committed):
    round_, first_clause, _second = await join_round(client, committed)
    _me, facilitator = await _people(committed, round_)
    first = (await client.get(f"/rounds/{round_.slug}")).text
    assert 'id="news"' not in first  # a first visit: everything is new, so nothing is listed as new
    await _new_draft(committed, round_, facilitator, NEW_DRAFT)

    second = (await client.get(f"/rounds/{round_.slug}")).text
    assert 'id="news"' in second and second.count(NEW_DRAFT) == 1
    third = (await client.get(f"/rounds/{round_.slug}")).text
    assert 'id="news"' in third and NEW_DRAFT not in third and NOTHING_NEW in third

    async with unit_of_work(committed) as session:  # voting is open: new words make a new version
        await edit_clause(session, facilitator, first_clause.id, text="รัฐจะออกโฉนดชุมชนภายในหกเดือน")
    assert th("Clause %(n)s has new words: read it again", n=1) in (await client.get(f"/rounds/{round_.slug}")).text

    client.cookies.clear()  # signed out: no news, and the full list asks who you are
    assert 'id="news"' not in (await client.get(f"/rounds/{round_.slug}")).text
    assert (await client.get(f"/rounds/{round_.slug}/new")).status_code == 303


async def test_another_rounds_events_and_a_hidden_comment_are_not_told(client, committed):
    round_, clause, _ = await join_round(client, committed)
    _me, facilitator = await _people(committed, round_)
    await client.get(f"/rounds/{round_.slug}")
    async with unit_of_work(committed) as session:
        other = await make_round(session, title={"th": "รอบอื่น", "en": "Another round"})
        someone = await make_member(session, round_)
        hidden = await post_comment(session, someone, clause_id=clause.id, stance="oppose", body="ไม่เห็นด้วย")
        await moderate_comment(session, facilitator, hidden.id, state="hidden", reason="ข้อมูลส่วนตัว")
    await _new_draft(committed, other, await _people_facilitator(committed, other), "ร่างของรอบอื่น")

    page = (await client.get(f"/rounds/{round_.slug}")).text
    assert "ร่างของรอบอื่น" not in page and COMMENTS not in page and NOTHING_NEW in page

    since = "2000-01-01T00:00:00%2B00:00"  # the full list, from long ago: still only what this member may see
    everything = await client.get(f"/rounds/{round_.slug}/new?since={since}")
    assert everything.status_code == 200
    assert "ร่างของรอบอื่น" not in everything.text and COMMENTS not in everything.text
    assert "ร่างนโยบาย" in everything.text  # the round's own draft, made before the member joined

    async with unit_of_work(committed) as session:
        await post_comment(session, someone, clause_id=clause.id, stance="support", body="เห็นด้วย")
    assert th("New comments: %(n)s", n=1) in (await client.get(f"/rounds/{round_.slug}")).text


async def _people_facilitator(committed, round_):
    async with unit_of_work(committed) as session:
        return await session.get(Participant, round_.created_by_id)


async def test_my_need_answered_and_commitment_updates_on_it(client, committed):
    round_, _clause, _ = await join_round(client, committed, phase="needs")
    me, facilitator = await _people(committed, round_)
    async with unit_of_work(committed) as session:
        need = await make_need(session, round_, me, title="ไม่มีน้ำประปา")
    await client.get(f"/rounds/{round_.slug}")
    async with unit_of_work(committed) as session:
        answer = await make_clause(session, round_, text="รัฐจะวางท่อประปาทุกหมู่บ้าน", answers=[need.id])
    page = (await client.get(f"/rounds/{round_.slug}")).text
    assert th("Your need “%(need)s” is answered by clause %(n)s", need="ไม่มีน้ำประปา", n=1) in page

    async with unit_of_work(committed) as session:
        await publish_round(session, round_)
        commitment = await make_commitment(session, answer, agency="การประปาส่วนภูมิภาค")
    async with unit_of_work(committed) as session:
        await update_commitment(session, facilitator, commitment.id, status="in_progress", note="เริ่มวางท่อ")
    news = (await client.get(f"/rounds/{round_.slug}")).text.split('id="news"')[1].split("</section>")[0]
    assert th("%(agency)s on clause %(n)s, which answers your need: %(status)s", agency="การประปาส่วนภูมิภาค", n=1,
              status=th("In progress")) in news
    assert news.count("การประปาส่วนภูมิภาค") == 1  # the newest step of the commitment only
    assert th("The outcome is published (version %(n)s)", n=1) in news
