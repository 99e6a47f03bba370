"""Web sessions, bound to what made them.

A web session is the signed cookie SessionMiddleware keeps (server/app.py). It says who signed in, the
person's session version at that moment, the staff token it was made with if any (integrators and some
facilitators sign in with one, server/auth/staff.py) or else whether staff signed in with their passphrase
or a personal link (server/staff/service.py), and when. The signature only proves that Ruam wrote it; whether it still
stands is asked of the database on every request (`resolve`: the pages, /graphql over HTTP and websockets,
photos), so that

- revoking the token a facilitator signed in with ends that session;
- signing out ends the session on the server, not only in the browser: a copy of the old cookie is refused;
- withdrawing ends every session of the person;
- a session made with a token lasts STAFF_HOURS from signing in, whatever the cookie's own age (the
  middleware's max_age is one for every cookie), and carries that token's scopes, not every scope;
- a staff session made with a passphrase or a personal link lasts STAFF_HOURS too, and carries the scopes
  of the person's role (ACCOUNT_SCOPES): a drafter's, like a participant's, holds no facilitate scope;
  revoking the account raises the person's version, which ends it;
- a participant's session (made by joining with an invite code) carries read and participate only.

Why a version per person rather than a table of sessions: every request already reads the person's row,
so comparing a number on it costs nothing more, and there is no table to grow, sweep or lose. Raising the
version ends all of that person's sessions at once, on every device: that is what someone signing out of a
shared phone in a village, or a facilitator whose laptop went missing, needs. What it cannot do is end one
device's session and keep the others; nobody has asked for that, and a table could be added if they do.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, MutableMapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.models import ADMIN, FACILITATE, PARTICIPATE, READ, ApiToken
from server.people.models import Participant
from server.people.rules import has_staff_account

KEY = "participant_id"  # who; web/photos.py also binds a photo kept between two tries of a form to it
VERSION = "session_version"
TOKEN = "token_id"  # noqa: S105 -- a session key's name, not a secret
ISSUED = "issued_at"  # whole seconds since the epoch
METHOD = "signed_in_with"  # a staff session made without a token: "passphrase" or "link"
FIELDS = (KEY, VERSION, TOKEN, ISSUED, METHOD)
METHODS = ("passphrase", "link")

STAFF_HOURS = timedelta(hours=12)  # a working day: a facilitator's session made with a token ends after it
PARTICIPANT_SCOPES = frozenset({READ, PARTICIPATE})
ACCOUNT_SCOPES = {"admin": frozenset({READ, PARTICIPATE, FACILITATE, ADMIN}),
                  "facilitator": frozenset({READ, PARTICIPATE, FACILITATE}),
                  "drafter": PARTICIPANT_SCOPES}


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Claim:
    """What a cookie says; believed only once `stands` agrees."""

    participant_id: uuid.UUID
    version: int | None  # None: written before sessions were bound (see `stands`)
    token_id: uuid.UUID | None
    issued_at: datetime | None
    method: str | None = None  # a staff session made without a token: how (METHODS)


def read(data: Mapping[str, Any]) -> Claim | None:
    """The claim in a session's data, or None when it names nobody (or was not written by us)."""
    try:
        participant_id = uuid.UUID(str(data[KEY]))
    except (KeyError, ValueError):
        return None
    version = data.get(VERSION)
    token_id = issued_at = None
    with suppress(ValueError, TypeError):
        token_id = uuid.UUID(str(data[TOKEN])) if data.get(TOKEN) else None
    with suppress(ValueError, TypeError, OverflowError):
        issued_at = datetime.fromtimestamp(int(data[ISSUED]), UTC) if data.get(ISSUED) is not None else None
    method = data.get(METHOD) if data.get(METHOD) in METHODS else None
    return Claim(participant_id, version if isinstance(version, int) else None, token_id, issued_at, method)


def begin(data: MutableMapping[str, Any], person: Participant, token: ApiToken | None = None,
          method: str | None = None) -> None:
    """Writes a new session for `person` into the session's data: made with `token`, or by `method` (METHODS)
    for staff signing in without one."""
    assert method is None or (method in METHODS and token is None)
    data.update({KEY: str(person.id), VERSION: person.session_version, TOKEN: str(token.id) if token else None,
                 ISSUED: int(now().timestamp()), METHOD: method})


def forget(data: MutableMapping[str, Any]) -> None:
    """Takes a session's claim out of its data (what else it holds, the CSRF token, stays)."""
    for name in FIELDS:
        data.pop(name, None)


def end(person: Participant) -> None:
    """Ends every web session of `person`, on every device (signing out, withdrawing)."""
    person.session_version += 1


def stands(claim: Claim, person: Participant | None, token: ApiToken | None, at: datetime) -> bool:
    """Does the session `claim` describes still stand, given the person and the token as they are now?"""
    if person is None or person.withdrawn_at is not None:
        return False
    if claim.version is None:
        # a cookie from before sessions were bound: a participant's, never ended since, is kept (joining was
        # their only way in); staff sign in again, with a token
        return claim.token_id is None and not has_staff_account(person) and person.session_version == 0
    if claim.version != person.session_version:
        return False
    if claim.token_id is None and claim.method is None:
        return not has_staff_account(person)  # staff sessions are made with a token, a passphrase or a link
    if claim.token_id is None:
        # a passphrase's or link's: staff only, for a working day; revoking the account raised the version
        return has_staff_account(person) and claim.issued_at is not None and at < claim.issued_at + STAFF_HOURS
    if token is None or token.participant_id != person.id or token.revoked_at is not None:
        return False
    return claim.issued_at is not None and at < claim.issued_at + STAFF_HOURS


def scopes(token: ApiToken | None, person: Participant | None = None, method: str | None = None) -> frozenset[str]:
    """What a standing session may do: its token's scopes, a staff account's by its role, or a participant's."""
    if token is not None:
        return frozenset(token.scopes)
    if method is not None and person is not None:
        return ACCOUNT_SCOPES.get(person.role, PARTICIPANT_SCOPES)
    return PARTICIPANT_SCOPES


async def resolve(session: AsyncSession, data: Mapping[str, Any]) -> tuple[Participant, frozenset[str]] | None:
    """The person behind a web session and its scopes, if it still stands; None otherwise."""
    claim = read(data)
    if claim is None:
        return None
    token = None
    if claim.token_id is None:
        person = await session.get(Participant, claim.participant_id)
    else:
        row = (await session.execute(
            select(Participant, ApiToken).select_from(Participant)
            .outerjoin(ApiToken, ApiToken.id == claim.token_id)
            .where(Participant.id == claim.participant_id))).first()
        person, token = row if row is not None else (None, None)
    if not stands(claim, person, token, now()):
        return None
    assert person is not None
    return person, scopes(token, person, claim.method)
