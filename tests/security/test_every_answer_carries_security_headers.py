"""Every answer tells the browser what the page may do. Without a Content-Security-Policy a script slipped
into a page (a comment, a need's title) would run; without frame-ancestors another site can show Ruam in
a frame and trick a facilitator into clicking "publish"; without a Referrer-Policy the address of a page,
invite code and all (/j/ABCD2345), goes to any site a link leads to.

Pages, /graphql (which skips the pages' middlewares), static files, error pages, redirects and the
operations addresses alike. The policy allows no inline script or style, so the templates must carry none:
htmx is told not to add its indicator style, and bars are drawn as SVG.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import httpx
import pytest

from server.app import create_app
from server.config import Settings
from server.database import unit_of_work
from server.deliberation.service import cast_vote
from server.rounds.service import move_phase
from tests.factories import make_clause, make_member
from tests.web.conftest import client, committed  # noqa: F401 -- fixtures, for this module
from tests.web.facilitation import my_round

TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"


def directives(answer: httpx.Response) -> dict[str, list[str]]:
    policy = answer.headers.get("content-security-policy", "")
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in policy.split(";")) if d}


def assert_protected(answer: httpx.Response) -> None:
    csp = directives(answer)
    where = f"{answer.request.method} {answer.request.url.path}"
    assert csp.get("default-src") == ["'self'"], where
    assert csp.get("script-src") == ["'self'"], where
    assert "'unsafe-inline'" not in csp.get("style-src", ["'unsafe-inline'"]), where
    assert csp.get("frame-ancestors") == ["'none'"], where
    assert csp.get("object-src") == ["'none'"] and csp.get("base-uri") == ["'none'"], where
    assert answer.headers.get("x-frame-options") == "DENY", where
    assert answer.headers.get("referrer-policy") in ("same-origin", "no-referrer"), where
    assert answer.headers.get("x-content-type-options") == "nosniff", where
    assert len(answer.headers.get_list("content-security-policy")) == 1, where


async def test_pages_api_files_errors_and_redirects_all_carry_the_headers(client, committed):
    answers = [
        await client.get("/"), await client.get("/join"), await client.get("/j/ABCD2345"),
        await client.get("/static/ruam.css"), await client.get("/static/htmx-2.0.11.min.js"),
        await client.get("/no/such/page"), await client.get("/drafts/not-an-id"),
        await client.get("/consent"),  # a redirect to /join, for nobody is signed in
        await client.post("/join", data={"code": "x"}),  # refused: no CSRF token
        await client.post("/graphql", json={"query": "{ __typename }"}),
        await client.get("/graphql", params={"query": "{ __typename }"}),
        await client.post("/graphql", content=b"{not json", headers={"content-type": "application/json"}),
        await client.get("/graphql", headers={"accept": "text/html"}),  # GraphiQL is off: 404
        await client.get("/healthz"),
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 200, 404, 404, 303, 403, 200, 200, 400, 404, 200]
    for answer in answers:
        assert_protected(answer)


async def test_the_live_page_draws_its_bars_without_inline_style(client, committed):
    round_, me = await my_round(client, committed)
    async with unit_of_work(committed) as session:
        members = [await make_member(session, round_) for _ in range(3)]
        clause = await make_clause(session, round_, text="รัฐจะจัดหาน้ำประปาให้ทุกหมู่บ้าน")
        await move_phase(session, me, round_.id, "deliberation")
        for member, choice in zip(members, ("agree", "agree", "disagree"), strict=True):
            await cast_vote(session, member, clause.id, choice)
    page = await client.get(f"/facilitate/{round_.slug}/live")
    assert page.status_code == 200 and "<svg" in page.text
    assert_protected(page)
    assert not re.search(r"\sstyle=", page.text) and "<style" not in page.text


def test_no_template_has_inline_script_style_or_handler():
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"\sstyle=|<style", text), template
        assert not re.search(r"<script(?![^>]*\ssrc=)", text), template
        assert not re.search(r"\son[a-z]+=|\shx-on|javascript:", text), template


def test_htmx_is_told_to_add_no_style_and_evaluate_nothing():
    config = re.search(r'name="htmx-config" content=\'([^\']+)\'', (TEMPLATES / "base.html").read_text())
    assert config and '"includeIndicatorStyles":false' in config.group(1) and '"allowEval":false' in config.group(1)


@pytest.fixture
async def debug_client(services, engine, redis, tmp_path):
    settings = dataclasses.replace(Settings.from_env({"DATA_DIR": str(tmp_path)}), debug=True,
                                   database_url=services.database_url, redis_url=services.redis_url)
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport,
                                                                  base_url="http://ruam.test") as debug:
        yield debug


async def test_graphiql_when_debugging_gets_what_it_loads_and_no_more(debug_client):
    ide = await debug_client.get("/graphql", headers={"accept": "text/html"})
    assert ide.status_code == 200 and "unpkg.com" in ide.text
    csp = directives(ide)
    assert "https://unpkg.com" in csp["script-src"] and csp["frame-ancestors"] == ["'none'"]
    assert ide.headers["x-frame-options"] == "DENY"
    assert_protected(await debug_client.post("/graphql", json={"query": "{ __typename }"}))
    assert_protected(await debug_client.get("/"))
