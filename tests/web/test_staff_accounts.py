"""Staff accounts in the browser, without a token: an administrator invites, the person sets a passphrase (or
asks for personal links), signs in, and sees only the rounds given. Attacked from outside: used and expired
links, wrong passphrases, a drafter at facilitators' addresses and the API, and a revoked person's cookie."""

import asyncio
import os
import re
import sys
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import func, select

from server.database import unit_of_work
from server.deliberation.models import Vote
from server.drafts.service import create_draft
from server.errors import NotPermitted, PhaseClosed, ValidationError
from server.people.models import Organisation, Participant
from server.rounds.models import Membership
from server.rounds.service import move_phase
from server.staff import service as staff
from server.staff.models import StaffLink
from tests.factories import make_clause, make_round
from tests.web.conftest import csrf_of
from tests.web.facilitation import sign_in_as

PASSPHRASE = "ทะเลสตูล มีปลา มาก"


@pytest.fixture
async def other(client):
    """A second browser, with cookies of its own."""
    async with httpx.AsyncClient(transport=client._transport, base_url="http://ruam.test") as second:
        yield second


def link_code(page: httpx.Response, kind: str) -> str:
    return re.search(rf'>http[^<]*/staff/{kind}/([A-Za-z0-9_-]+)</textarea>', page.text).group(1)


async def two_rounds(committed, admin: Participant, phase: str | None = None):
    async with unit_of_work(committed) as session:
        mine = await make_round(session, admin, phase=phase, title={"th": "รอบประมงสตูล", "en": "Satun fisheries"})
        theirs = await make_round(session, admin, phase=phase, title={"th": "รอบน้ำระนอง", "en": "Ranong water"})
    return mine, theirs


async def invite_by_page(client, *, role: str, rounds, organisation: dict[str, str] | None = None) -> str:
    form = await client.get("/admin/staff/invite")
    assert form.status_code == 200
    data = {"csrf_token": csrf_of(form), "role": role, "rounds": [str(r.id) for r in rounds],
            **(organisation or {"organisation": "new", "organisation_th": "กรมประมง",
                                "organisation_en": "Department of Fisheries", "organisation_kind": "government"})}
    made = await client.post("/admin/staff/invite", data=data)
    assert made.status_code == 200, made.text
    assert 'class="qr"' in made.text and "<svg" in made.text
    return link_code(made, "invite")


async def accept(client, code: str, name: str, *, method="passphrase", passphrase=PASSPHRASE, confirm=None):
    form = await client.get(f"/staff/invite/{code}")
    return await client.post(f"/staff/invite/{code}", data={
        "csrf_token": csrf_of(form), "display_name": name, "method": method, "passphrase": passphrase,
        "confirm": passphrase if confirm is None else confirm})


async def sign_in(client, who: str, passphrase: str = PASSPHRASE):
    client.cookies.clear()
    form = await client.get("/facilitate/sign-in")
    return await client.post("/facilitate/sign-in", data={"csrf_token": csrf_of(form), "who": who,
                                                          "passphrase": passphrase, "next": "/facilitate"})


