"""No N+1: the statements a nested query runs do not grow with the number of things it lists."""

import pytest

from schema import ids
from server.deliberation import service as deliberation
from server.drafts import service as drafts
from server.people.models import Participant
from server.rounds import service as rounds
from tests.factories import make_member, make_round
from tests.schema.conftest import token_for
from tests.statements import counting

ROUND_DRAFTS_CLAUSES_SUPPORT = """query ($id: ID!) {
  round(id: $id) {
    title
    groups { key }
    drafts {
      title
      clauses {
        position text
        answers { title }
        amendments { text support { agree seen } }
        support { group { key name } agree disagree pass seen support fewerThanThree }
        viewerVote { choice }
      }
    }
  }
}"""


async def _round_with_clauses(session, n: int):
    round_ = await make_round(session)
    facilitator = await session.get(Participant, round_.created_by_id)
    voters = [await make_member(session, round_) for _ in range(4)]
    await rounds.move_phase(session, facilitator, round_.id, "drafting")
    for d in range(2):
        draft = await drafts.create_draft(session, facilitator, round_.id, title=f"ร่าง {d}")
        for i in range(n):
            clause = await drafts.add_clause(session, facilitator, draft.id, text=f"ข้อ {i}")
            if i % 3 == 0:
                await rounds.move_phase(session, facilitator, round_.id, "deliberation")
                await drafts.propose_amendment(session, voters[0], clause.id, text=f"แก้ข้อ {i}")
                for voter in voters:
                    await deliberation.cast_vote(session, voter, clause.id, "agree")
                await rounds.move_phase(session, facilitator, round_.id, "drafting")
    return round_, voters[0]


@pytest.mark.parametrize("clauses", [3, 30])
async def test_round_drafts_clauses_support_runs_a_fixed_number_of_statements(api, session, engine, clauses):
    round_, voter = await _round_with_clauses(session, clauses)
    token = await token_for(session, voter)
    with counting(engine) as statements:
        data = await api.data(ROUND_DRAFTS_CLAUSES_SUPPORT, {"id": ids.encode("Round", round_.id)}, token=token)
    listed = data["round"]["drafts"]
    assert [len(d["clauses"]) for d in listed] == [clauses, clauses]
    assert listed[0]["clauses"][0]["support"][1]["seen"] == 4  # four villagers agreed with clause 0
    # token, round, groups, drafts, clauses, needs answered, amendments, clause tallies, own votes, and the
    # amendments' tallies (a level deeper, so a batch of its own): ten, for 3 clauses or 30
    assert len(statements.queries) == 10, "\n".join(statements.queries)
