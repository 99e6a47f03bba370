"""Issuing, checking and revoking API tokens; invite codes and joining a round with one."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from server import validation
from server.auth.models import SCOPES, ApiToken, InviteCode
from server.config import LOCALES
from server.errors import Invalid, NotFound, NotPermitted
from server.events.service import record
from server.i18n import N_
from server.people.models import Participant
from server.people.rules import active_admin, joins_as_themself
from server.people.service import create_participant, get_participant
from server.rounds.access import require_facilitator, standing
from server.rounds.models import Membership, Round
from server.rounds.service import NO_GROUP, group_by_key

TOKEN_PREFIX = "ruam_"  # noqa: S105 -- the prefix every token shows, not a secret
# Invite codes are read aloud and typed on phones: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def hash_secret(secret: str) -> str:
    """How a token or invite code is stored: only its hash."""
    return hashlib.sha256(secret.encode()).hexdigest()


def bearer_hash(plain: str) -> str | None:
    """The stored hash of a bearer token, or None when it cannot be one of ours (so is looked up nowhere)."""
    if not plain.startswith(TOKEN_PREFIX) or not validation.usable(plain):
        return None
    return hash_secret(plain)


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch in CODE_ALPHABET)


async def create_token(session: AsyncSession, actor: Participant | None, participant_id: uuid.UUID, *,
                       name: str, scopes: list[str]) -> tuple[ApiToken, str]:
    """Returns the token row and the plain token, which is never stored and shown only now."""
    if actor is not None and not active_admin(actor):
        raise NotPermitted(N_("Only administrators can do that."))
    participant = await get_participant(session, participant_id)
    invalid = Invalid()
    name = validation.text(invalid, "name", name, max_length=120)
    unknown = sorted(set(scopes) - set(SCOPES))
    invalid.check(bool(scopes) and not unknown, "scopes", N_("Choose one of: {choices}."),
                  choices=", ".join(SCOPES))
    invalid.raise_if_any()
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(participant_id=participant.id, name=name, token_hash=hash_secret(plain),
                     scopes=sorted(set(scopes)), created_by_id=actor.id if actor else None)
    session.add(token)
    await session.flush()
    record(session, "token.created", round_id=None, actor_id=actor.id if actor else None, subject_id=token.id,
           participant_id=participant.id, scopes=token.scopes)
    return token, plain


async def revoke_token(session: AsyncSession, actor: Participant | None, token_id: uuid.UUID) -> ApiToken:
    token = await session.get(ApiToken, token_id)
    if token is None:
        raise NotFound("token", token_id)
    if actor is not None and not active_admin(actor) and actor.id != token.participant_id:
        raise NotPermitted(N_("Only administrators can do that."))
    token.revoked_at = token.revoked_at or datetime.now(UTC)
    await session.flush()
    record(session, "token.revoked", round_id=None, actor_id=actor.id if actor else None, subject_id=token.id)
    return token


async def authenticate(session: AsyncSession, plain: str) -> tuple[ApiToken, Participant] | None:
    """The token behind a bearer secret, and its person; None for an unknown or revoked token, or a withdrawn
    person."""
    hashed = bearer_hash(plain)
    if hashed is None:
        return None
    row = (await session.execute(
        select(ApiToken, Participant).join(Participant, Participant.id == ApiToken.participant_id)
        .where(ApiToken.token_hash == hashed, ApiToken.revoked_at.is_(None))
    )).first()
    if row is None or row.Participant.withdrawn_at is not None:
        return None
    return row.ApiToken, row.Participant


async def authenticate_token(session: AsyncSession, plain: str) -> tuple[Participant, frozenset[str]] | None:
    """The participant and scopes behind a bearer token, or None for an unknown or revoked one."""
    found = await authenticate(session, plain)
    return (found[1], frozenset(found[0].scopes)) if found is not None else None


async def create_invites(session: AsyncSession, actor: Participant, round_id: uuid.UUID, *, group_key: str,
                         count: int = 1, max_uses: int = 1, expires_at: datetime | None = None
                         ) -> list[tuple[InviteCode, str]]:
    """Invite codes for one group of a round; the plain codes are returned once, for printing."""
    require_facilitator(await standing(session, round_id, actor))
    invalid = Invalid()
    validation.whole_number(invalid, "count", count, minimum=1, maximum=500)
    validation.whole_number(invalid, "max_uses", max_uses, minimum=1, maximum=10_000)
    group = await group_by_key(session, round_id, group_key)
    if group is None:
        invalid.add("group", NO_GROUP, name=validation.shown(group_key, 40))
    invalid.raise_if_any()
    assert group is not None  # raise_if_any raised for a missing one
    made = []
    for _ in range(count):
        plain = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        invite = InviteCode(round_id=round_id, group_id=group.id, code_hash=hash_secret(plain), created_by_id=actor.id,
                            max_uses=max_uses, expires_at=expires_at)
        session.add(invite)
        made.append((invite, plain))
    await session.flush()
    record(session, "invites.created", round_id=round_id, actor_id=actor.id, subject_id=group.id,
           group=group_key, count=count, max_uses=max_uses)
    return made


async def invite_round(session: AsyncSession, code: str) -> Round | None:
    """The round an invitation code is for, used up or not (to send someone who joined with it there)."""
    return await session.scalar(select(Round).join(InviteCode, InviteCode.round_id == Round.id)
                                .where(InviteCode.code_hash == hash_secret(normalise_code(code))))


async def join_with_invite(session: AsyncSession, code: str, *, display_name: str = "", locale: str = "th",
                           person: Participant | None = None) -> Participant:
    """A member of the invite's round and group: `person`, the participant already signed in, so that one
    person keeps one identity and all their input across rounds (rules.joins_as_themself); otherwise a new
    participant. The use is counted atomically, so a single-use code cannot admit two people racing for it,
    and only when a membership is made: someone already in the round is only sent there."""
    person = person if person is not None and joins_as_themself(person) else None
    invalid = Invalid()
    name = validation.text(invalid, "display_name", display_name, max_length=120) if person is None else ""
    validation.choice(invalid, "locale", locale, LOCALES)
    invalid.raise_if_any()
    if person is not None and await session.scalar(
            select(Membership).join(InviteCode, InviteCode.round_id == Membership.round_id)
            .where(InviteCode.code_hash == hash_secret(normalise_code(code)),
                   Membership.participant_id == person.id)) is not None:
        return person
    now = datetime.now(UTC)
    invite: InviteCode | None = await session.scalar(
        update(InviteCode)
        .where(InviteCode.code_hash == hash_secret(normalise_code(code)), InviteCode.revoked_at.is_(None),
               InviteCode.uses < InviteCode.max_uses,
               (InviteCode.expires_at.is_(None)) | (InviteCode.expires_at > now))
        .values(uses=InviteCode.uses + 1)
        .returning(InviteCode)
    )
    if invite is None:
        invalid.add("code", await _unusable(session, code, now))
        invalid.raise_if_any()
    assert invite is not None  # raise_if_any raised for an unusable code
    participant = person or await create_participant(session, None, display_name=name, locale=locale)
    session.add(Membership(round_id=invite.round_id, participant_id=participant.id, group_id=invite.group_id))
    await session.flush()
    record(session, "membership.joined", round_id=invite.round_id, actor_id=participant.id,
           subject_id=participant.id, invite_id=invite.id)
    return participant


UNKNOWN_CODE = N_("We do not know this code. Check each letter and number, and type it again.")
USED_UP = N_("This code has been used as many times as it can be. Ask the facilitator for a new code.")
EXPIRED = N_("This code has expired. Ask the facilitator for a new code.")
WITHDRAWN = N_("This code was withdrawn. Ask the facilitator for a new code.")


async def _unusable(session: AsyncSession, code: str, now: datetime) -> str:
    """Why a code admitted no one: a typing mistake is fixed by typing again, a spent code only by a new one."""
    invite = await session.scalar(select(InviteCode).where(InviteCode.code_hash == hash_secret(normalise_code(code))))
    if invite is None:
        return UNKNOWN_CODE
    if invite.revoked_at is not None:
        return WITHDRAWN
    if invite.expires_at is not None and invite.expires_at <= now:
        return EXPIRED
    return USED_UP
