"""Proxy entry at a meeting: who the input is from (once), then their needs, votes and comments.

A facilitator first records a proxy (a named member, a person met at the meeting who is not a
member yet, or "N people at meeting M") with how it was gathered and the consent given; every
input typed after that goes through the normal services with that proxy record, so the phase
rules and the audit trail are the same as for input people give themselves.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.deliberation.models import Comment, Vote
from server.deliberation.service import cast_vote
from server.drafts.models import CURRENT, Clause, Draft
from server.errors import Invalid, NotFound, NotPermitted
from server.i18n import N_
from server.needs.models import Need
from server.people.models import Participant
from server.people.service import create_participant, record_consent
from server.proxies.models import ProxyRecord
from server.proxies.service import record_proxy
from server.rounds.models import Membership, StakeholderGroup
from server.rounds.service import add_member

WHO = ("member", "new", "meeting")


@dataclass
class Sitting:
    """A proxy record with the person it stands for and what was entered under it."""

    proxy: ProxyRecord
    person: Participant | None
    needs: list[Need] = field(default_factory=list)
    votes: list[tuple[Vote, Clause]] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)

    @property
    def named(self) -> bool:
        return self.proxy.participant_id is not None


async def start_proxy(session: AsyncSession, actor: Participant, round_id: uuid.UUID, *, who: str,
                      method: str, consent: str, consent_note: str = "", participant_id: uuid.UUID | None = None,
                      name: str = "", group_key: str | None = None, people_count: int | None = None,
                      meeting: str | None = None) -> ProxyRecord:
    """`who`: "member" (participant_id), "new" (a person with `name` joins `group_key` now, with the
    consent given recorded as theirs) or "meeting" (people_count people at `meeting`)."""
    invalid = Invalid()
    invalid.check(who in WHO, "who", N_("Choose who this input is from."))
    if who == "member":
        invalid.check(participant_id is not None, "participant", N_("Choose the person."))
    invalid.raise_if_any()
    person = None
    if who == "new":
        person = await create_participant(session, actor, display_name=name)
        await add_member(session, actor, round_id, person.id, group_key=group_key or None)
        participant_id = person.id
    proxy = await record_proxy(
        session, actor, round_id, method=method, consent=consent, consent_note=consent_note,
        participant_id=participant_id if who != "meeting" else None,
        people_count=people_count if who == "meeting" else None, meeting=meeting if who == "meeting" else None)
    if person is not None:
        await record_consent(session, actor, person.id, purpose="data_processing", granted=True,
                             method=consent, proxy_id=proxy.id)
    return proxy


async def cast_votes(session: AsyncSession, actor: Participant, proxy: ProxyRecord,
                     choices: dict[uuid.UUID, str]) -> int:
    """Votes on several clauses for the proxy's person at once; returns how many were cast."""
    invalid = Invalid()
    invalid.check(bool(choices), "votes", N_("Choose agree, disagree or pass on at least one clause."))
    invalid.raise_if_any()
    for clause_id, choice in choices.items():
        await cast_vote(session, actor, clause_id, choice, proxy_id=proxy.id)
    return len(choices)


async def sitting(session: AsyncSession, actor: Participant, round_id: uuid.UUID, proxy_id: uuid.UUID) -> Sitting:
    """One of the actor's own proxy records in this round, with everything entered under it."""
    proxy = await session.get(ProxyRecord, proxy_id)
    if proxy is None or proxy.round_id != round_id:
        raise NotFound("proxy record", proxy_id)
    if proxy.entered_by_id != actor.id:
        raise NotPermitted(N_("Use a proxy record you made yourself."))
    person = await session.get(Participant, proxy.participant_id) if proxy.participant_id else None
    found = Sitting(proxy, person)
    found.needs = list(await session.scalars(select(Need).where(Need.proxy_id == proxy_id).order_by(Need.id.desc())))
    found.votes = list((await session.execute(
        select(Vote, Clause).join(Clause, Clause.id == Vote.clause_id).where(Vote.proxy_id == proxy_id)
        .order_by(Vote.updated_at.desc(), Vote.id.desc()))).all())
    found.comments = list(await session.scalars(select(Comment).where(Comment.proxy_id == proxy_id)
                                                .order_by(Comment.id.desc())))
    return found


async def recent_proxies(session: AsyncSession, actor: Participant, round_id: uuid.UUID, *, limit: int = 10
                         ) -> list[tuple[ProxyRecord, str | None]]:
    """The actor's latest proxy records in the round, with the named person's name, to carry on with."""
    rows = await session.execute(
        select(ProxyRecord, Participant.display_name)
        .outerjoin(Participant, Participant.id == ProxyRecord.participant_id)
        .where(ProxyRecord.round_id == round_id, ProxyRecord.entered_by_id == actor.id)
        .order_by(ProxyRecord.id.desc()).limit(limit * 5))
    # a person entered for several times is carried on with once, from their latest record
    latest: dict[object, tuple[ProxyRecord, str | None]] = {}
    for proxy, name in rows.all():
        latest.setdefault(proxy.participant_id or proxy.id, (proxy, name))
    return list(latest.values())[:limit]


async def members(session: AsyncSession, round_id: uuid.UUID) -> list[tuple[Participant, dict[str, str] | None]]:
    """The round's members who take part (not its facilitators), each once, with their group's name, by name."""
    rows = await session.execute(
        select(Participant, StakeholderGroup.name)
        .join(Membership, Membership.participant_id == Participant.id)
        .outerjoin(StakeholderGroup, StakeholderGroup.id == Membership.group_id)
        .where(Membership.round_id == round_id, Membership.facilitates.is_(False),
               Participant.withdrawn_at.is_(None))
        .order_by(Participant.display_name, Participant.id))
    return list(rows.all())


async def open_clauses(session: AsyncSession, round_id: uuid.UUID) -> list[tuple[Clause, Draft]]:
    """Current clauses of the round's open drafts, in reading order."""
    rows = await session.execute(
        select(Clause, Draft).join(Draft, Draft.id == Clause.draft_id)
        .where(Clause.round_id == round_id, Draft.status == "open", Clause.status == CURRENT)
        .order_by(Draft.created_at, Draft.id, Clause.position))
    return list(rows.all())