async def test_invited_facilitator_sets_a_passphrase_signs_in_and_sees_only_their_round(client, other, committed):
    admin = await sign_in_as(client, committed, role="admin", scopes=("facilitate", "admin"))
    mine, theirs = await two_rounds(committed, admin)
    code = await invite_by_page(client, role="facilitator", rounds=[mine])
    async with unit_of_work(committed) as session:
        fisheries = await session.scalar(select(Organisation).where(Organisation.name_en == "Department of Fisheries"))
        link = await session.scalar(select(StaffLink).where(StaffLink.purpose == "invitation")
                                    .order_by(StaffLink.created_at.desc()))
    assert fisheries is not None and fisheries.kind == "government"
    assert code not in link.link_hash and len(link.link_hash) == 64  # only the hash is kept

    opened = await other.get(f"/staff/invite/{code}")
    assert opened.status_code == 200 and "รอบประมงสตูล" in opened.text and "รอบน้ำระนอง" not in opened.text
    short = await accept(other, code, "สมชาย ใจดี", passphrase="สั้นไป")
    assert short.status_code == 422 and 'id="passphrase-error"' in short.text
    assert 'value="สมชาย ใจดี"' in short.text  # what was typed stays
    different = await accept(other, code, "สมชาย ใจดี", confirm=PASSPHRASE + "x")
    assert different.status_code == 422 and 'id="confirm-error"' in different.text
    joined = await accept(other, code, "สมชาย ใจดี")
    assert joined.status_code == 303 and joined.headers["location"] == "/facilitate"
    listing = await other.get("/facilitate")
    assert listing.status_code == 200 and "รอบประมงสตูล" in listing.text and "รอบน้ำระนอง" not in listing.text
    assert (await other.get(f"/facilitate/{mine.slug}")).status_code == 200
    assert (await other.get(f"/facilitate/{theirs.slug}")).status_code == 403
    assert (await other.get("/admin/staff")).status_code == 403  # a facilitator manages no staff

    signed = await sign_in(other, "  สมชาย   ใจดี ")  # spaces and case do not matter
    assert signed.status_code == 303 and signed.headers["location"] == "/facilitate"
    async with unit_of_work(committed) as session:
        person = await session.scalar(select(Participant).where(Participant.display_name == "สมชาย ใจดี"))
    assert person.role == "facilitator" and person.organisation_id == fisheries.id
    by_number = await sign_in(other, str(person.id))
    assert by_number.status_code == 303
    staff_page = await client.get("/admin/staff")
    assert "สมชาย ใจดี" in staff_page.text and "รอบประมงสตูล" in staff_page.text

    again = await other.get(f"/staff/invite/{code}")
    assert again.status_code == 410 and ("used already" in again.text or "ใช้ไปแล้ว" in again.text)
    reused = await client.post(f"/staff/invite/{code}", data={
        "csrf_token": csrf_of(staff_page), "display_name": "คนอื่น", "method": "passphrase",
        "passphrase": PASSPHRASE, "confirm": PASSPHRASE})
    assert reused.status_code == 410 and "คนอื่น" not in (await client.get("/admin/staff")).text


async def test_an_expired_or_unknown_invitation_is_refused_with_a_clear_message(client, committed):
    async with unit_of_work(committed) as session:
        link, code = await staff.invite(session, None, role="admin")
        link.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    page = await client.get(f"/staff/invite/{code}")
    assert page.status_code == 410 and ("7 days" in page.text or "7 วัน" in page.text)
    assert 'name="passphrase"' not in page.text
    form = await client.get("/facilitate/sign-in")
    sent = await client.post(f"/staff/invite/{code}", data={"csrf_token": csrf_of(form), "display_name": "ผู้ดูแล",
                                                            "method": "passphrase", "passphrase": PASSPHRASE,
                                                            "confirm": PASSPHRASE})
    assert sent.status_code == 410
    unknown = await client.get("/staff/invite/not-a-real-link")
    assert unknown.status_code == 410 and 'name="passphrase"' not in unknown.text


async def test_a_wrong_passphrase_is_refused_then_rate_limited(client, committed):
    async with unit_of_work(committed) as session:
        _, code = await staff.invite(session, None, role="admin")
        await staff.accept_invitation(session, code, display_name="ผู้ดูแล ระบบ", method="passphrase",
                                      passphrase=PASSPHRASE, confirm=PASSPHRASE)
    wrong = await sign_in(client, "ผู้ดูแล ระบบ", "ไม่ใช่รหัสผ่านนี้เลย")
    assert wrong.status_code == 422 and 'id="passphrase-error"' in wrong.text and 'aria-invalid="true"' in wrong.text
    assert 'value="ผู้ดูแล ระบบ"' in wrong.text  # the name stays typed, the passphrase does not
    nobody = await sign_in(client, "ไม่มีคนนี้", PASSPHRASE)
    assert nobody.status_code == 422 and wrong.text.count("passphrase-error") == nobody.text.count("passphrase-error")
    statuses = [(await sign_in(client, "ผู้ดูแล ระบบ", f"ลองเดา {n} ครั้ง")).status_code for n in range(10)]
    assert statuses[-1] == 429 and set(statuses) <= {422, 429}
    right_but_late = await sign_in(client, "ผู้ดูแล ระบบ")
    assert right_but_late.status_code == 429
    assert (await client.get("/admin/staff", follow_redirects=False)).status_code == 303  # not signed in


