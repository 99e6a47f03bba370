"""Staff accounts: an administrator's one-time invitations, the passphrase or personal sign-in link the
invited person chooses, signing in with either, revoking, and the rounds an administrator gives.

Only administrators manage staff (server/people/rules.py active_admin); `actor` None is the system itself:
`ruam admin invite`, for the first administrator of an installation. Each link works once, for 7 days
(server/staff/rules.py), and only its hash is kept.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from server import validation
from server.auth import sessions
from server.auth.models import ApiToken
from server.auth.service import hash_secret
from server.config import LOCALES
from server.errors import Invalid, NotFound, NotPermitted, ValidationError
from server.events.service import record
from server.i18n import N_
from server.people.models import Organisation, Participant
from server.people.rules import active, active_admin, has_staff_account, is_admin, is_drafter, is_staff
from server.people.service import create_organisation, create_participant
from server.rounds.models import Membership, Round
from server.staff import passphrases
from server.staff.models import StaffAccount, StaffLink
from server.staff.rules import INVITABLE, LINK_LIFE, REVOKED, STAFF_ORGANISATION_KINDS, USED, refusal

METHODS = ("passphrase", "link")  # how an invited person chooses to sign in (server/auth/sessions.py METHODS)
ONLY_ADMINS = N_("Only administrators can do that.")
NAME_TAKEN = N_("Another member of staff signs in with this name. Add something that tells you apart, for "
                "example your organisation: Somchai (Land Department).")


@dataclass(frozen=True)
class NewOrganisation:
    """An organisation made in the same form as the invitation."""

    name_th: str
    name_en: str
    kind: str


@dataclass(frozen=True)
class Joined:
    person: Participant
    method: str
    sign_in_link: str | None  # the plain personal link, shown once, for someone who chose links


def _now() -> datetime:
    return datetime.now(UTC)


def _require_admin(actor: Participant | None) -> None:
    if actor is not None and not active_admin(actor):
        raise NotPermitted(ONLY_ADMINS)


def _refuse(field: str, message: str) -> ValidationError:
    invalid = Invalid()
    invalid.add(field, message)
    return ValidationError(invalid.fields)


async def _new_link(session: AsyncSession, purpose: str, created_by: Participant | None, **values: object
                    ) -> tuple[StaffLink, str]:
    plain = secrets.token_urlsafe(24)
    link = StaffLink(purpose=purpose, link_hash=hash_secret(plain), expires_at=_now() + LINK_LIFE,
                     created_by_id=created_by.id if created_by else None, **values)
    session.add(link)
    await session.flush()
    return link, plain


async def invite(session: AsyncSession, actor: Participant | None, *, role: str,
                 organisation_id: uuid.UUID | None = None, new_organisation: NewOrganisation | None = None,
                 round_ids: list[uuid.UUID] | None = None) -> tuple[StaffLink, str]:
    """A one-time invitation to become a facilitator or drafter of `organisation` in the rounds given (an
    administrator, from the command line only). Returns the link's row and its plain secret, shown once."""
    _require_admin(actor)
    invalid = Invalid()
    validation.choice(invalid, "role", role, (*INVITABLE, "admin") if actor is None else INVITABLE)
    if new_organisation is not None:
        validation.choice(invalid, "organisation_kind", new_organisation.kind, STAFF_ORGANISATION_KINDS)
    elif organisation_id is not None:
        if await session.get(Organisation, organisation_id) is None:
            invalid.add("organisation", validation.CHOOSE_EXISTING)
    elif role in INVITABLE:
        invalid.add("organisation", N_("Choose the ministry or organisation they work for, or add a new one."))
    wanted = sorted(set(round_ids or [])) if role in INVITABLE else []
    found = set(await session.scalars(select(Round.id).where(Round.id.in_(wanted)))) if wanted else set()
    invalid.check(found == set(wanted), "rounds", validation.CHOOSE_EXISTING)
    if new_organisation is not None and actor is not None and not invalid.fields:
        try:
            organisation_id = (await create_organisation(session, actor, name_th=new_organisation.name_th,
                                                         name_en=new_organisation.name_en,
                                                         kind=new_organisation.kind)).id
        except ValidationError as error:
            invalid.fields.update({f"organisation_{name}": message for name, message in error.fields.items()})
    invalid.raise_if_any()
    link, plain = await _new_link(session, "invitation", actor, role=role, organisation_id=organisation_id,
                                  round_ids=wanted)
    record(session, "staff.invited", round_id=None, actor_id=actor.id if actor else None, subject_id=link.id,
           role=role, rounds=len(wanted))
    return link, plain


