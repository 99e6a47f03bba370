"""Joining with an invite code, consenting, and arriving at the round, with and without htmx."""

from server.auth.service import create_invites
from server.database import unit_of_work
from server.people.models import Participant
from tests.factories import make_round
from tests.web.conftest import csrf_of


async def _invite(committed, **overrides):
    async with unit_of_work(committed) as session:
        round_ = await make_round(session, title={"th": "รอบเกาะหลีเป๊ะ", "en": "Ko Lipe round"})
        facilitator = await session.get(Participant, round_.created_by_id)
        [(_, code)] = await create_invites(session, facilitator, round_.id, group_key="villagers", **overrides)
    return round_, code


async def test_join_consent_and_arrive_without_javascript(client, committed):
    round_, code = await _invite(committed)
    form = await client.get(f"/j/{code}")
    assert f'value="{code}"' in form.text
    joined = await client.post("/join", data={"code": code, "display_name": "มาลี", "locale": "th",
                                              "csrf_token": csrf_of(form)})
    assert joined.status_code == 303 and joined.headers["location"] == f"/consent?next=/rounds/{round_.slug}"
    assert "httponly" in joined.headers["set-cookie"].lower() and "samesite=lax" in joined.headers["set-cookie"].lower()

    consent = await client.get(joined.headers["location"])
    refused = await client.post("/consent", data={"next": f"/rounds/{round_.slug}", "csrf_token": csrf_of(consent)})
    assert refused.status_code == 422 and "consent-error" in refused.text
    agreed = await client.post("/consent", data={"next": f"/rounds/{round_.slug}", "data_processing": "yes",
                                                 "csrf_token": csrf_of(consent)})
    # then their re-entry card, once, until they say they have kept it
    assert agreed.status_code == 303 and agreed.headers["location"] == f"/me/card?next=/rounds/{round_.slug}"
    card = await client.get(agreed.headers["location"])
    assert card.status_code == 200 and "มาลี" in card.text and "<svg" in card.text
    kept = await client.post("/me/card/saved", data={"next": f"/rounds/{round_.slug}", "csrf_token": csrf_of(card)})
    assert kept.status_code == 303 and kept.headers["location"] == f"/rounds/{round_.slug}"
    home = await client.get(kept.headers["location"])
    assert "Villagers" in home.text  # the group they joined, named in the page


async def test_a_post_without_the_csrf_token_is_refused(client, committed):
    _, code = await _invite(committed)
    await client.get("/join")
    refused = await client.post("/join", data={"code": code, "display_name": "มาลี"})
    assert refused.status_code == 403 and "ฟอร์มหมดอายุ" in refused.text


async def test_a_wrong_code_says_what_to_do_and_keeps_the_name(client):
    form = await client.get("/join")
    wrong = await client.post("/join", data={"code": "AAAA-BBBB", "display_name": "สมชาย", "locale": "th",
                                             "csrf_token": csrf_of(form)})
    assert wrong.status_code == 422
    # a code never made is a typing mistake: type it again (a spent one needs a new code: test_refusals.py)
    assert "ไม่รู้จักรหัสนี้" in wrong.text and 'value="สมชาย"' in wrong.text


async def test_htmx_posts_get_the_same_answers(client, committed):
    _round, code = await _invite(committed)
    form = await client.get("/join")
    headers = {"HX-Request": "true", "X-CSRF-Token": csrf_of(form)}
    joined = await client.post("/join", data={"code": code, "display_name": "มาลี"}, headers=headers)
    assert joined.status_code == 204 and joined.headers["hx-redirect"].startswith("/consent")


async def test_joining_is_rate_limited_per_address(client):
    form = await client.get("/join")
    data = {"code": "WRONGCODE", "display_name": "x", "csrf_token": csrf_of(form)}
    statuses = [(await client.post("/join", data=data)).status_code for _ in range(11)]
    assert statuses[:10] == [422] * 10 and statuses[10] == 429


async def test_a_whole_village_joins_from_one_address_but_guesses_are_limited(client, committed):
    """Forty people at a meeting share the facilitator's hotspot: every good code admits its person, and the
    wrong ones still stop after ten."""
    _, code = await _invite(committed, max_uses=40)
    for n in range(15):
        client.cookies.clear()
        form = await client.get("/join")
        joined = await client.post("/join", data={"code": code, "display_name": f"คนที่ {n}",
                                                  "csrf_token": csrf_of(form)})
        assert joined.status_code == 303, (n, joined.status_code)
    client.cookies.clear()
    form = await client.get("/join")
    wrong = {"code": "WRONGCODE", "display_name": "x", "csrf_token": csrf_of(form)}
    statuses = [(await client.post("/join", data=wrong)).status_code for _ in range(11)]
    assert statuses[:10] == [422] * 10 and statuses[10] == 429


async def test_an_unknown_round_is_a_404_page(client):
    page = await client.get("/rounds/no-such-round")
    assert page.status_code == 404 and "<html" in page.text
