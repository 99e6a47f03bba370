"""Changing a draft's clauses through the API: the same services as the pages, the same refusals."""

from sqlalchemy import select

from server.deliberation.models import Vote
from server.drafts.models import Clause
from tests.factories import make_member, make_need, make_participant, make_round
from tests.schema.conftest import token_for
from tests.schema.scenario import deliberating_round

RESULT = "__typename ... on Error { message code } ... on ValidationError { fields { field message } }"
CLAUSE = "... on Clause { id text position status previousVersion { id text status } answers { id } }"


def _mutation(head: str) -> str:
    return f"mutation {head} {{ RESULT CLAUSE }} }}".replace("RESULT", RESULT).replace("CLAUSE", CLAUSE)


EDIT = _mutation("($input: EditClauseInput!) { editClause(input: $input)")
MOVE = _mutation("($id: ID!, $d: MoveDirection!) { moveClause(clauseId: $id, direction: $d)")
WITHDRAW = _mutation("($id: ID!) { withdrawClause(clauseId: $id)")
LINK = _mutation("($input: ClauseNeedsInput!) { linkNeeds(input: $input)")
UNLINK = LINK.replace("linkNeeds", "unlinkNeeds")


async def test_an_edit_after_voting_opened_is_a_new_version_and_the_old_keeps_its_votes(api, session):
    s = await deliberating_round(session)
    first = s.gid("Clause", s.clauses[0])
    edited = (await api.data(EDIT, {"input": {"clauseId": first, "text": "รัฐจะออกโฉนดชุมชนภายในหกเดือน"}},
                             token=s.tokens["facilitator"]))["editClause"]
    assert edited["__typename"] == "Clause" and edited["id"] != first and edited["status"] == "CURRENT"
    assert edited["previousVersion"] == {"id": first, "text": "รัฐจะออกโฉนดชุมชนภายในหนึ่งปี", "status": "SUPERSEDED"}
    assert edited["answers"] == [{"id": s.gid("Need", s.needs[0])}] and edited["position"] == 1
    assert await session.scalar(select(Vote.id).where(Vote.clause_id == s.clauses[0].id).limit(1)) is not None

    draft = """query ($id: ID!) { node(id: $id) { ... on Draft { clauses { id support { group { key } agree } } } } }"""
    clauses = (await api.data(draft, {"id": s.gid("Draft", s.draft)}, token=s.tokens["facilitator"]))["node"]["clauses"]
    assert [c["id"] for c in clauses] == [edited["id"], s.gid("Clause", s.clauses[1])]
    assert all(g["agree"] == 0 for g in clauses[0]["support"])  # the new text starts without votes

    vote = """mutation ($id: ID!) { castVote(clauseId: $id, choice: AGREE) { __typename ... on Error { code } } }"""
    again = (await api.data(vote, {"id": first}, token=s.tokens["villager"]))["castVote"]
    assert again == {"__typename": "Conflict", "code": "conflict"}


async def test_members_strangers_and_read_only_tokens_cannot_change_clauses(api, session):
    s = await deliberating_round(session)
    first = s.gid("Clause", s.clauses[0])
    elsewhere = await make_participant(session, role="facilitator")
    await make_round(session, elsewhere)
    s.tokens["other_facilitator"] = await token_for(session, elsewhere, "read", "participate", "facilitate")
    for who in ("villager", "stranger", "facilitator_read_only", "other_facilitator"):
        for document, variables in ((EDIT, {"input": {"clauseId": first, "text": "ของฉัน"}}),
                                    (MOVE, {"id": first, "d": "DOWN"}), (WITHDRAW, {"id": first}),
                                    (LINK, {"input": {"clauseId": first, "needIds": [s.gid("Need", s.needs[1])]}})):
            answer = (await api.data(document, variables, token=s.tokens[who]))
            assert next(iter(answer.values()))["__typename"] == "NotPermitted", (who, document)
    clause = await session.get(Clause, s.clauses[0].id)
    await session.refresh(clause)
    assert (clause.text, clause.position, clause.status) == ("รัฐจะออกโฉนดชุมชนภายในหนึ่งปี", 1, "current")


async def test_move_withdraw_and_link_through_the_api(api, session):
    s = await deliberating_round(session, votes=False)
    first, second = s.gid("Clause", s.clauses[0]), s.gid("Clause", s.clauses[1])
    moved = (await api.data(MOVE, {"id": first, "d": "DOWN"}, token=s.tokens["facilitator"]))["moveClause"]
    assert moved["position"] == 2
    # voting has opened: a clause is no longer taken out
    kept = (await api.data(WITHDRAW, {"id": second}, token=s.tokens["facilitator"]))["withdrawClause"]
    assert kept["__typename"] == "Conflict"

    elsewhere = await make_round(session, phase="needs")
    foreign = await make_need(session, elsewhere, await make_member(session, elsewhere))
    refused = (await api.data(LINK, {"input": {"clauseId": second, "needIds": [s.gid("Need", foreign)]}},
                              token=s.tokens["facilitator"]))["linkNeeds"]
    assert refused["__typename"] == "ValidationError" and refused["fields"][0]["field"] == "answers"
    linked = (await api.data(LINK, {"input": {"clauseId": second, "needIds": [s.gid("Need", s.needs[1])]}},
                             token=s.tokens["facilitator"]))["linkNeeds"]
    assert linked["answers"] == [{"id": s.gid("Need", s.needs[1])}]
    unlinked = (await api.data(UNLINK, {"input": {"clauseId": second, "needIds": [s.gid("Need", s.needs[1])]}},
                               token=s.tokens["facilitator"]))["unlinkNeeds"]
    assert unlinked["answers"] == []
