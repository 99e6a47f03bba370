"""The audiences of events (server/events/audiences.py): every event type Ruam records is declared,
every key it records is meant for someone, and each audience gets what its declaration says."""

from __future__ import annotations

import ast
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from server.deliberation import service as deliberation
from server.disclosure import FACILITATOR, PUBLIC, WEBHOOK, Audience
from server.events.audiences import EVENT_AUDIENCES, NOTHING, disclose, seen_by
from server.events.models import Event
from server.people.models import Participant
from server.rounds import service as rounds
from tests.factories import make_clause, make_member, make_round

SERVER = Path(__file__).parents[2] / "server"
NOT_PAYLOAD = {"round_id", "actor_id", "subject_id"}
# recorded for the trail, read by nobody through the event log
KEPT_FROM_EVERYONE = {("token.created", "participant_id")}


def _recorded() -> dict[str, set[str]]:
    """Each event type passed to record() in server/, with the payload keys its callers give."""
    found: dict[str, set[str]] = {}
    for path in SERVER.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {t.id: n.value.value for n in ast.walk(tree) if isinstance(n, ast.Assign)
                 for t in n.targets if isinstance(t, ast.Name) and isinstance(n.value, ast.Constant)}
        for call in ast.walk(tree):
            if not (isinstance(call, ast.Call) and getattr(call.func, "id", getattr(call.func, "attr", None)) == "record"
                    and len(call.args) >= 2):
                continue
            kind = call.args[1]
            name = kind.value if isinstance(kind, ast.Constant) else names.get(getattr(kind, "id", ""))
            if isinstance(name, str):
                found.setdefault(name, set()).update(k.arg for k in call.keywords if k.arg and k.arg not in NOT_PAYLOAD)
    return found


def test_every_recorded_type_is_declared():
    recorded = _recorded()
    assert "vote.cast" in recorded and "webhook.delivery_retried" in recorded  # the scan finds them
    assert set(recorded) <= set(EVENT_AUDIENCES), set(recorded) - set(EVENT_AUDIENCES)


def test_every_recorded_key_is_meant_for_someone():
    for kind, keys in _recorded().items():
        declared = EVENT_AUDIENCES[kind]
        meant = declared.facilitator.keys | (declared.own.keys if declared.own else frozenset())
        assert keys - meant <= {k for t, k in KEPT_FROM_EVERYONE if t == kind}, (kind, keys - meant)
        assert declared.reader.keys <= meant and declared.for_webhook().keys <= meant, kind


async def test_every_key_of_a_recorded_vote_is_meant_for_someone(session):
    """vote.cast's payload is built apart from record()'s call, where the scan above cannot read it."""
    round_ = await make_round(session)
    clause = await make_clause(session, round_)
    voter = await make_member(session, round_)
    await rounds.move_phase(session, await session.get(Participant, round_.created_by_id), round_.id, "deliberation")
    await deliberation.cast_vote(session, voter, clause.id, "agree")
    event = await session.scalar(select(Event).where(Event.round_id == round_.id, Event.type == "vote.cast"))
    assert set(event.payload) == EVENT_AUDIENCES["vote.cast"].facilitator.keys


def _event(kind: str, actor: uuid.UUID | None = None, **payload) -> Event:
    return Event(id=uuid.uuid4(), type=kind, round_id=uuid.uuid4(), actor_id=actor or uuid.uuid4(),
                 subject_id=uuid.uuid4(), payload=payload, created_at=datetime.now(UTC))


VOTE = {"clause_id": "c", "amendment_id": None, "choice": "agree", "group_id": "g", "proxy_id": "p"}


@pytest.mark.parametrize("audience", [PUBLIC, WEBHOOK, Audience(member=True, person_id=uuid.uuid4())])
def test_a_vote_tells_everyone_but_facilitators_only_where_it_was_cast(audience):
    shown = disclose(_event("vote.cast", **VOTE), audience)
    assert (shown.actor_id, shown.subject_id, shown.payload) == (None, None, {"clause_id": "c", "amendment_id": None})


def test_the_voter_and_the_facilitators_see_the_vote_and_nobody_who_cast_it():
    voter = uuid.uuid4()
    vote = _event("vote.cast", voter, **VOTE)
    for audience in (FACILITATOR, Audience(member=True, person_id=voter)):
        shown = disclose(vote, audience)
        assert shown.payload == VOTE and shown.subject_id == vote.subject_id and shown.actor_id is None
    # the voter's own view is theirs: a webhook is never anyone
    assert disclose(vote, Audience(webhook=True, person_id=voter)).payload == {"clause_id": "c", "amendment_id": None}


def test_an_undeclared_type_or_key_shows_nothing():
    assert seen_by("something.new", FACILITATOR) == NOTHING
    shown = disclose(_event("something.new", secret="x"), FACILITATOR)
    assert (shown.actor_id, shown.subject_id, shown.payload) == (None, None, {})
    assert disclose(_event("round.phase_moved", previous="needs", current="drafting", added_later="x"),
                    PUBLIC).payload == {"previous": "needs", "current": "drafting"}


def test_facilitators_see_who_acted_where_anyone_may():
    moved = _event("comment.moderated", previous="visible", state="hidden", reason="ไม่สุภาพ")
    assert disclose(moved, FACILITATOR).actor_id == moved.actor_id and disclose(moved, PUBLIC).actor_id is None
    assert disclose(moved, FACILITATOR).payload["reason"] == "ไม่สุภาพ" and "reason" not in disclose(moved, PUBLIC).payload
