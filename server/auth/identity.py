"""Who is asking: a web session's participant or an API token's, with what scopes.

Adapters (web pages, GraphQL over HTTP or websocket) pass what the request carried; the
answer is the same whichever way someone arrived.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from server.auth import sessions
from server.auth.service import authenticate_token
from server.errors import NotPermitted
from server.i18n import N_
from server.people.models import Participant


@dataclass(frozen=True)
class Identity:
    participant: Participant | None
    scopes: frozenset[str]
    via: str  # "session", "token" or "anonymous"

    def require(self, scope: str) -> Participant:
        """The participant, if signed in with `scope`; otherwise NotPermitted."""
        if self.participant is None:
            raise NotPermitted(N_("Please sign in first."))
        require_scope(self.scopes, scope)
        return self.participant


def require_scope(scopes: frozenset[str], scope: str) -> None:
    if scope not in scopes:
        raise NotPermitted(N_("This token does not allow {scope}."), scope=scope)


ANONYMOUS = Identity(None, frozenset({"read"}), "anonymous")


async def identify(session: AsyncSession, *, bearer: str | None = None,
                   web_session: Mapping[str, Any] | None = None) -> Identity:
    """A bearer token, else the web session's data (server/auth/sessions.py), else nobody."""
    if bearer:
        found = await authenticate_token(session, bearer)
        if found is None:
            raise NotPermitted(N_("This API token is unknown or revoked."))
        return Identity(found[0], found[1], "token")
    if web_session and (standing := await sessions.resolve(session, web_session)) is not None:
        return Identity(*standing, "session")
    return ANONYMOUS
