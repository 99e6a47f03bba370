"""Thai needs are findable by a word inside an unspaced sentence."""

from sqlalchemy import func, select

from server.needs.models import Need
from tests.factories import make_member, make_need, make_round


async def test_a_thai_word_inside_a_sentence_finds_the_need(session):
    round_ = await make_round(session, phase="needs")
    author = await make_member(session, round_)
    need = await make_need(session, round_, author, title="ชาวอูรักลาโว้ยต้องการโฉนดชุมชนบนเกาะหลีเป๊ะ",
                           translations={"en": {"title": "Community land title on Ko Lipe"}})
    await make_need(session, round_, author, title="น้ำประปาไม่ไหล")

    def matching(word):
        query = func.to_tsvector("simple", Need.search_text).op("@@")(func.plainto_tsquery("simple", word))
        return select(Need.id).where(Need.round_id == round_.id, query)

    assert (await session.scalars(matching("หลีเป๊ะ"))).all() == [need.id]
    assert (await session.scalars(matching("โฉนดชุมชน"))).all() == [need.id]
    assert (await session.scalars(matching("lipe"))).all() == [need.id]