async def _link(session: AsyncSession, plain: str, purpose: str) -> StaffLink:
    """The usable link behind `plain`, or a ValidationError on "link" saying why it cannot be used."""
    link = None
    if validation.usable(plain) and 0 < len(plain) <= 100:
        link = await session.scalar(select(StaffLink).where(StaffLink.link_hash == hash_secret(plain),
                                                            StaffLink.purpose == purpose))
    reason = refusal(link, _now())
    if reason is not None:
        raise _refuse("link", reason)
    assert link is not None
    return link


async def invitation(session: AsyncSession, plain: str) -> StaffLink:
    """The invitation behind a link, while it can be taken up; otherwise why not (ValidationError on "link")."""
    return await _link(session, plain, "invitation")


async def _use(session: AsyncSession, link: StaffLink) -> None:
    """Marks the link used, atomically: two people racing with one link cannot both get in."""
    now = _now()
    used = await session.scalar(
        update(StaffLink).where(StaffLink.id == link.id, StaffLink.used_at.is_(None),
                                StaffLink.revoked_at.is_(None), StaffLink.expires_at > now)
        .values(used_at=now).returning(StaffLink.id))
    if used is None:
        raise _refuse("link", USED)
    link.used_at = now


async def accept_invitation(session: AsyncSession, plain: str, *, display_name: str, method: str,
                            passphrase: str = "", confirm: str = "", locale: str = "th") -> Joined:
    """The invited person's account, in the invitation's role, organisation and rounds. They sign in with a
    passphrase, or by personal one-time links (the first is made now; an administrator makes the next)."""
    link = await invitation(session, plain)
    invalid = Invalid()
    name = validation.text(invalid, "display_name", display_name, max_length=120)
    validation.choice(invalid, "method", method, METHODS)
    validation.choice(invalid, "locale", locale, LOCALES)
    if method == "passphrase":
        passphrases.check(invalid, passphrase, confirm)
    if name and "display_name" not in invalid.fields and await session.scalar(
            select(StaffAccount.participant_id).where(StaffAccount.sign_in_name == passphrases.fold(name))):
        invalid.add("display_name", NAME_TAKEN)
    invalid.raise_if_any()
    hashed = await passphrases.hash_passphrase(passphrase) if method == "passphrase" else None
    await _use(session, link)
    assert link.role is not None  # every invitation names one (ck_staff_links_role, and invite)
    person = await create_participant(session, None, display_name=name, role=link.role, locale=locale,
                                      organisation_id=link.organisation_id)
    session.add(StaffAccount(participant_id=person.id, sign_in_name=passphrases.fold(name), passphrase_hash=hashed,
                             created_by_id=link.created_by_id))
    link.participant_id = person.id
    await session.flush()
    for round_id in link.round_ids:
        if await session.get(Round, round_id) is not None:  # a round deleted since is skipped
            await _give(session, person, round_id)
    record(session, "staff.joined", round_id=None, actor_id=person.id, subject_id=link.id, role=link.role,
           method=method)
    sign_in_link = None
    if method == "link":
        _, sign_in_link = await _new_link(session, "sign_in", None, participant_id=person.id)
    return Joined(person, method, sign_in_link)


async def sign_in_with_passphrase(session: AsyncSession, who: str, passphrase: str) -> Participant | None:
    """The member of staff whose sign-in name (or account id) is `who` and whose passphrase this is; None
    otherwise, whatever the reason, so that a wrong try tells nothing about which names exist."""
    account = None
    if validation.usable(who) and len(who) <= 120:
        account = await session.scalar(select(StaffAccount).where(StaffAccount.sign_in_name == passphrases.fold(who)))
        if account is None:
            try:
                account = await session.get(StaffAccount, uuid.UUID(who.strip()))
            except ValueError:
                pass
    if not validation.usable(passphrase):
        passphrase = ""
    right = await passphrases.matches(account.passphrase_hash if account else None, passphrase)
    if not right or account is None or account.revoked_at is not None:
        return None
    person = await session.get(Participant, account.participant_id)
    if person is None or not active(person) or not has_staff_account(person):
        return None
    if account.passphrase_hash and passphrases.outdated(account.passphrase_hash):
        account.passphrase_hash = await passphrases.hash_passphrase(passphrase)
    return person


async def sign_in_link(session: AsyncSession, plain: str) -> StaffLink:
    """The personal sign-in link behind `plain`, while it can be used; otherwise why not."""
    return await _link(session, plain, "sign_in")


