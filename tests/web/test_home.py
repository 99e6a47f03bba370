"""The root page lists the rounds, in the reader's language."""

from server.database import make_sessionmaker, unit_of_work
from tests.factories import make_member, make_round


async def test_root_lists_rounds_with_phase_and_participation(client, engine):
    async with unit_of_work(make_sessionmaker(engine)) as session:
        round_ = await make_round(session, title={"th": "รอบทดสอบหน้าแรก", "en": "Home page round"})
        await make_member(session, round_)
        await make_member(session, round_)

    thai = await client.get("/", headers={"Accept-Language": "th-TH,th;q=0.9"})
    assert thai.status_code == 200
    assert "รอบทดสอบหน้าแรก" in thai.text and "ความต้องการ" in thai.text
    assert 'lang="th"' in thai.text

    english = await client.get("/?lang=en")
    assert "Home page round" in english.text and "Needs" in english.text
    assert "2 participants in 2 groups" in english.text


async def test_user_text_is_escaped(client, engine):
    async with unit_of_work(make_sessionmaker(engine)) as session:
        await make_round(session, title={"th": "<script>alert(1)</script>"})
    page = await client.get("/")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;" in page.text


async def test_health(client):
    assert (await client.get("/healthz")).json() == {"status": "ok"}


async def test_htmx_gets_the_round_list_alone(client, committed):
    async with unit_of_work(committed) as session:
        await make_round(session, title={"th": "รอบสำหรับ htmx"})
    whole = await client.get("/")
    fragment = await client.get("/", headers={"HX-Request": "true"})
    assert "<html" in whole.text and "<html" not in fragment.text
    assert 'class="rounds"' in fragment.text and "รอบสำหรับ htmx" in fragment.text


async def test_a_chosen_language_is_remembered_on_the_next_page(client):
    chosen = await client.get("/?lang=en")
    assert "lang=en" in chosen.headers["set-cookie"]
    assert 'lang="en"' in (await client.get("/join")).text
    assert 'lang="th"' in (await client.get("/join?lang=th")).text
    assert 'lang="th"' in (await client.get("/")).text
