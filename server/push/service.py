"""Subscribing a phone, and working out which phones to tell of which round's news.

The outbox relay calls `ask` for the news events it publishes, in its own transaction; the worker's push
loop `take`s due rounds in a transaction of their own (so the relay never waits on a plan), then `plan`s
each: for every member with a subscribed phone, the same news the round's home would list for them
(server/visits/news.py), counted from whichever is later of their last visit and their last push. A
person is pushed about a round at most once per COALESCE; news meanwhile waits for the next push.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from server.errors import Invalid
from server.i18n import N_
from server.people.models import Participant
from server.push import rules, wording
from server.push.keys import unb64url
from server.push.models import PushMark, PushSubscription
from server.rounds.access import standing
from server.rounds.models import Membership, Round
from server.validation import web_address
from server.visits.news import audience_of, news_since
from server.visits.service import last_visit

COALESCE = timedelta(minutes=10)
PHONES_KEPT = 5  # a person's newest subscriptions; an older phone is forgotten when a sixth subscribes
RETRY_PLAN = timedelta(seconds=30)  # a round whose plan failed is taken again after this long

_ASK = text("""
    INSERT INTO push_due AS d (round_id, due_at)
    SELECT round_id, CAST(:at AS timestamptz) FROM unnest(CAST(:rounds AS uuid[])) AS a(round_id)
    WHERE EXISTS (SELECT 1 FROM memberships m JOIN push_subscriptions s ON s.participant_id = m.participant_id
                  WHERE m.round_id = a.round_id)  -- a round where no phone listens has no one to tell
    ORDER BY round_id  -- rows locked in one order by every relay: no deadlock between two of them
    ON CONFLICT (round_id) DO UPDATE SET due_at = least(d.due_at, excluded.due_at)
""")
_TAKE = text("""
    DELETE FROM push_due WHERE round_id IN (
        SELECT round_id FROM push_due WHERE due_at <= now() ORDER BY due_at LIMIT :limit FOR UPDATE SKIP LOCKED)
    RETURNING round_id
""")


def _key(invalid: Invalid, field: str, value: str, size: int) -> str:
    try:
        ok = len(unb64url(value)) == size and value.isascii()
    except ValueError:
        ok = False
    invalid.check(ok, field, N_("This phone sent a key Ruam cannot use. Reload the page and try again."))
    return value


async def subscribe(session: AsyncSession, me: Participant, endpoint: str, p256dh: str, auth: str
                    ) -> PushSubscription:
    """This phone, for this person. A phone subscribed before by someone else (a shared phone) is now
    theirs alone: the newer sign-in chose it."""
    invalid = Invalid()
    endpoint = web_address(invalid, "endpoint", endpoint, max_length=1000)
    if "endpoint" not in invalid.fields:
        invalid.check(rules.endpoint_allowed(endpoint), "endpoint",
                      N_("This phone's browser cannot receive notices from Ruam."))
    _key(invalid, "p256dh", (p256dh or "").strip(), 65)
    _key(invalid, "auth", (auth or "").strip(), 16)
    invalid.raise_if_any()
    await session.execute(delete(PushSubscription).where(PushSubscription.endpoint == endpoint))
    subscription = PushSubscription(participant_id=me.id, endpoint=endpoint, p256dh=p256dh.strip(),
                                    auth=auth.strip())
    session.add(subscription)
    await session.flush()
    kept = select(PushSubscription.id).where(PushSubscription.participant_id == me.id).order_by(
        PushSubscription.created_at.desc(), PushSubscription.id.desc()).limit(PHONES_KEPT)
    await session.execute(delete(PushSubscription).where(PushSubscription.participant_id == me.id,
                                                         PushSubscription.id.not_in(kept)))
    return subscription


async def unsubscribe(session: AsyncSession, me: Participant, endpoint: str | None = None) -> int:
    """Stops telling this phone (its endpoint), or all of the person's phones; how many were stopped."""
    statement = delete(PushSubscription).where(PushSubscription.participant_id == me.id)
    if endpoint is not None:
        statement = statement.where(PushSubscription.endpoint == endpoint.strip())
    return int((await session.execute(statement)).rowcount or 0)  # type: ignore[attr-defined]


async def phones(session: AsyncSession, me: Participant) -> int:
    return int(await session.scalar(select(func.count()).select_from(PushSubscription)
                                    .where(PushSubscription.participant_id == me.id)) or 0)


async def gone(session: AsyncSession, subscription_id: uuid.UUID) -> None:
    """The push service says the phone no longer listens (404, 410)."""
    await session.execute(delete(PushSubscription).where(PushSubscription.id == subscription_id))


async def ask(session: AsyncSession, round_ids: Iterable[uuid.UUID], at: datetime | None = None) -> None:
    """These rounds have news to tell (from `at`, or now); the earliest ask wins."""
    rounds = sorted(set(round_ids))
    if rounds:
        await session.execute(_ASK, {"rounds": rounds, "at": at or datetime.now(UTC)})


async def take(session: AsyncSession, limit: int = 20) -> list[uuid.UUID]:
    """Due rounds, taken off the list: the caller commits at once, and asks again if its plan fails."""
    return list(await session.scalars(_TAKE, {"limit": limit}))


@dataclass(frozen=True)
class Push:
    subscription_id: uuid.UUID
    endpoint: str
    p256dh: str
    auth: str
    body: bytes


async def plan(session: AsyncSession, round_id: uuid.UUID, now: datetime | None = None) -> list[Push]:
    """What to send about `round_id` now, recorded as told; a person pushed too recently waits, with the
    round asked for again when their wait ends. The caller commits, then sends."""
    now = now or datetime.now(UTC)
    round_ = await session.get(Round, round_id)
    if round_ is None:
        return []
    rows = (await session.execute(
        select(Participant, PushSubscription).join(PushSubscription, PushSubscription.participant_id == Participant.id)
        .join(Membership, (Membership.participant_id == Participant.id) & (Membership.round_id == round_id))
        .order_by(Participant.id, PushSubscription.created_at))).all()
    people: dict[uuid.UUID, tuple[Participant, list[PushSubscription]]] = {}
    for person, subscription in rows:
        people.setdefault(person.id, (person, []))[1].append(subscription)
    pushes: list[Push] = []
    later: datetime | None = None
    for person, subscriptions in people.values():
        place = await standing(session, round_id, person)
        if not rules.may_be_told(place):
            continue
        mark = await session.get(PushMark, (person.id, round_id))
        if mark is not None and mark.pushed_at + COALESCE > now:
            later = min(later or mark.pushed_at + COALESCE, mark.pushed_at + COALESCE)
            continue
        visit = await last_visit(session, person.id, round_id)
        since = max(t for t in (mark.told_until if mark else None, visit, subscriptions[0].created_at) if t)
        news = await news_since(session, round_id, audience_of(place), since)
        if not news:
            continue
        body = wording.payload(person.locale, round_.title, round_.slug, news)
        pushes += [Push(s.id, s.endpoint, s.p256dh, s.auth, body) for s in subscriptions]
        told = insert(PushMark).values(participant_id=person.id, round_id=round_id,
                                       told_until=max(n.at for n in news), pushed_at=now)
        await session.execute(told.on_conflict_do_update(
            index_elements=[PushMark.participant_id, PushMark.round_id],
            set_={"told_until": told.excluded.told_until, "pushed_at": told.excluded.pushed_at}))
    if later is not None:
        await ask(session, [round_id], at=later)
    return pushes

