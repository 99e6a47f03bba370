"""Who is signed in on the web: the signed session cookie, as server/auth/sessions.py resolves it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from server.auth import sessions
from server.auth.identity import identify
from server.auth.models import ApiToken
from server.people.models import Participant

KEY = sessions.KEY
PENDING_CARD = "card_code"  # a new re-entry card's plain code, until its person has kept it (web/views/card.py)


async def signed_in(request: Request, session: AsyncSession) -> Participant | None:
    identity = await identify(session, web_session=request.session)
    if identity.participant is None:
        if KEY in request.session:
            sessions.forget(request.session)  # ended (signed out elsewhere, revoked, withdrawn, too old)
            request.session.pop(PENDING_CARD, None)
        return None
    request.state.me = identity.participant
    # read now: a page may be drawn after its unit of work rolled back, when the row can no longer load
    request.state.role = identity.participant.role
    return identity.participant


def sign_in(request: Request, participant: Participant, token: ApiToken | None = None,
            method: str | None = None) -> None:
    request.session.clear()  # a new identity gets a new CSRF token too
    sessions.begin(request.session, participant, token, method)


def sign_out(request: Request, me: Participant | None) -> None:
    """Ends the session here and on the server: the cookie, if copied, is refused from now on."""
    if me is not None:
        sessions.end(me)
    request.session.clear()
