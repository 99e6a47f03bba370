"""How facilitators and administrators sign in on the web: with an API token that has the
facilitate (or admin) scope, issued once by an administrator (`ruam token create --participant ID
--scopes facilitate`). The token is checked here and never kept in the browser: the web session
then carries the person's id and the token's id, and ends when the token is revoked
(server/auth/sessions.py).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.models import ADMIN, FACILITATE, ApiToken
from server.auth.service import authenticate
from server.people.models import Participant
from server.people.rules import is_staff

STAFF_SCOPES = frozenset({FACILITATE, ADMIN})


async def staff_for_token(session: AsyncSession, plain: str) -> tuple[Participant, ApiToken] | None:
    """The facilitator or administrator behind a valid token with a staff scope, and that token; otherwise
    None."""
    found = await authenticate(session, plain.strip())
    if found is None:
        return None
    token, person = found
    if not is_staff(person) or not set(token.scopes) & STAFF_SCOPES:
        return None
    return person, token
