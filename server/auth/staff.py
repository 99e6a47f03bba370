"""How facilitators and administrators sign in on the web: with an API token that has the
facilitate (or admin) scope, issued once by an administrator (`ruam token create --participant ID
--scopes facilitate`). The token is checked here and never kept in the browser: the web session
then carries only the person's id, as for participants who joined with an invite code.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.service import authenticate_token
from server.people.models import Participant

STAFF_ROLES = frozenset({"facilitator", "admin"})
STAFF_SCOPES = frozenset({"facilitate", "admin"})


async def staff_for_token(session: AsyncSession, plain: str) -> Participant | None:
    """The facilitator or administrator behind a valid token with a staff scope; otherwise None."""
    found = await authenticate_token(session, plain.strip())
    if found is None:
        return None
    participant, scopes = found
    if participant.role not in STAFF_ROLES or not scopes & STAFF_SCOPES:
        return None
    return participant
