"""What a push says: the round and the kinds of news, nothing more. Never a name, a comment or a need of
someone else's; the phone's lock screen may be read by anyone holding it."""

from __future__ import annotations

import json
from collections.abc import Sequence

from server.i18n import N_, translate
from server.visits.news import News

KINDS = {
    "draft": N_("a new draft"),
    "clause": N_("a new clause"),
    "changed": N_("a clause has new words"),
    "amendment": N_("new words proposed for a clause"),
    "answered": N_("a clause answers your need"),
    "commitment": N_("news on a promise for your need"),
    "comments": N_("new comments"),
    "published": N_("the outcome is published"),
}
SHOWN = 3  # kinds named in one push; more are "and more"


def payload(locale: str, round_title: dict[str, str], slug: str, news: Sequence[News]) -> bytes:
    kinds = list(dict.fromkeys(n.kind for n in news if n.kind in KINDS))
    what = ", ".join(translate(KINDS[k], locale) for k in kinds[:SHOWN])
    if len(kinds) > SHOWN:
        what = translate(N_("{what} and more"), locale, what=what)
    title = round_title.get(locale) or next(iter(round_title.values()), "")
    return json.dumps({
        "title": translate(N_("Ruam"), locale),
        "body": translate(N_("New in {round}: {what}"), locale, round=title, what=what),
        "url": f"/rounds/{slug}",
        "tag": f"round-{slug}",  # a newer push about the round replaces the older one on the phone
    }, ensure_ascii=False).encode()
