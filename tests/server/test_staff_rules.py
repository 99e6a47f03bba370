"""The pure rules staff accounts add: a drafter's role in a round, what phases open to drafters, who acts for a
drafter, and when a session made with a passphrase or a personal link stands."""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from server.auth import sessions
from server.people import rules
from server.rounds import phases
from server.rounds.access import round_role
from server.staff.rules import EXPIRED, REVOKED, UNKNOWN, USED, refusal

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


@dataclass
class Person:
    role: str
    id: uuid.UUID = field(default_factory=lambda: uuid.UUID(int=1))
    withdrawn_at: datetime | None = None
    session_version: int = 0


@dataclass
class Member:
    group_id: uuid.UUID | None = None
    facilitates: bool = False
    drafts: bool = False


def test_a_drafter_is_a_drafter_only_in_the_rounds_they_draft_for():
    drafter = Person("drafter")
    assert round_role(drafter, Member(drafts=True)) == "drafter"
    assert round_role(drafter, Member(group_id=uuid.uuid4())) is None  # never a voting member
    assert round_role(drafter, Member(facilitates=True)) is None
    assert round_role(drafter, None) is None
    assert round_role(Person("drafter", withdrawn_at=NOW), Member(drafts=True)) is None
    assert round_role(Person("participant"), Member(drafts=True)) == "participant"  # the column alone gives nothing


def test_the_templates_open_drafting_to_drafters_and_nothing_else():
    for template in phases.TEMPLATES.values():
        for phase in template:
            for action, roles in phase.opens.items():
                assert ("drafter" in roles) == (action in {"propose_draft", "edit_draft"} and "facilitator" in roles)


def test_a_drafter_has_a_staff_account_but_is_not_staff():
    drafter = Person("drafter")
    assert rules.has_staff_account(drafter) and rules.is_drafter(drafter) and not rules.is_staff(drafter)
    facilitator = rules.Actor(uuid.uuid4(), "facilitator", True, frozenset({uuid.UUID(int=7)}))
    in_their_round = rules.Target(uuid.uuid4(), "drafter", frozenset({uuid.UUID(int=7)}))
    assert not rules.may_act_for(facilitator, in_their_round)
    assert not rules.may_bring_into_a_round(Person("facilitator"), drafter)
    assert rules.may_bring_into_a_round(Person("admin"), drafter)


def test_a_session_made_with_a_passphrase_or_link_is_staffs_for_a_working_day():
    me = Person("drafter")
    claim = sessions.Claim(me.id, 0, None, NOW, "passphrase")
    assert sessions.stands(claim, me, None, NOW + timedelta(hours=11))
    assert not sessions.stands(claim, me, None, NOW + sessions.STAFF_HOURS)
    assert not sessions.stands(claim, Person("drafter", session_version=1), None, NOW)  # revoked or signed out
    assert not sessions.stands(claim, Person("participant"), None, NOW)  # staff sessions are for staff accounts
    assert not sessions.stands(sessions.Claim(me.id, 0, None, NOW), me, None, NOW)  # a participant's session
    assert sessions.scopes(None, me, "link") == {"read", "participate"}
    assert sessions.scopes(None, Person("facilitator"), "passphrase") == {"read", "participate", "facilitate"}
    data: dict[str, object] = {}
    sessions.begin(data, me, method="link")  # type: ignore[arg-type]
    assert sessions.read({**data, sessions.METHOD: "anything else"}).method is None


@dataclass
class Link:
    expires_at: datetime
    used_at: datetime | None = None
    revoked_at: datetime | None = None


def test_a_link_is_refused_once_used_cancelled_or_old():
    later = NOW + timedelta(days=1)
    assert refusal(Link(later), NOW) is None
    assert refusal(None, NOW) == UNKNOWN
    assert refusal(Link(later, used_at=NOW), NOW) == USED
    assert refusal(Link(later, revoked_at=NOW), NOW) == REVOKED
    assert refusal(Link(NOW), NOW) == EXPIRED
