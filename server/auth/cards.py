"""Re-entry cards: a person's own code to come back in on another phone, or after the cookies are gone.

Participants have no e-mail and no password. After they consent at joining, each gets a card: a random code
from the invite codes' alphabet (read aloud and typed on phones), kept on paper or as a screenshot with its
QR code (PUBLIC_URL/card/CODE). As with invite codes only its hash is stored, so the plain code is shown
when it is made and never again; a new card is the way to a code that is lost.

A new card revokes the old one and ends every session of the person: it is made because the old card, or
the phone, may be in someone else's hands.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from server.auth import sessions
from server.auth.models import ReEntryCard
from server.auth.service import CODE_ALPHABET, hash_secret, normalise_code
from server.errors import Invalid, NotPermitted
from server.events.service import record
from server.i18n import N_
from server.people import queries, rules
from server.people.models import Participant
from server.people.service import get_participant

# 31 ** 10, about 50 bits: beyond guessing at the rate limit of the page that takes it (web/views/me.py)
CARD_LENGTH = 10
NOT_VALID = N_("This card does not work. Check the letters, or ask your facilitator for a new card.")


def grouped(code: str) -> str:
    """ABCDE-FGHJK: easier to read aloud and copy; the dash is ignored when it is typed back."""
    return f"{code[:5]}-{code[5:]}" if len(code) == CARD_LENGTH else code


async def standing_card(session: AsyncSession, participant_id: uuid.UUID) -> ReEntryCard | None:
    return await session.scalar(select(ReEntryCard).where(ReEntryCard.participant_id == participant_id,
                                                          ReEntryCard.revoked_at.is_(None)))


async def _issue(session: AsyncSession, actor: Participant, participant: Participant) -> str:
    plain = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CARD_LENGTH))
    session.add(ReEntryCard(participant_id=participant.id, code_hash=hash_secret(plain), issued_by_id=actor.id))
    await session.flush()
    return plain


async def first_card(session: AsyncSession, person: Participant) -> str | None:
    """A card for someone who has none (after consent at joining): its plain code; None if they have one."""
    if not rules.may_hold_a_card(person) or await standing_card(session, person.id) is not None:
        return None
    plain = await _issue(session, person, person)
    record(session, "card.issued", round_id=None, actor_id=person.id, subject_id=person.id)
    return plain


async def reissue(session: AsyncSession, actor: Participant, participant_id: uuid.UUID) -> tuple[Participant, str]:
    """A new card for the person (by themself, or by a facilitator of one of their rounds: rules.may_act_for);
    the old one stops working and every session of the person ends. Returns them and the plain code."""
    participant = await get_participant(session, participant_id)
    if not rules.may_hold_a_card(participant) or not await queries.may_act_for(session, actor, participant):
        raise NotPermitted(N_("Only the person, or a facilitator of one of their rounds, can make them a new card."))
    await session.execute(update(ReEntryCard).where(ReEntryCard.participant_id == participant.id,
                                                    ReEntryCard.revoked_at.is_(None))
                          .values(revoked_at=datetime.now(UTC)))
    sessions.end(participant)
    plain = await _issue(session, actor, participant)
    record(session, "card.issued", round_id=None, actor_id=actor.id, subject_id=participant.id, reissued=True)
    return participant, plain


async def sign_in_with_card(session: AsyncSession, code: str) -> Participant:
    """The person a card belongs to, if it still stands and they have not withdrawn."""
    normalised = normalise_code(code)
    row = None
    if len(normalised) == CARD_LENGTH:
        row = (await session.execute(
            select(ReEntryCard, Participant).join(Participant, Participant.id == ReEntryCard.participant_id)
            .where(ReEntryCard.code_hash == hash_secret(normalised), ReEntryCard.revoked_at.is_(None)))).first()
    if row is None or not rules.may_hold_a_card(row.Participant):
        invalid = Invalid()
        invalid.add("code", NOT_VALID)
        invalid.raise_if_any()
    assert row is not None  # raise_if_any raised for a card that does not stand
    card, person = row
    card.last_used_at = datetime.now(UTC)
    return person