async def test_a_drafter_drafts_and_cannot_moderate_enter_by_proxy_or_vote(client, other, committed):
    admin = await sign_in_as(client, committed, role="admin", scopes=("facilitate", "admin"))
    mine, theirs = await two_rounds(committed, admin)
    async with unit_of_work(committed) as session:
        clause = await make_clause(session, mine, text="รัฐจะจัดที่จอดเรือให้ชุมชน")
        await move_phase(session, admin, mine.id, "deliberation")
        organisation = await session.scalar(select(Organisation.id).limit(1))
    organisation_field = ({"organisation": str(organisation)} if organisation else None)
    code = await invite_by_page(client, role="drafter", rounds=[mine], organisation=organisation_field)
    joined = await accept(other, code, "นักร่าง กรมประมง")
    assert joined.status_code == 303 and joined.headers["location"] == "/staff"
    home = await other.get("/staff")
    assert home.status_code == 200 and "รอบประมงสตูล" in home.text and "รอบน้ำระนอง" not in home.text
    token = csrf_of(home)
    for path in ("/facilitate", f"/facilitate/{mine.slug}", f"/facilitate/{mine.slug}/moderation",
                 f"/facilitate/{mine.slug}/proxy", f"/facilitate/{mine.slug}/live", f"/facilitate/{theirs.slug}",
                 f"/facilitate/{mine.slug}/proposal", "/admin/staff", "/admin/staff/invite"):
        assert (await other.get(path)).status_code == 403, path
    for path in (f"/facilitate/{mine.slug}/proxy", f"/facilitate/{mine.slug}/phase", f"/facilitate/{mine.slug}/invites",
                 f"/facilitate/comments/{uuid.uuid4()}/moderate", "/facilitate/new", "/admin/staff/invite"):
        answer = await other.post(path, data={"csrf_token": token, "phase": "needs", "group": "villagers",
                                              "who": "member", "state": "hidden", "role": "drafter"})
        assert answer.status_code in (403, 404), (path, answer.status_code)

    async with unit_of_work(committed) as session:
        drafter = await session.scalar(select(Participant).where(Participant.display_name == "นักร่าง กรมประมง"))
        before = await session.scalar(select(func.count()).select_from(Vote).where(Vote.participant_id == drafter.id))
    voted = await other.post(f"/clauses/{clause.id}/vote", data={"csrf_token": token, "choice": "agree"})
    assert voted.status_code in (303, 403, 409)
    api = await other.post("/graphql", json={
        "query": "mutation ($c: ID!) { castVote(clauseId: $c, choice: AGREE) { __typename } }",
        "variables": {"c": str(clause.id)}})
    viewer = await other.post("/graphql", json={"query": "{ viewer { via scopes } }"})
    assert viewer.json()["data"]["viewer"] == {"via": "session", "scopes": ["participate", "read"]}
    async with unit_of_work(committed) as session:
        after = await session.scalar(select(func.count()).select_from(Vote).where(Vote.participant_id == drafter.id))
        assert before == after == 0, api.text
        with pytest.raises(PhaseClosed):  # drafting is open to drafters only while the phase is
            await create_draft(session, drafter, mine.id, title="ร่างของกรมประมง")
    async with unit_of_work(committed) as session:
        await move_phase(session, admin, mine.id, "drafting")
        await move_phase(session, admin, theirs.id, "drafting")
        draft = await create_draft(session, drafter, mine.id, title="ร่างของกรมประมง")
        assert draft.created_by_id == drafter.id
        with pytest.raises(NotPermitted):
            await create_draft(session, drafter, theirs.id, title="ร่างในรอบที่ไม่ได้รับ")


