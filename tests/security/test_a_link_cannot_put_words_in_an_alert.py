"""A draft page shows what went wrong with the reader's own vote, comment or proposed wording in a red alert
box. That text came from the address (?notice=...), so anyone could send a member a link to a real draft
of a real round saying, in Ruam's own alert, "Your vote was removed: call 08x-xxx-xxxx" or "This round is
cancelled". Now the message travels in the signed session cookie, which only the server writes, and is
shown once; what an address says is never shown."""

from __future__ import annotations

import re
from urllib.parse import quote

from server.i18n import translate
from tests.web.conftest import client, committed, csrf_of, join_round  # noqa: F401 -- fixtures, for this module

FORGED = "Your vote was removed. Call 081-234-5678 to restore it."
EMPTY = translate("This field cannot be empty.", "th")  # what an empty comment is told
CHOOSE = translate("Choose one of the options.", "th")  # what a vote for no known wording is told


def alerts(html: str) -> list[str]:
    return re.findall(r'role="alert"[^>]*>(.*?)</', html, re.DOTALL)


async def test_a_link_with_words_in_it_shows_none_of_them(client, committed):
    _, clause, _ = await join_round(client, committed)
    for name in ("notice", "error", "message"):
        page = await client.get(f"/drafts/{clause.draft_id}?{name}={quote(FORGED)}")
        assert page.status_code == 200
        assert "081-234-5678" not in page.text and alerts(page.text) == []


async def test_what_went_wrong_is_still_said_once_above_the_draft(client, committed):
    _, clause, _ = await join_round(client, committed)
    page = await client.get(f"/drafts/{clause.draft_id}")
    # a refused comment comes back at once, in its own form: nothing of it travels in an address
    sent = await client.post(f"/clauses/{clause.id}/comments", data={"stance": "oppose", "body": " ",
                                                                     "csrf_token": csrf_of(page)})
    assert sent.status_code == 422 and alerts(sent.text) == [EMPTY]
    assert alerts((await client.get(f"/drafts/{clause.draft_id}")).text) == []
    # a vote sent without JavaScript goes back to the draft: its message in the session, said once
    voted = await client.post(f"/clauses/{clause.id}/vote", data={"choice": "agree", "amendment_id": "x",
                                                                  "csrf_token": csrf_of(page)})
    assert voted.status_code == 303
    back = voted.headers["location"]
    assert back == f"/drafts/{clause.draft_id}#clause-{clause.id}"  # nothing but where to go
    assert alerts((await client.get(back)).text) == [CHOOSE]
    assert alerts((await client.get(back)).text) == []  # once


async def test_a_message_for_one_draft_is_not_shown_on_another(client, committed):
    _, clause, _ = await join_round(client, committed)
    _, other, _ = await join_round(client, committed)
    page = await client.get(f"/drafts/{clause.draft_id}")
    await client.post(f"/clauses/{clause.id}/vote", data={"choice": "agree", "amendment_id": "x",
                                                          "csrf_token": csrf_of(page)})
    assert alerts((await client.get(f"/drafts/{other.draft_id}")).text) == []
    assert alerts((await client.get(f"/drafts/{clause.draft_id}")).text) == [CHOOSE]
