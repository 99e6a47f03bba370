"""The vote rule (server/deliberation/rules.py) and its two loaders: service.cast_vote through the ORM and
castVote's fast lane from its statement's row give the same verdict on every vote."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, event, example, given, settings

from server.deliberation.fast import Unidentified
from server.deliberation.rules import Accepted, Ballot, VoteContext, check_vote
from server.deliberation.vote_record import COLUMNS, vote_cast_payload, vote_row
from server.errors import (
    DomainError,
    NotFound,
    NotPermitted,
    PhaseClosed,
    ProxyRequired,
    ValidationError,
)
from server.proxies.rules import Author
from server.rounds import phases
from server.rounds.access import Seat
from tests.vote_paths import (
    Case,
    build_world,
    cases,
    prepare,
    stored,
    through_the_lane,
    through_the_service,
)

DELIBERATION, CONSOLIDATION = (p for p in phases.TEMPLATES["standard"] if p.key in {"deliberation", "consolidation"})


@dataclass(frozen=True)
class Person:
    id: uuid.UUID
    role: str = "participant"
    withdrawn_at: datetime | None = None


@dataclass(frozen=True)
class Membership:
    group_id: uuid.UUID | None
    facilitates: bool = False


@dataclass(frozen=True)
class Proxy:
    id: uuid.UUID
    round_id: uuid.UUID
    entered_by_id: uuid.UUID
    participant_id: uuid.UUID | None


def _refusal(context: VoteContext, ballot: Ballot) -> tuple[type[DomainError], str]:
    with pytest.raises(DomainError) as refused:
        check_vote(context, ballot)
    return type(refused.value), str(refused.value)


def test_a_vote_is_refused_for_its_first_fault_in_one_order():
    me, clause, round_id, group = Person(uuid.uuid4()), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    amendment, someone = uuid.uuid4(), uuid.uuid4()
    context = VoteContext(me, frozenset({"read"}), None, None, uuid.uuid4())
    ballot = Ballot(clause, "maybe", amendment, on_behalf_of=someone)
    outsider = Seat.of(me, None, CONSOLIDATION)
    steps = [
        ((NotPermitted, "This token does not allow participate."),
         lambda c, b: (replace(c, scopes=frozenset({"read", "participate"})), b)),
        ((ValidationError, "choice: Choose one of: agree, disagree, pass."), lambda c, b: (c, b._replace(choice="pass"))),
        ((NotFound, f"No clause with id {clause} exists."), lambda c, b: (replace(c, round_id=round_id, place=outsider), b)),
        ((NotFound, f"No amendment with id {amendment} exists."), lambda c, b: (replace(c, amendment_clause_id=clause), b)),
        ((ProxyRequired, ("Input on someone else's behalf needs a proxy record: who they are, how it was "
                          "gathered and what consent they gave.")), lambda c, b: (c, b._replace(on_behalf_of=me.id))),
        ((NotPermitted, "You are not taking part in this round. Ask its facilitator for an invitation."),
         lambda c, b: (replace(c, place=Seat.of(me, Membership(group), CONSOLIDATION)), b)),
        ((PhaseClosed, "The Consolidation phase of this round is not open for voting."),
         lambda c, b: (replace(c, place=Seat.of(me, Membership(group), DELIBERATION)), b)),
    ]
    for expected, fix in steps:
        assert _refusal(context, ballot) == expected
        context, ballot = fix(context, ballot)
    accepted = check_vote(context, ballot)
    assert accepted == Accepted(round_id, Author(me.id, me.id, None, group))
    assert dict(zip(COLUMNS, vote_row(uuid.UUID(int=7), ballot, accepted), strict=True)) == {
        "id": uuid.UUID(int=7), "round_id": round_id, "participant_id": me.id, "clause_id": clause,
        "amendment_id": amendment, "value": 0, "entered_by_id": me.id, "proxy_id": None}
    assert vote_cast_payload(ballot, accepted) == {"clause_id": str(clause), "amendment_id": str(amendment),
                                                   "choice": "pass", "group_id": str(group), "proxy_id": None}
    # a withdrawn person has no place in any round; nothing narrows the scopes of a page or of proxy entry
    gone = replace(me, withdrawn_at=datetime.now(UTC))
    assert _refusal(replace(context, place=Seat.of(gone, Membership(group), DELIBERATION)), ballot)[0] is NotPermitted
    assert check_vote(replace(context, scopes=None), ballot) == accepted
    ended = replace(DELIBERATION, ends_at=datetime.now(UTC) - timedelta(seconds=1))
    assert _refusal(replace(context, place=Seat.of(me, Membership(group), ended)), ballot)[0] is PhaseClosed


def test_a_vote_through_a_proxy_record_is_the_represented_persons():
    facilitator, villager, round_id, clause = Person(uuid.uuid4(), "facilitator"), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    group, record = uuid.uuid4(), uuid.uuid4()
    seat = Seat.of(facilitator, Membership(None, facilitates=True), DELIBERATION)
    proxy = Proxy(record, round_id, facilitator.id, villager)
    context = VoteContext(facilitator, frozenset({"read", "participate"}), round_id, seat, None, proxy,
                          Membership(group))
    ballot = Ballot(clause, "agree", proxy_id=record)
    assert _refusal(context, ballot)[1] == "This token does not allow facilitate."
    context = replace(context, scopes=frozenset({"facilitate"}))
    assert check_vote(context, ballot) == Accepted(round_id, Author(villager, facilitator.id, record, group))
    assert _refusal(replace(context, place=Seat.of(facilitator, Membership(None), DELIBERATION)), ballot) == (
        NotPermitted, "Only this round's facilitators can do that.")
    assert _refusal(replace(context, proxy=None), ballot) == (NotFound, f"No proxy record with id {record} exists.")
    assert _refusal(replace(context, proxy=replace(proxy, entered_by_id=uuid.uuid4())), ballot) == (
        NotPermitted, "Use a proxy record you made yourself.")
    assert _refusal(context, ballot._replace(on_behalf_of=uuid.uuid4()))[0] is ValidationError
    assert _refusal(replace(context, place=replace(seat, current=CONSOLIDATION)), ballot)[0] is PhaseClosed
    meeting = replace(context, proxy=replace(proxy, participant_id=None), represented=None)
    assert _refusal(meeting, ballot) == (ValidationError,
                                         "on_behalf_of: A vote needs a named person; record a proxy for each of them.")


@pytest.fixture
async def world(session):
    return await build_world(session)


async def _verdict(session, world, case: Case, path):
    """What the path answers (a refusal as the general path states it) and what is stored after it; then
    the test's transaction is as it was."""
    savepoint = await session.begin_nested()
    try:
        token = await prepare(session, world, case)
        try:
            await path(session, token, choice=case.choice, **case.ids(world))
            answer: object = "accepted"
        except Unidentified:  # the general path then answers with a 401
            answer = (NotPermitted, "This API token is unknown or revoked.")
        except DomainError as refused:
            answer = (type(refused), str(refused))
        return answer, await stored(session, world)
    finally:
        await savepoint.rollback()


@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=cases(["agree", "disagree", "pass", "maybe"]))
@example(case=Case("villager", "read", False, False, "deliberation", "first", None, None, "maybe", True))
@example(case=Case("villager", "participate", False, False, "deliberation", "first", "second", None, "agree", False))
async def test_the_lane_and_the_service_give_the_same_verdict(session, world, case):
    """Same refusal (type and words) or the same vote and vote.cast event stored, whatever the case; the lane
    remembers contexts from earlier cases, whose changes were rolled back since."""
    lane = await _verdict(session, world, case, through_the_lane)
    service = await _verdict(session, world, case, through_the_service)
    assert lane == service
    event(str(lane[0] if lane[0] == "accepted" else lane[0][0].__name__))
