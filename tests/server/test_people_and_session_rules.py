"""The pure rules of who acts for whom (server/people/rules.py) and whether a web session stands
(server/auth/sessions.py), case by case, without a database."""

import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from server.auth import sessions
from server.people.rules import Actor, Target, may_act_for, may_bring_into_a_round, may_see

MINE, OTHER = uuid.uuid4(), uuid.uuid4()


def actor(role, rounds=(), *, active=True, ident=None):
    return Actor(ident or uuid.uuid4(), role, active, frozenset(rounds))


def target(role, rounds=(), *, ident=None):
    return Target(ident or uuid.uuid4(), role, frozenset(rounds))


@pytest.mark.parametrize(("who", "whom", "acts", "sees"), [
    (actor("facilitator", [MINE]), target("participant", [MINE]), True, True),
    (actor("facilitator", [MINE]), target("participant", [OTHER]), False, False),
    (actor("facilitator"), target("participant", [OTHER]), False, False),
    (actor("facilitator", [MINE]), target("facilitator", [MINE]), False, True),  # a colleague: seen, not acted for
    (actor("facilitator", [MINE]), target("admin", [MINE]), False, True),
    (actor("admin"), target("facilitator"), True, True),
    (actor("admin"), target("participant", [OTHER]), True, True),
    (actor("admin", active=False), target("participant"), False, False),
    (actor("participant", [MINE]), target("participant", [MINE]), False, False),
    (actor("integrator"), target("participant"), False, False),
])
def test_who_acts_for_and_sees_whom(who, whom, acts, sees):
    assert may_act_for(who, whom) is acts
    assert may_see(who, whom) is sees


def test_everyone_acts_for_themselves_and_nobody_once_withdrawn():
    me = uuid.uuid4()
    for role in ("participant", "facilitator", "admin", "integrator"):
        assert may_act_for(actor(role, ident=me), target(role, ident=me))
        assert not may_act_for(actor(role, ident=me, active=False), target(role, ident=me))


def test_only_admins_bring_staff_into_a_round():
    facilitator, admin = SimpleNamespace(role="facilitator"), SimpleNamespace(role="admin")
    for role, by_facilitator in (("participant", True), ("integrator", True), ("facilitator", False),
                                 ("admin", False)):
        assert may_bring_into_a_round(facilitator, SimpleNamespace(role=role)) is by_facilitator
        assert may_bring_into_a_round(admin, SimpleNamespace(role=role))


NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


def person(role="participant", version=0, withdrawn=None):
    return SimpleNamespace(id=uuid.uuid4(), role=role, session_version=version, withdrawn_at=withdrawn)


def token(owner, revoked=None, scopes=("facilitate",)):
    return SimpleNamespace(id=uuid.uuid4(), participant_id=owner.id, revoked_at=revoked, scopes=list(scopes))


def claim(who, version=0, made_with=None, issued=NOW):
    return sessions.Claim(who.id, version, made_with.id if made_with else None, issued)


def test_a_participants_session_stands_until_they_sign_out_or_withdraw():
    me = person()
    assert sessions.stands(claim(me), me, None, NOW + timedelta(days=90))
    assert not sessions.stands(claim(me), person(version=1), None, NOW)
    me.session_version = 1  # signed out
    assert not sessions.stands(claim(me, version=0), me, None, NOW)
    assert not sessions.stands(claim(me, version=1), person(withdrawn=NOW), None, NOW)
    assert sessions.scopes(None) == {"read", "participate"}


def test_a_staff_session_stands_with_its_token_for_a_working_day():
    me = person("facilitator")
    mine = token(me)
    assert sessions.stands(claim(me, made_with=mine), me, mine, NOW + timedelta(hours=11))
    assert not sessions.stands(claim(me, made_with=mine), me, mine, NOW + sessions.STAFF_HOURS)
    assert not sessions.stands(claim(me, made_with=mine), me, token(me, revoked=NOW), NOW)
    assert not sessions.stands(claim(me, made_with=mine), me, None, NOW)  # the token is gone
    someone_elses = token(person("facilitator"))
    assert not sessions.stands(claim(me, made_with=someone_elses), me, someone_elses, NOW)
    assert not sessions.stands(claim(me), me, None, NOW)  # staff without a token: never
    assert sessions.scopes(mine) == {"facilitate"}


def test_cookies_from_before_sessions_were_bound_keep_participants_in_and_staff_out():
    old = sessions.read({"participant_id": str(uuid.uuid4())})
    assert old is not None and old.version is None and old.token_id is None
    participant, facilitator = person(), person("facilitator")
    assert sessions.stands(sessions.Claim(participant.id, None, None, None), participant, None, NOW)
    assert not sessions.stands(sessions.Claim(facilitator.id, None, None, None), facilitator, None, NOW)
    signed_out = person(version=1)
    assert not sessions.stands(sessions.Claim(signed_out.id, None, None, None), signed_out, None, NOW)


def test_what_a_cookie_holds_is_read_back_and_nonsense_names_nobody():
    me, data = person("admin", version=3), {"csrf_token": "x"}
    mine = token(me)
    sessions.begin(data, me, mine)
    read = sessions.read(data)
    assert (read.participant_id, read.version, read.token_id) == (me.id, 3, mine.id)
    sessions.forget(data)
    assert data == {"csrf_token": "x"}
    assert sessions.read({"participant_id": "not an id"}) is None
    assert sessions.read({}) is None
    garbled = sessions.read({"participant_id": str(me.id), "session_version": "3", "token_id": "x", "issued_at": "y"})
    assert (garbled.version, garbled.token_id, garbled.issued_at) == (None, None, None)
