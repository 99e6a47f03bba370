"""A web session lasts no longer than what made it: the staff token it was signed in with, the person's
own sign-out, and (for staff) a working day.

Attacked from outside, with the cookie a browser held: after the token is revoked, after signing out
(the cookie replayed as a thief who copied it would), and past its hours. A session made with a token
also carries only that token's scopes, on the pages and on /graphql alike.
"""

from datetime import UTC, datetime, timedelta

from server.auth.models import ApiToken
from server.auth.service import revoke_token
from server.database import unit_of_work
from tests.web.conftest import client, committed, csrf_of, join_round  # noqa: F401 -- fixtures, for this module
from tests.web.facilitation import signed_in_with_token

VIEWER = "{ viewer { via scopes } }"


async def _sign_in(client, committed, *, role="facilitator", scopes=("facilitate",)):
    return await signed_in_with_token(client, committed, role=role, scopes=tuple(scopes))


async def _viewer(client, cookie):
    answer = await client.post("/graphql", json={"query": VIEWER}, headers={"Cookie": cookie})
    assert answer.status_code == 200, answer.text
    return answer.json()["data"]["viewer"]


async def test_a_facilitators_session_ends_when_its_token_is_revoked(client, committed):
    _, token, cookie = await _sign_in(client, committed)
    assert (await client.get("/facilitate", headers={"Cookie": cookie})).status_code == 200
    async with unit_of_work(committed) as session:
        await revoke_token(session, None, token.id)
    page = await client.get("/facilitate", headers={"Cookie": cookie}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/facilitate/sign-in")
    assert await _viewer(client, cookie) is None


async def test_a_cookie_replayed_after_signing_out_is_refused(client, committed):
    _, _, cookie = await _sign_in(client, committed)
    listing = await client.get("/facilitate")
    out = await client.post("/facilitate/sign-out", data={"csrf_token": csrf_of(listing)})
    assert out.status_code == 303
    page = await client.get("/facilitate", headers={"Cookie": cookie}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/facilitate/sign-in")
    assert await _viewer(client, cookie) is None


async def test_a_participant_can_sign_out_and_their_old_cookie_is_refused(client, committed):
    round_, _, _ = await join_round(client, committed)
    cookie = f"ruam_session={client.cookies['ruam_session']}"
    mine = await client.get(f"/rounds/{round_.slug}/mine")
    assert mine.status_code == 200 and 'action="/sign-out"' in mine.text
    assert (await _viewer(client, cookie)) == {"via": "session", "scopes": ["participate", "read"]}
    out = await client.post("/sign-out", data={"csrf_token": csrf_of(mine)})
    assert out.status_code == 303
    again = await client.get(f"/rounds/{round_.slug}/mine", headers={"Cookie": cookie}, follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == "/join"
    assert await _viewer(client, cookie) is None


async def test_a_session_made_with_a_facilitate_only_token_has_no_admin_scope(client, committed):
    _, _, cookie = await _sign_in(client, committed, role="admin", scopes=("facilitate",))
    assert await _viewer(client, cookie) == {"via": "session", "scopes": ["facilitate"]}
    made = await client.post("/graphql", headers={"Cookie": cookie}, json={"query": """mutation {
      createOrganisation(nameTh: "กรม", nameEn: "Department", kind: GOVERNMENT) { __typename } }"""})
    assert made.json()["data"]["createOrganisation"]["__typename"] == "NotPermitted"


async def test_a_staff_session_ends_after_its_hours(client, committed, monkeypatch):
    from server.auth import sessions

    _, token, cookie = await _sign_in(client, committed)
    assert (await client.get("/facilitate", headers={"Cookie": cookie})).status_code == 200
    later = datetime.now(UTC) + sessions.STAFF_HOURS + timedelta(minutes=1)
    monkeypatch.setattr(sessions, "now", lambda: later)
    page = await client.get("/facilitate", headers={"Cookie": cookie}, follow_redirects=False)
    assert page.status_code == 303
    async with unit_of_work(committed) as session:
        assert (await session.get(ApiToken, token.id)).revoked_at is None  # the token itself still works
