"""castVote's two paths, driven as /graphql drives them for a bearer token, and a round to try them on.

The service path is schema/errors.py perform over service.cast_vote: the token identified, its scope
required, then the service. The fast lane is schema/http.py _fast over fast.cast_vote_with_token, its
statement run on the test's own connection (as schema/http.py in_session does), so both paths see and
write the same rows inside the test's transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st
from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.identity import identify
from server.auth.models import ApiToken
from server.auth.service import create_token, hash_secret
from server.deliberation import fast
from server.deliberation import service as deliberation
from server.deliberation.models import Vote
from server.drafts import service as drafts
from server.drafts.models import Clause
from server.events.models import Event
from server.people.models import Participant
from server.proxies.rules import scope_for
from server.proxies.service import record_proxy
from server.rounds import phases
from server.rounds import service as rounds
from server.rounds.models import Round
from tests.factories import make_clause, make_member, make_participant, make_round

PHASES = [phase.key for phase in phases.TEMPLATES["standard"]]
TOKEN_KINDS = {"participate": ["read", "participate"], "read": ["read"],
               "all": ["read", "participate", "facilitate", "admin"]}


async def through_the_service(session: AsyncSession, token: str, clause_id: uuid.UUID, choice: str, *,
                              amendment_id: uuid.UUID | None = None, on_behalf_of: uuid.UUID | None = None,
                              proxy_id: uuid.UUID | None = None) -> Vote:
    identity = await identify(session, bearer=token)
    actor = identity.require(scope_for(proxy_id))
    return await deliberation.cast_vote(session, actor, clause_id, choice, amendment_id=amendment_id,
                                        on_behalf_of=on_behalf_of, proxy_id=proxy_id, scopes=identity.scopes)


async def through_the_lane(session: AsyncSession, token: str, clause_id: uuid.UUID, choice: str, *,
                           amendment_id: uuid.UUID | None = None,
                           on_behalf_of: uuid.UUID | None = None) -> fast.CastVote:
    connection = await (await session.connection()).get_raw_connection()

    async def write(item: tuple[Any, ...]) -> Any:
        return (await fast.write_votes(connection.driver_connection, [item]))[0]

    return await fast.cast_vote_with_token(write, token, clause_id, choice, amendment_id=amendment_id,
                                           on_behalf_of=on_behalf_of)


@dataclass
class World:
    """A round (its phase set by each test) with a person of each kind and a token of each kind for each,
    two clauses with an amendment each, and a clause of another round. Ids only: tests roll back what
    they change, and ORM objects would go stale."""

    round_id: uuid.UUID
    facilitator_id: uuid.UUID
    people: dict[str, uuid.UUID] = field(default_factory=dict)
    tokens: dict[tuple[str, str], str] = field(default_factory=dict)
    clauses: dict[str, uuid.UUID] = field(default_factory=dict)
    amendments: dict[str, uuid.UUID] = field(default_factory=dict)
    proxy_id: uuid.UUID | None = None


async def build_world(session: AsyncSession) -> World:
    facilitator = await make_participant(session, role="facilitator")
    round_ = await make_round(session, facilitator)
    first = await make_clause(session, round_)
    elsewhere_round = await make_round(session)
    world = World(round_.id, facilitator.id)
    people = {
        "villager": await make_member(session, round_),
        "official": await make_member(session, round_, group_key="government"),
        "groupless": await make_member(session, round_, group_key=None),
        "facilitator": facilitator,
        "admin": await make_participant(session, role="admin"),
        "outsider": await make_participant(session),
        "integrator": await make_participant(session, role="integrator"),
        "elsewhere": await make_member(session, elsewhere_round),
    }
    world.people = {key: person.id for key, person in people.items()}
    for key, person in people.items():
        for kind, scopes in TOKEN_KINDS.items():
            _, plain = await create_token(session, None, person.id, name=f"{key} {kind}", scopes=scopes)
            world.tokens[key, kind] = plain
    second = await make_clause(session, round_, text="จัดหาน้ำประปาให้ทุกหมู่บ้าน")
    world.clauses = {"first": first.id, "second": second.id,
                     "elsewhere": (await make_clause(session, elsewhere_round)).id, "missing": uuid.uuid4()}
    await rounds.move_phase(session, facilitator, round_.id, "deliberation")
    for key, clause in (("first", first), ("second", second)):
        amendment = await drafts.propose_amendment(session, people["villager"], clause.id, text="ภายในหกเดือน")
        world.amendments[key] = amendment.id
    world.amendments["missing"] = uuid.uuid4()
    proxy = await record_proxy(session, facilitator, round_.id, method="meeting", consent="verbal",
                               participant_id=people["villager"].id)
    world.proxy_id = proxy.id
    await rounds.move_phase(session, await session.get(Participant, elsewhere_round.created_by_id),
                            elsewhere_round.id, "deliberation")
    return world


async def set_phase(session: AsyncSession, world: World, phase: str) -> None:
    await session.execute(update(Round).where(Round.id == world.round_id).values(current_phase=phase))
    session.expire_all()


async def withdraw(session: AsyncSession, person_id: uuid.UUID) -> None:
    await session.execute(update(Participant).where(Participant.id == person_id).values(withdrawn_at=func.now()))
    session.expire_all()


async def revoke(session: AsyncSession, token: str) -> None:
    await session.execute(update(ApiToken).where(ApiToken.token_hash == hash_secret(token))
                          .values(revoked_at=func.now()))
    session.expire_all()


async def stored(session: AsyncSession, world: World) -> tuple[list[Any], list[Any]]:
    """The world's votes and vote.cast events, as the paths would write them (ids aside: each path makes its
    own; times are the transaction's).

    The world's: every vote whose voter, enterer, clause or round is one of the world's, and every vote.cast
    event in one of its rounds or by one of its people. That is anything either path could write, wherever
    it went wrong (the votes cast are always for one of the world's people, on one of its clauses); and
    only that, since the world is the test's uncommitted rows, which nothing else can refer to. The rest of
    the database is not the test's to compare: other tests commit votes, some from background processes
    (a live server, a worker) that may still be voting while this test runs, and at READ COMMITTED each
    read here sees what was committed by then, so two reads of every vote would differ by those."""
    people, clauses = list(world.people.values()), list(world.clauses.values())
    rounds_ = select(Clause.round_id).where(Clause.id.in_(clauses)).scalar_subquery()
    votes = await session.execute(select(
        Vote.round_id, Vote.participant_id, Vote.clause_id, Vote.amendment_id, Vote.value, Vote.entered_by_id,
        Vote.proxy_id, Vote.updated_at)
        .where(or_(Vote.participant_id.in_(people), Vote.entered_by_id.in_(people), Vote.clause_id.in_(clauses),
                   Vote.round_id.in_(rounds_)))
        .order_by(Vote.participant_id, Vote.clause_id, Vote.amendment_id))
    events = await session.execute(select(Event.round_id, Event.actor_id, Event.payload)
                                   .where(Event.type == "vote.cast",
                                          or_(Event.round_id.in_(rounds_), Event.actor_id.in_(people)))
                                   .order_by(Event.id))
    # each request has its own id, which both paths store alike (server/events/service.py with_request_id)
    recorded = [(round_id, actor_id, {k: v for k, v in payload.items() if k != "request_id"})
                for round_id, actor_id, payload in events.all()]
    return [tuple(row) for row in votes.all()], recorded


@dataclass(frozen=True)
class Case:
    """One vote to try: who, with which token, in which state of the world, on what."""

    person: str
    token: str
    revoked: bool
    withdrawn: bool
    phase: str
    clause: str
    amendment: str | None
    on_behalf_of: str | None  # a person's key, "self", "missing", or None
    choice: str
    forget: bool  # drop the contexts the fast lane remembers first
    proxy: bool = False  # through the round's proxy record (the facilitator's, for the first villager)

    def ids(self, world: World) -> dict[str, Any]:
        behalf = None
        if self.on_behalf_of == "missing":
            behalf = uuid.UUID(int=1)
        elif self.on_behalf_of is not None:
            behalf = world.people[self.person if self.on_behalf_of == "self" else self.on_behalf_of]
        return {"clause_id": world.clauses[self.clause],
                "amendment_id": world.amendments[self.amendment] if self.amendment else None,
                "on_behalf_of": behalf}


async def prepare(session: AsyncSession, world: World, case: Case) -> str:
    """Puts the world in the case's state; the token to vote with."""
    if case.forget:
        fast.forget()
    await set_phase(session, world, case.phase)
    token = world.tokens[case.person, case.token]
    if case.revoked:
        await revoke(session, token)
    if case.withdrawn:
        await withdraw(session, world.people[case.person])
    return token


def cases(choices: list[str], *, proxies: bool = False) -> st.SearchStrategy[Case]:
    """Cases leaning towards votes that may be accepted, so that both refusals and acceptances are many."""
    return st.builds(
        Case,
        person=st.sampled_from(["villager"] * 3 + ["official", "groupless", "facilitator", "admin", "outsider",
                                                   "integrator", "elsewhere"]),
        token=st.sampled_from(["participate"] * 4 + ["all", "read"]),
        revoked=st.sampled_from([False] * 9 + [True]),
        withdrawn=st.sampled_from([False] * 9 + [True]),
        phase=st.sampled_from(["deliberation"] * len(PHASES) + PHASES),
        clause=st.sampled_from(["first", "first", "second", "second", "elsewhere", "missing"]),
        amendment=st.sampled_from([None] * 6 + ["first", "second", "missing"]),
        on_behalf_of=st.sampled_from([None] * 6 + ["self", "self", "villager", "official", "missing"]),
        choice=st.sampled_from(choices),
        forget=st.booleans(),
        proxy=st.sampled_from([False] * 4 + [True]) if proxies else st.just(False),
    )
