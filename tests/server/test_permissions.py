"""The role × phase matrix: who may take each action in each phase of the standard template.

The expectation is written out here by hand, not derived from phases.py, so a change to the
template that alters who may do what fails this test until someone means it.
"""

import pytest

from server.deliberation import fast
from server.deliberation import service as deliberation
from server.drafts import service as drafts
from server.errors import NotPermitted, PhaseClosed
from server.needs import service as needs
from server.rounds import service as rounds
from tests.factories import (
    make_clause,
    make_member,
    make_need,
    make_participant,
    make_round,
)
from tests.schema.conftest import token_for
from tests.vote_paths import through_the_lane, through_the_service

P, F, A = "participant", "facilitator", "admin"
EVERYONE, STAFF, NOBODY = {P, F, A}, {F, A}, set()

EXPECTED = {
    "needs": {"submit_need": EVERYONE, "endorse_need": EVERYONE, "comment": EVERYONE},
    "drafting": {"propose_draft": STAFF, "edit_draft": STAFF, "endorse_need": EVERYONE, "comment": EVERYONE},
    "deliberation": {"vote": EVERYONE, "comment": EVERYONE, "propose_amendment": EVERYONE, "edit_draft": STAFF},
    "consolidation": {},
    "published": {"comment": EVERYONE},
    "follow_up": {"comment": EVERYONE},
}
ACTIONS = ["submit_need", "endorse_need", "propose_draft", "edit_draft", "vote", "comment", "propose_amendment"]
ROLES = [P, F, A, "outsider", "integrator"]


async def _do(action, session, actor, round_, need, clause):
    match action:
        case "submit_need":
            await make_need(session, round_, actor)
        case "endorse_need":
            await needs.endorse_need(session, actor, need.id)
        case "propose_draft":
            await drafts.create_draft(session, actor, round_.id, title="ร่างทางเลือก")
        case "edit_draft":
            await drafts.add_clause(session, actor, clause.draft_id, text="ข้อเพิ่มเติม")
        case "vote":
            await deliberation.cast_vote(session, actor, clause.id, "agree")
        case "comment":
            await deliberation.post_comment(session, actor, clause_id=clause.id, stance="support", body="เห็นด้วย")
        case "propose_amendment":
            await drafts.propose_amendment(session, actor, clause.id, text="ข้อความใหม่")


async def _round_in(session, phase):
    """A round in `phase` with a need and a clause, and a person in each role."""
    facilitator = await make_participant(session, role="facilitator")
    round_ = await make_round(session, facilitator)
    raiser = await make_member(session, round_)
    need = await make_need(session, round_, raiser)
    clause = await make_clause(session, round_)
    await rounds.move_phase(session, facilitator, round_.id, phase)
    actors = {
        P: await make_member(session, round_),
        F: facilitator,
        A: await make_participant(session, role="admin"),
        "outsider": await make_participant(session),
        "integrator": await make_participant(session, role="integrator"),
    }
    return round_, need, clause, actors


async def _outcomes(session, attempt):
    outcomes = {}
    for role in ROLES:
        try:
            async with session.begin_nested():
                await attempt(role)
            outcomes[role] = "allowed"
        except PhaseClosed:
            outcomes[role] = "phase closed"
        except NotPermitted:
            outcomes[role] = "not permitted"
    return outcomes


def _expected(phase, action):
    allowed = EXPECTED[phase].get(action, NOBODY)
    expected = {role: "allowed" if role in allowed else "phase closed" for role in (P, F, A)}
    return expected | {"outsider": "not permitted", "integrator": "not permitted"}


@pytest.mark.parametrize("phase", list(EXPECTED))
@pytest.mark.parametrize("action", ACTIONS)
async def test_role_phase_matrix(session, phase, action):
    round_, need, clause, actors = await _round_in(session, phase)
    outcomes = await _outcomes(session, lambda role: _do(action, session, actors[role], round_, need, clause))
    assert outcomes == _expected(phase, action)


@pytest.mark.parametrize("phase", list(EXPECTED))
@pytest.mark.parametrize("path", [through_the_service, through_the_lane], ids=["service", "fast lane"])
async def test_both_paths_of_cast_vote_keep_to_the_matrix(session, phase, path):
    """castVote with an API token, through the general path (service.cast_vote) and through the fast lane
    (server/deliberation/fast.py), as /graphql sends it down either."""
    fast.forget()
    _, _, clause, actors = await _round_in(session, phase)
    tokens = {role: await token_for(session, actors[role]) for role in ROLES}
    outcomes = await _outcomes(session, lambda role: path(session, tokens[role], clause.id, "agree"))
    assert outcomes == _expected(phase, "vote")