async def sign_in_with_link(session: AsyncSession, plain: str) -> Participant:
    """The person a personal sign-in link is for; the link is used up."""
    link = await sign_in_link(session, plain)
    account = await session.get(StaffAccount, link.participant_id)
    person = await session.get(Participant, link.participant_id)
    if account is None or account.revoked_at is not None or person is None or not active(person):
        raise _refuse("link", REVOKED)
    await _use(session, link)
    return person


async def _account(session: AsyncSession, participant_id: uuid.UUID) -> tuple[Participant, StaffAccount | None]:
    person = await session.get(Participant, participant_id)
    if person is None or not has_staff_account(person):
        raise NotFound("staff member", participant_id)
    return person, await session.get(StaffAccount, participant_id)


async def _cancel_links(session: AsyncSession, participant_id: uuid.UUID) -> None:
    await session.execute(update(StaffLink).where(
        StaffLink.participant_id == participant_id, StaffLink.purpose == "sign_in", StaffLink.used_at.is_(None),
        StaffLink.revoked_at.is_(None)).values(revoked_at=_now()))


async def issue_sign_in_link(session: AsyncSession, actor: Participant, participant_id: uuid.UUID
                             ) -> tuple[StaffLink, str]:
    """A new personal sign-in link; any earlier one not yet used stops working."""
    _require_admin(actor)
    person, account = await _account(session, participant_id)
    if account is None or account.revoked_at is not None or not active(person):
        raise NotPermitted(N_("This account has been revoked or has no sign-in of its own; invite them again."))
    await _cancel_links(session, person.id)
    link, plain = await _new_link(session, "sign_in", actor, participant_id=person.id)
    record(session, "staff.sign_in_link_issued", round_id=None, actor_id=actor.id, subject_id=person.id)
    return link, plain


async def revoke(session: AsyncSession, actor: Participant, participant_id: uuid.UUID) -> Participant:
    """Ends the account: its passphrase and links stop working, its API tokens are revoked and every session it
    has ends now."""
    _require_admin(actor)
    if actor.id == participant_id:
        raise NotPermitted(N_("You cannot revoke your own account. Ask another administrator."))
    person, account = await _account(session, participant_id)
    now = _now()
    if account is not None and account.revoked_at is None:
        account.revoked_at = now
    await _cancel_links(session, person.id)
    await session.execute(update(ApiToken).where(ApiToken.participant_id == person.id, ApiToken.revoked_at.is_(None))
                          .values(revoked_at=now))
    sessions.end(person)
    await session.flush()
    record(session, "staff.revoked", round_id=None, actor_id=actor.id, subject_id=person.id)
    return person


def _may_be_given_rounds(person: Participant) -> None:
    if is_admin(person):
        raise NotPermitted(N_("Administrators take part in every round already."))


async def _give(session: AsyncSession, person: Participant, round_id: uuid.UUID) -> Membership:
    membership = await session.get(Membership, (round_id, person.id))
    if membership is None:
        membership = Membership(round_id=round_id, participant_id=person.id)
        session.add(membership)
    membership.facilitates = is_staff(person)
    membership.drafts = is_drafter(person)
    await session.flush()
    return membership


async def give_round(session: AsyncSession, actor: Participant, participant_id: uuid.UUID,
                     round_id: uuid.UUID) -> Membership:
    """Makes a facilitator facilitate the round, or a drafter draft for it."""
    _require_admin(actor)
    person, account = await _account(session, participant_id)
    _may_be_given_rounds(person)
    if account is not None and account.revoked_at is not None:
        raise NotPermitted(N_("This account has been revoked or has no sign-in of its own; invite them again."))
    if await session.get(Round, round_id) is None:
        raise NotFound("round", round_id)
    membership = await _give(session, person, round_id)
    record(session, "staff.round_given", round_id=None, actor_id=actor.id, subject_id=person.id,
           given_round_id=str(round_id))
    return membership


async def take_round(session: AsyncSession, actor: Participant, participant_id: uuid.UUID,
                     round_id: uuid.UUID) -> None:
    """The person no longer facilitates or drafts for the round; a place in one of its groups stays."""
    _require_admin(actor)
    person, _ = await _account(session, participant_id)
    _may_be_given_rounds(person)
    membership = await session.get(Membership, (round_id, person.id))
    if membership is None:
        raise NotFound("round", round_id)
    if membership.group_id is None:
        await session.execute(delete(Membership).where(Membership.round_id == round_id,
                                                       Membership.participant_id == person.id))
    else:
        membership.facilitates = membership.drafts = False
    await session.flush()
    record(session, "staff.round_taken", round_id=None, actor_id=actor.id, subject_id=person.id,
           taken_round_id=str(round_id))
