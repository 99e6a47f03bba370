"""Signing in as a facilitator, creating a round from a template, moving and scheduling phases."""

import pytest
from sqlalchemy import select

from server.auth.service import create_token
from server.database import unit_of_work
from server.rounds import phases
from server.rounds.models import Round, StakeholderGroup
from tests.factories import make_participant, make_round
from tests.web.conftest import csrf_of, join_round
from tests.web.facilitation import htmx, my_round, sign_in_as, token_of


async def test_signing_in_needs_a_staff_token_and_leads_back(client, committed):
    async with unit_of_work(committed) as session:
        participant = await make_participant(session)
        _, plain = await create_token(session, None, participant.id, name="p", scopes=["facilitate"])
    page = await client.get("/facilitate/rounds-x", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/facilitate/sign-in?next=/facilitate/rounds-x"
    form = await client.get(page.headers["location"])
    assert 'name="next" value="/facilitate/rounds-x"' in form.text and 'type="password"' in form.text
    refused = await client.post("/facilitate/sign-in", data={"token": plain, "csrf_token": csrf_of(form)})
    assert refused.status_code == 422 and 'aria-invalid="true"' in refused.text
    wrong = await client.post("/facilitate/sign-in", data={"token": "ruam_nope", "csrf_token": csrf_of(form)})
    assert wrong.status_code == 422
    no_csrf = await client.post("/facilitate/sign-in", data={"token": plain})
    assert no_csrf.status_code == 403
    me = await sign_in_as(client, committed)
    listing = await client.get("/facilitate")
    assert listing.status_code == 200 and me.display_name not in listing.text  # a page, not a profile
    assert 'action="/facilitate/sign-out"' in listing.text
    out = await client.post("/facilitate/sign-out", data={"csrf_token": csrf_of(listing)})
    assert out.status_code == 303
    assert (await client.get("/facilitate")).status_code == 303


async def test_create_a_round_from_a_template_without_javascript(client, committed):
    await sign_in_as(client, committed)
    form = await client.get("/facilitate/new?template=standard")
    assert form.status_code == 200 and 'value="community"' in form.text and 'value="ชุมชน"' in form.text
    assert 'for="group-0-quorum"' in form.text and "<option value=\"91\"" in form.text  # Satun, from reference data
    data = {"csrf_token": csrf_of(form), "template": "standard", "slug": "satun-2026", "title_th": "รอบสตูล",
            "title_en": "Satun round", "threshold": "0.7", "area_codes": ["91"],
            "group-0-key": "chaolay", "group-0-th": "ชาวเล", "group-0-en": "Chao Lay", "group-0-quorum": "4",
            "group-1-key": "government", "group-1-th": "หน่วยงานรัฐ", "group-1-en": "", "group-1-quorum": "2"}
    created = await client.post("/facilitate/new", data=data)
    assert created.status_code == 303 and created.headers["location"] == "/facilitate/satun-2026"
    async with unit_of_work(committed) as session:
        round_ = await session.scalar(select(Round).where(Round.slug == "satun-2026"))
        groups = (await session.scalars(select(StakeholderGroup).where(StakeholderGroup.round_id == round_.id)
                                        .order_by(StakeholderGroup.key))).all()
    assert (round_.threshold, round_.area_codes, round_.current_phase) == (0.7, ["91"], "needs")
    assert [(g.key, g.name, g.quorum) for g in groups] == [
        ("chaolay", {"th": "ชาวเล", "en": "Chao Lay"}, 4), ("government", {"th": "หน่วยงานรัฐ"}, 2)]
    overview = await client.get(created.headers["location"])
    assert "รอบสตูล" in overview.text and "ชาวเล" in overview.text
    assert [p.key for p in phases.TEMPLATES["standard"]] == [p.key for p in phases.load(round_.phases)]


async def test_mistakes_come_back_inline_and_htmx_gets_fragments(client, committed):
    await sign_in_as(client, committed)
    form = await client.get("/facilitate/new")
    fragment = await client.get("/facilitate/new?template=blank", headers=htmx())
    assert fragment.status_code == 200 and "<html" not in fragment.text and 'id="round-form"' in fragment.text
    bad = await client.post("/facilitate/new", data={"csrf_token": csrf_of(form), "template": "blank",
                                                     "slug": "X", "title_th": "", "threshold": "2"})
    assert bad.status_code == 422
    assert 'id="slug" name="slug"' in bad.text and 'aria-describedby="slug-error"' in bad.text
    assert 'id="groups-error"' in bad.text and 'id="threshold-error"' in bad.text
    boosted = await client.post("/facilitate/new", headers=htmx(csrf_of(form)) | {"HX-Boosted": "true"},
                                data={"template": "blank", "slug": "X"})
    assert boosted.status_code == 200 and "<html" in boosted.text  # htmx swaps no 4xx answer in
    assert 'aria-describedby="slug-error"' in boosted.text
    made = await client.post("/facilitate/new", headers=htmx(csrf_of(form)), data={
        "template": "blank", "slug": "htmx-round", "title_th": "รอบ htmx", "group-0-key": "all",
        "group-0-th": "ทุกคน", "group-0-quorum": "1"})
    assert made.status_code == 204 and made.headers["hx-redirect"] == "/facilitate/htmx-round"


async def test_move_and_schedule_phases_with_and_without_htmx(client, committed):
    round_, _ = await my_round(client, committed)
    token = await token_of(client, f"/facilitate/{round_.slug}")
    moved = await client.post(f"/facilitate/{round_.slug}/phase", data={"phase": "drafting", "csrf_token": token})
    assert moved.status_code == 303
    page = await client.get(moved.headers["location"])
    assert 'aria-current="step"' in page.text and "ร่าง" in page.text
    swapped = await client.post(f"/facilitate/{round_.slug}/phase", data={"phase": "deliberation"},
                                headers=htmx(token))
    assert swapped.status_code == 200 and "<html" not in swapped.text and 'id="phases"' in swapped.text
    scheduled = await client.post(f"/facilitate/{round_.slug}/schedule", headers=htmx(token), data={
        "phase": "deliberation", "starts_at": "2026-12-01T09:00", "ends_at": "2026-12-15T17:30"})
    assert scheduled.status_code == 200 and 'value="2026-12-15T17:30"' in scheduled.text
    assert "15 ธ.ค. 2569 17:30" in scheduled.text  # Thai date, Buddhist era
    backwards = await client.post(f"/facilitate/{round_.slug}/schedule", data={
        "phase": "deliberation", "starts_at": "2026-12-15T09:00", "ends_at": "2026-12-01T09:00", "csrf_token": token})
    assert backwards.status_code == 422 and 'role="alert"' in backwards.text
    async with unit_of_work(committed) as session:
        stored = await session.get(Round, round_.id)
    phase = next(p for p in phases.load(stored.phases) if p.key == "deliberation")
    assert stored.current_phase == "deliberation" and phase.ends_at.isoformat() == "2026-12-15T17:30:00+07:00"


async def test_a_participant_or_another_rounds_facilitator_gets_403(client, committed):
    joined, _, _ = await join_round(client, committed)
    for path in ("", "/proxy", "/moderation", "/live", "/proposal"):
        assert (await client.get(f"/facilitate/{joined.slug}{path}")).status_code == 403, path
    assert (await client.get("/facilitate")).status_code == 403
    await sign_in_as(client, committed)
    async with unit_of_work(committed) as session:
        theirs = await make_round(session)
    assert (await client.get(f"/facilitate/{theirs.slug}")).status_code == 403
    token = await token_of(client, "/facilitate")
    refused = await client.post(f"/facilitate/{theirs.slug}/phase", data={"phase": "drafting", "csrf_token": token})
    assert refused.status_code == 403
    async with unit_of_work(committed) as session:
        assert (await session.get(Round, theirs.id)).current_phase == "needs"


FRAGMENTS = {"": None, "/new": "round-form", "/{slug}": "phases", "/{slug}/proxy": None,
             "/{slug}/moderation": "queue", "/{slug}/live": "figures", "/{slug}/proposal": None}


@pytest.mark.parametrize("path", FRAGMENTS)
async def test_every_page_with_and_without_htmx(client, committed, path):
    round_, _ = await my_round(client, committed)
    url = "/facilitate" + path.format(slug=round_.slug)
    whole = await client.get(url)
    assert whole.status_code == 200 and "<html" in whole.text and 'href="/facilitate"' in whole.text
    part = await client.get(url, headers=htmx())
    assert part.status_code == 200
    if FRAGMENTS[path]:
        assert "<html" not in part.text and f'id="{FRAGMENTS[path]}"' in part.text
    else:  # nothing on this page is swapped alone: the whole page, for a boosted link too
        assert "<html" in part.text
    boosted = await client.get(url, headers=htmx() | {"HX-Boosted": "true"})
    assert "<html" in boosted.text  # a boosted link swaps the whole body: it needs the whole page
