"""What every facilitator page needs: the signed-in facilitator of the round, and htmx's two cases.

Reading a round's facilitator pages needs the same standing as changing it (rounds/access.py):
its facilitators and administrators. Someone not signed in is sent to sign in; anyone else gets
403 from the domain error handler.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import wraps
from urllib.parse import quote

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.errors import NotPermitted
from server.i18n import N_
from server.people.models import Participant
from server.people.rules import is_staff
from server.rounds.access import Standing, require_facilitator, standing
from server.rounds.models import Round
from server.rounds.service import find_round
from web.session import signed_in

View = Callable[[Request], Awaitable[Response]]

SIGN_IN = "/facilitate/sign-in"
# Thailand keeps one offset all year; times typed in forms are Thai local time.
THAI_TIME = timezone(timedelta(hours=7), "ICT")


class SignInFirst(Exception):
    """Nobody is signed in: the page sends them to sign in, then back."""


@dataclass(frozen=True)
class Facilitating:
    me: Participant
    round: Round
    standing: Standing


async def facilitator(request: Request, session: AsyncSession) -> Participant:
    """The signed-in person; whether they may do what they ask is for the services to say."""
    me = await signed_in(request, session)
    if me is None:
        raise SignInFirst
    return me


def require_staff(me: Participant) -> Participant:
    if not is_staff(me):
        raise NotPermitted(N_("Only facilitators and administrators can do that."))
    return me


async def facilitating(request: Request, session: AsyncSession,
                       round_: Round | None = None) -> Facilitating:
    """The signed-in person and the round (named in the path unless given), if they facilitate it."""
    me = await facilitator(request, session)
    round_ = round_ or await find_round(session, request.path_params["slug"])
    mine = await standing(session, round_.id, me)
    require_facilitator(mine)
    return Facilitating(me, round_, mine)


def signed(view: View) -> View:
    @wraps(view)
    async def guarded(request: Request) -> Response:
        try:
            return await view(request)
        except SignInFirst:
            back = request.url.path if request.method == "GET" else "/facilitate"
            return RedirectResponse(f"{SIGN_IN}?next={quote(back)}", status_code=303)

    return guarded


def is_htmx(request: Request) -> bool:
    """An htmx request that wants a fragment back (not a boosted link or form, which wants a page)."""
    return request.headers.get("hx-request") == "true" and request.headers.get("hx-boosted") != "true"


def refused(request: Request) -> int:
    """The status for a form sent back to be corrected: 422, but 200 for any htmx request (a boosted
    form too), because htmx swaps in no 4xx answer and the person must see what to correct."""
    return 200 if request.headers.get("hx-request") == "true" else 422


def fragment(request: Request, block: str) -> str | None:
    """The block to render alone for htmx; None for a boosted navigation, which swaps the whole body."""
    return None if request.headers.get("hx-boosted") == "true" else block


def local_time(text: str) -> datetime | None:
    """A datetime-local field (2026-11-25T14:30), in Thai time; None when empty; ValueError if garbled."""
    text = text.strip()
    return datetime.fromisoformat(text).replace(tzinfo=THAI_TIME) if text else None


def field_value(value: datetime | None) -> str:
    return value.astimezone(THAI_TIME).strftime("%Y-%m-%dT%H:%M") if value else ""
