"""Who is asking: a web session's participant or an API token's, with what scopes.

Adapters (web pages, GraphQL over HTTP or websocket) pass what the request carried; the
answer is the same whichever way someone arrived.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.models import SCOPES
from server.auth.service import authenticate_token
from server.errors import NotPermitted
from server.i18n import N_
from server.people.models import Participant

# A signed-in person on the web may do everything their role allows.
WEB_SCOPES = frozenset(SCOPES)


@dataclass(frozen=True)
class Identity:
    participant: Participant | None
    scopes: frozenset[str]
    via: str  # "session", "token" or "anonymous"

    def require(self, scope: str) -> Participant:
        """The participant, if signed in with `scope`; otherwise NotPermitted."""
        if self.participant is None:
            raise NotPermitted(N_("Please sign in first."))
        if scope not in self.scopes:
            raise NotPermitted(N_("This token does not allow {scope}."), scope=scope)
        return self.participant


ANONYMOUS = Identity(None, frozenset({"read"}), "anonymous")


async def identify(session: AsyncSession, *, bearer: str | None = None,
                   session_participant: str | None = None) -> Identity:
    if bearer:
        found = await authenticate_token(session, bearer)
        if found is None:
            raise NotPermitted(N_("This API token is unknown or revoked."))
        return Identity(found[0], found[1], "token")
    if session_participant:
        try:
            participant = await session.get(Participant, uuid.UUID(session_participant))
        except ValueError:
            participant = None
        if participant is not None and participant.withdrawn_at is None:
            return Identity(participant, WEB_SCOPES, "session")
    return ANONYMOUS