async def test_revoking_ends_the_session_and_the_passphrase(client, other, committed):
    admin = await sign_in_as(client, committed, role="admin", scopes=("facilitate", "admin"))
    mine, _ = await two_rounds(committed, admin)
    code = await invite_by_page(client, role="facilitator", rounds=[mine])
    assert (await accept(other, code, "ครูวิไล")).status_code == 303
    assert (await other.get("/facilitate")).status_code == 200
    async with unit_of_work(committed) as session:
        person = await session.scalar(select(Participant).where(Participant.display_name == "ครูวิไล"))
    page = await client.get(f"/admin/staff/{person.id}")
    assert page.status_code == 200 and "รอบประมงสตูล" in page.text
    revoked = await client.post(f"/admin/staff/{person.id}/revoke", data={"csrf_token": csrf_of(page)})
    assert revoked.status_code == 303
    ended = await other.get("/facilitate", follow_redirects=False)
    assert ended.status_code == 303 and ended.headers["location"].startswith("/facilitate/sign-in")
    assert (await sign_in(other, "ครูวิไล")).status_code == 422


async def test_a_personal_link_signs_in_once_and_the_admin_can_make_a_new_one(client, other, committed):
    admin = await sign_in_as(client, committed, role="admin", scopes=("facilitate", "admin"))
    mine, theirs = await two_rounds(committed, admin)
    code = await invite_by_page(client, role="facilitator", rounds=[mine])
    joined = await accept(other, code, "พี่นก", method="link", passphrase="")
    assert joined.status_code == 200 and "<svg" in joined.text
    first = link_code(joined, "link")
    assert (await sign_in(other, "พี่นก", "")).status_code == 422  # no passphrase to sign in with
    other.cookies.clear()
    opened = await other.get(f"/staff/link/{first}")  # opening it (a chat app's preview) uses nothing
    assert opened.status_code == 200
    used = await other.post(f"/staff/link/{first}", data={"csrf_token": csrf_of(opened)})
    assert used.status_code == 303 and (await other.get("/facilitate")).status_code == 200
    other.cookies.clear()
    page = await other.get(f"/staff/link/{first}")
    assert page.status_code == 410

    async with unit_of_work(committed) as session:
        person = await session.scalar(select(Participant).where(Participant.display_name == "พี่นก"))
    page = await client.get(f"/admin/staff/{person.id}")
    made = await client.post(f"/admin/staff/{person.id}/sign-in-link", data={"csrf_token": csrf_of(page)})
    assert made.status_code == 200
    second = link_code(made, "link")
    form = await other.get(f"/staff/link/{second}")
    assert (await other.post(f"/staff/link/{second}", data={"csrf_token": csrf_of(form)})).status_code == 303

    # giving and taking a round, by plain forms
    page = await client.get(f"/admin/staff/{person.id}")
    given = await client.post(f"/admin/staff/{person.id}/rounds", data={"csrf_token": csrf_of(page),
                                                                       "round": str(theirs.id)})
    assert given.status_code == 303 and (await other.get(f"/facilitate/{theirs.slug}")).status_code == 200
    taken = await client.post(f"/admin/staff/{person.id}/rounds/take", data={"csrf_token": csrf_of(page),
                                                                            "round": str(mine.id)})
    assert taken.status_code == 303 and (await other.get(f"/facilitate/{mine.slug}")).status_code == 403
    async with unit_of_work(committed) as session:
        assert await session.get(Membership, (mine.id, person.id)) is None


