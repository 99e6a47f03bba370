"""Every form and address that carries an id, sent something that is not one, or an id of nothing, or an id
of another round's thing, gets a page that says so: never a 500 (a stack trace in the log for anyone to
cause at will, and a person left with "something went wrong").

Every POST route of the pages is sent, as a member and as the round's facilitator, with every id field
the views read filled with each kind of junk, and the ids in its address too; the GET pages read ids from
their query the same way.
"""

from __future__ import annotations

import re
import uuid

import pytest
from starlette.routing import Route

from server.database import unit_of_work
from server.deliberation.service import post_comment
from server.proxies.entry import start_proxy
from server.rounds.service import move_phase
from tests.factories import make_clause, make_member, make_round
from tests.web.conftest import client, committed, csrf_of, join_round  # noqa: F401 -- fixtures, for this module
from tests.web.facilitation import my_round
from web.routes import routes

ID_FIELDS = ("clause_id", "parent_id", "amendment_id", "participant", "group_id", "comment_id", "proxy_id")
# what a form may carry besides, so that each view gets as far as reading its ids
FILLED = {"choice": "agree", "stance": "support", "body": "ดีมาก", "text": "ภายในหกเดือน", "kind": "comment",
          "who": "member", "method": "meeting", "consent": "verbal", "state": "hidden", "reason": "ซ้ำ",
          "agency": "กรมที่ดิน", "status": "pending", "delivered": "yes", "group": "villagers", "count": "1"}
SKIPPED = {"/facilitate/sign-in", "/facilitate/sign-out", "/sign-out", "/join", "/consent"}


def post_routes() -> list[str]:
    found = [r.path for r in routes() if isinstance(r, Route) and "POST" in (r.methods or ())]
    return [path for path in found if path not in SKIPPED]


def get_routes_with_ids() -> list[str]:
    """Pages whose address holds something other than a round's slug ({version:int} is a number or a 404)."""
    return [r.path for r in routes() if isinstance(r, Route) and "GET" in (r.methods or ())
            and re.search(r"\{(?!slug\})[a-z_]+\}", r.path)]


def address(template: str, slug: str, ids: dict[str, str], value: str) -> str:
    """The route's address with the round's slug, and each id either a real one (`ids`) or `value`."""
    return re.sub(r"\{([a-z_]+)\}", lambda m: slug if m.group(1) == "slug" else ids.get(m.group(1), value), template)


def junk(others: dict[str, str]) -> list[str]:
    return ["not-an-id", "1; DROP TABLE votes", "%00", "0" * 40, str(uuid.uuid4()), *others.values()]


async def others(committed) -> dict[str, str]:
    """Ids of real things in a round the caller has nothing to do with."""
    async with unit_of_work(committed) as session:
        round_ = await make_round(session)
        clause = await make_clause(session, round_, text="ข้อของรอบอื่น")
        member = await make_member(session, round_)
    return {"clause": str(clause.id), "member": str(member.id), "round": str(round_.id)}


async def send_everywhere(client, token: str, slug: str, real: dict[str, str], values: list[str]) -> list[str]:
    """Each value in the form's id fields, with the real ids in the address, then in the address too."""
    failed = []
    for template in post_routes():
        for value in values:
            data = {**FILLED, **dict.fromkeys(ID_FIELDS, value), f"vote-{value}": "agree", "csrf_token": token}
            for path in {address(template, slug, real, value), address(template, slug, {}, value)}:
                for kind in ("need", "vote", "comment"):
                    answer = await client.post(path, data={**data, "kind": kind})
                    if answer.status_code >= 500:
                        failed.append(f"POST {path} {value!r} kind={kind}: {answer.status_code}")
    return failed


@pytest.mark.parametrize("as_who", ["member", "facilitator"])
async def test_junk_ids_in_every_form_and_address_give_a_page(client, committed, as_who):
    other = await others(committed)
    if as_who == "member":
        round_, clause, _ = await join_round(client, committed)
        page = await client.get(f"/drafts/{clause.draft_id}")
        real = {"clause_id": str(clause.id)}
    else:
        round_, me = await my_round(client, committed)
        async with unit_of_work(committed) as session:
            member = await make_member(session, round_)
            clause = await make_clause(session, round_, text="รัฐจะจัดหาน้ำประปาให้ทุกหมู่บ้าน")
            await move_phase(session, me, round_.id, "deliberation")
            proxy = await start_proxy(session, me, round_.id, who="member", participant_id=member.id,
                                      method="meeting", consent="verbal")
            comment = await post_comment(session, member, clause_id=clause.id, stance="support", body="ดี")
        page = await client.get(f"/facilitate/{round_.slug}/proxy")
        real = {"clause_id": str(clause.id), "proxy_id": str(proxy.id), "comment_id": str(comment.id)}
    assert page.status_code == 200
    failed = await send_everywhere(client, csrf_of(page), round_.slug, real, junk(other))
    for value in junk(other):
        for template in get_routes_with_ids():
            answer = await client.get(address(template, round_.slug, {}, value))
            if answer.status_code >= 500:
                failed.append(f"GET {template} {value!r}: {answer.status_code}")
        for path in (f"/facilitate/{round_.slug}/proxy?proxy={value}&kind=vote",
                     f"/facilitate/{round_.slug}/moderation?before={value}", f"/rounds/{round_.slug}?checked={value}"):
            answer = await client.get(path)
            if answer.status_code >= 500:
                failed.append(f"GET {path}: {answer.status_code}")
    assert failed == []


async def test_the_forms_read_ids_through_one_function():
    """One rule for an id in a form, one for an id in an address, one for an id in a query (web/forms.py)."""
    from pathlib import Path

    views = Path(__file__).resolve().parents[2] / "web" / "views"
    copies = [str(p) for p in views.rglob("*.py") if re.search(r"uuid\.UUID\(", p.read_text())]
    assert copies == []