async def test_an_invitation_admits_one_person_even_when_two_arrive_together(committed):
    async with unit_of_work(committed) as session:
        _, code = await staff.invite(session, None, role="admin")

    async def take_it_up(name: str) -> str:
        try:
            async with unit_of_work(committed) as session:
                await staff.accept_invitation(session, code, display_name=name, method="passphrase",
                                              passphrase=PASSPHRASE, confirm=PASSPHRASE)
        except ValidationError as error:
            return error.field_messages("en")["link"]
        return "joined"

    answers = await asyncio.gather(take_it_up("คนแรก"), take_it_up("คนที่สอง"))
    assert answers.count("joined") == 1 and any("used already" in answer for answer in answers)


async def test_the_first_administrator_comes_from_the_command_line_without_a_token(services, client, tmp_path):
    env = {**os.environ, "DATABASE_URL": services.database_url, "REDIS_URL": services.redis_url,
           "DATA_DIR": str(tmp_path)}
    command = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "server.cli", "admin", "invite", env=env, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(command.communicate(), timeout=120)
    assert command.returncode == 0, err.decode()
    code = re.search(r"/staff/invite/([A-Za-z0-9_-]+)$", out.decode().strip()).group(1)
    opened = await client.get(f"/staff/invite/{code}")
    assert opened.status_code == 200 and "ruam_" not in opened.text.split("<main", 1)[1]
    joined = await accept(client, code, f"ผู้ดูแลคนแรก {uuid.uuid4().hex[:6]}")
    assert joined.status_code == 303
    staff_list = await client.get("/admin/staff")
    assert staff_list.status_code == 200 and 'href="/admin/staff/invite"' in staff_list.text


async def test_a_drafter_writes_a_draft_in_the_browser_only_in_their_own_round(client, other, committed):
    admin = await sign_in_as(client, committed, role="admin", scopes=("facilitate", "admin"))
    mine, theirs = await two_rounds(committed, admin, phase="drafting")
    code = await invite_by_page(client, role="drafter", rounds=[mine])
    assert (await accept(other, code, "นักร่าง มูลนิธิ")).status_code == 303
    home = await other.get("/staff")
    assert f'href="/facilitate/{mine.slug}/drafts"' in home.text
    page = await other.get(f"/facilitate/{mine.slug}/drafts")
    assert page.status_code == 200
    assert f'href="/facilitate/{mine.slug}/moderation"' not in page.text  # the nav offers drafting only
    made = await other.post(f"/facilitate/{mine.slug}/drafts",
                            data={"csrf_token": csrf_of(page), "title": "ร่างของมูลนิธิ", "summary": ""})
    assert made.status_code == 303 and f"/facilitate/{mine.slug}/drafts/" in made.headers["location"]
    assert (await other.get(f"/facilitate/{theirs.slug}/drafts")).status_code == 403
    refused = await other.post(f"/facilitate/{theirs.slug}/drafts",
                               data={"csrf_token": csrf_of(page), "title": "ร่างแอบใส่", "summary": ""})
    assert refused.status_code == 403


async def test_a_training_room_signs_in_from_one_address(client, committed):
    """Twelve staff at a training sign in from one office address: good sign-ins do not use up the
    address's tries, so the last one gets in as the first did; wrong ones are still limited."""
    for n in range(12):
        client.cookies.clear()
        async with unit_of_work(committed) as session:
            _, code = await staff.invite(session, None, role="admin")
            await staff.accept_invitation(session, code, display_name=f"ผู้อบรม คนที่ {n}", method="passphrase",
                                          passphrase=PASSPHRASE, confirm=PASSPHRASE)
        assert (await sign_in(client, f"ผู้อบรม คนที่ {n}")).status_code == 303, n
    statuses = [(await sign_in(client, f"ผู้อบรม คนที่ {n}", "ผิด ผิด ผิด ผิด")).status_code for n in range(11)]
    assert statuses[:10] == [422] * 10 and statuses[10] == 429
