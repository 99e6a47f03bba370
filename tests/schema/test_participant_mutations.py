"""What participants do through the API, and each way it can be refused (as typed results)."""

import pytest
from sqlalchemy import func, select

from server.deliberation.models import Vote
from server.rounds import service as rounds
from tests.schema.scenario import deliberating_round

RESULT = "__typename ... on Error { message code } ... on ValidationError { fields { field message } }"
SUBMIT = """mutation ($input: SubmitNeedInput!) { submitNeed(input: $input) { ERRORS
  ... on Need { id title areaCode hazards round { slug } } } }""".replace("ERRORS", RESULT)
VOTE = """mutation ($clause: ID!, $choice: VoteChoice!, $amendment: ID, $for: ID, $proxy: ID) {
  castVote(clauseId: $clause, choice: $choice, amendmentId: $amendment, onBehalfOf: $for, proxyId: $proxy) {
    ERRORS ... on Vote { choice enteredByProxy clause { position } amendment { text } } } }""".replace("ERRORS", RESULT)


@pytest.fixture
async def s(session):
    return await deliberating_round(session, votes=False)


def _need(s, **overrides):
    return {"roundId": s.round_id, "title": "เรือประมงถูกห้ามเข้าอ่าว", "areaCode": "910101", "sector": "land_housing",
            "severity": 3, "peopleAffected": 50, "hazards": ["coastal"], **overrides}


async def test_submit_need_in_the_needs_phase_and_its_refusals(api, s, session):
    await rounds.move_phase(session, s.facilitator, s.round.id, "needs")
    done = (await api.data(SUBMIT, {"input": _need(s)}, token=s.tokens["villager"]))["submitNeed"]
    assert done["__typename"] == "Need" and done["round"] == {"slug": s.round.slug} and done["hazards"] == ["coastal"]
    unsure = {k: v for k, v in _need(s, title="ไม่รู้ว่ากี่คน").items() if k != "peopleAffected"}
    without = (await api.data(SUBMIT.replace("hazards round", "hazards peopleAffected round"), {"input": unsure},
                              token=s.tokens["villager"]))["submitNeed"]
    assert without["__typename"] == "Need" and without["peopleAffected"] is None  # a head count is not required: unknown, not 0

    invalid = (await api.data(SUBMIT, {"input": _need(s, title=" ", areaCode="99", severity=9)},
                              token=s.tokens["villager"], lang="th"))["submitNeed"]
    assert invalid["__typename"] == "ValidationError" and invalid["code"] == "validation"
    fields = {f["field"]: f["message"] for f in invalid["fields"]}
    assert set(fields) == {"title", "areaCode", "severity"} and fields["title"] == "ช่องนี้ต้องไม่ว่าง"

    stranger = (await api.data(SUBMIT, {"input": _need(s)}, token=s.tokens["stranger"]))["submitNeed"]
    assert stranger["__typename"] == "NotPermitted"
    for_someone = (await api.data(SUBMIT, {"input": _need(s, onBehalfOf=s.gid("Participant", s.villagers[1]))},
                                  token=s.tokens["villager"]))["submitNeed"]
    assert for_someone["__typename"] == "ProxyRequired"
    unknown = (await api.data(SUBMIT, {"input": _need(s, roundId="Um91bmQ6bm90LWEtdXVpZA==")},
                              token=s.tokens["villager"]))["submitNeed"]
    assert unknown["__typename"] == "NotFound"

    await rounds.move_phase(session, s.facilitator, s.round.id, "deliberation")
    closed = (await api.data(SUBMIT, {"input": _need(s)}, token=s.tokens["villager"], lang="th"))["submitNeed"]
    assert closed["__typename"] == "PhaseClosed" and closed["message"].startswith("ขั้นตอน")


async def test_scopes_gate_mutations(api, s, session):
    from tests.schema.conftest import token_for

    read_only = await token_for(session, s.villagers[0], "read")
    refused = (await api.data(VOTE, {"clause": s.gid("Clause", s.clauses[0]), "choice": "AGREE"},
                              token=read_only))["castVote"]
    assert refused == {"__typename": "NotPermitted", "message": "This token does not allow participate.",
                       "code": "not_permitted"}
    anonymous = (await api.data(VOTE, {"clause": s.gid("Clause", s.clauses[0]), "choice": "AGREE"}))["castVote"]
    assert anonymous["__typename"] == "NotPermitted" and anonymous["message"] == "Please sign in first."


async def test_cast_vote_replaces_and_counts_per_amendment(api, s, session):
    clause = s.gid("Clause", s.clauses[0])
    first = (await api.data(VOTE, {"clause": clause, "choice": "AGREE"}, token=s.tokens["villager"]))["castVote"]
    assert first == {"__typename": "Vote", "choice": "AGREE", "enteredByProxy": False, "clause": {"position": 1},
                     "amendment": None}
    again = (await api.data(VOTE, {"clause": clause, "choice": "PASS"}, token=s.tokens["villager"]))["castVote"]
    assert again["choice"] == "PASS"
    assert await session.scalar(select(func.count()).select_from(Vote).where(Vote.clause_id == s.clauses[0].id)) == 1

    amend = """mutation ($input: ProposeAmendmentInput!) { proposeAmendment(input: $input) { ERRORS
      ... on Amendment { id text clause { position } } } }""".replace("ERRORS", RESULT)
    amendment = (await api.data(amend, {"input": {"clauseId": clause, "text": "ภายในหกเดือน", "rationale": "เร็วขึ้น"}},
                                token=s.tokens["official"]))["proposeAmendment"]
    assert amendment["__typename"] == "Amendment" and amendment["clause"] == {"position": 1}
    on_amendment = (await api.data(VOTE, {"clause": clause, "choice": "AGREE", "amendment": amendment["id"]},
                                   token=s.tokens["villager"]))["castVote"]
    assert on_amendment["amendment"] == {"text": "ภายในหกเดือน"}
    wrong = (await api.data(VOTE, {"clause": s.gid("Clause", s.clauses[1]), "choice": "AGREE",
                                   "amendment": amendment["id"]}, token=s.tokens["villager"]))["castVote"]
    assert wrong["__typename"] == "NotFound"

    await rounds.move_phase(session, s.facilitator, s.round.id, "consolidation")
    closed = (await api.data(VOTE, {"clause": clause, "choice": "AGREE"}, token=s.tokens["villager"]))["castVote"]
    assert closed["__typename"] == "PhaseClosed"
    late = (await api.data(amend, {"input": {"clauseId": clause, "text": "x"}}, token=s.tokens["villager"]))
    assert late["proposeAmendment"]["__typename"] == "PhaseClosed"


async def test_a_facilitator_enters_votes_with_a_proxy_record(api, s):
    proxy = """mutation ($input: RecordProxyInput!) { recordProxy(input: $input) { ERRORS
      ... on ProxyRecord { id method consent participantId peopleCount meeting } } }""".replace("ERRORS", RESULT)
    made = (await api.data(proxy, {"input": {"roundId": s.round_id, "method": "MEETING", "consent": "THUMBPRINT",
                                             "participantId": s.gid("Participant", s.villagers[2])}},
                           token=s.tokens["facilitator"]))["recordProxy"]
    assert made["__typename"] == "ProxyRecord" and made["participantId"] == s.gid("Participant", s.villagers[2])
    vote = (await api.data(VOTE, {"clause": s.gid("Clause", s.clauses[0]), "choice": "DISAGREE",
                                  "for": s.gid("Participant", s.villagers[2]), "proxy": made["id"]},
                           token=s.tokens["facilitator"]))["castVote"]
    assert vote["__typename"] == "Vote" and vote["enteredByProxy"] is True
    # entering input for others is a facilitator's action: a participant token cannot, whatever the person's role
    refused = (await api.data(VOTE, {"clause": s.gid("Clause", s.clauses[0]), "choice": "AGREE",
                                     "proxy": made["id"]}, token=s.tokens["villager"]))["castVote"]
    assert refused["__typename"] == "NotPermitted"
    meeting = (await api.data(proxy, {"input": {"roundId": s.round_id, "method": "PAPER", "consent": "WRITTEN",
                                                "peopleCount": 12, "meeting": "ประชุมหมู่บ้านเกาะสาหร่าย"}},
                              token=s.tokens["facilitator"]))["recordProxy"]
    assert meeting["peopleCount"] == 12 and meeting["participantId"] is None
    by_villager = (await api.data(proxy, {"input": {"roundId": s.round_id, "method": "PHONE", "consent": "VERBAL",
                                                    "peopleCount": 3, "meeting": "x"}},
                                  token=s.tokens["villager"]))["recordProxy"]
    assert by_villager["__typename"] == "NotPermitted"


async def test_comments_replies_and_moderation(api, s):
    post = """mutation ($input: PostCommentInput!) { postComment(input: $input) { ERRORS
      ... on Comment { id body stance moderation } } }""".replace("ERRORS", RESULT)
    clause = s.gid("Clause", s.clauses[0])
    comment = (await api.data(post, {"input": {"clauseId": clause, "body": "เห็นด้วย", "stance": "SUPPORT"}},
                              token=s.tokens["villager"]))["postComment"]
    assert comment["__typename"] == "Comment" and comment["moderation"] == "VISIBLE"
    reply = (await api.data(post, {"input": {"clauseId": clause, "body": "ทำไม", "stance": "QUESTION",
                                             "parentId": comment["id"]}}, token=s.tokens["official"]))["postComment"]
    assert reply["stance"] == "QUESTION"
    nowhere = (await api.data(post, {"input": {"body": "?", "stance": "QUESTION"}},
                              token=s.tokens["villager"]))["postComment"]
    assert nowhere["__typename"] == "ValidationError" and nowhere["fields"][0]["field"] == "target"

    moderate = """mutation ($id: ID!, $state: ModerationState!, $reason: String!) {
      moderateComment(commentId: $id, state: $state, reason: $reason) { ERRORS ... on Comment { moderation } } }""".replace("ERRORS", RESULT)
    refused = (await api.data(moderate, {"id": reply["id"], "state": "HIDDEN", "reason": "x"},
                              token=s.tokens["villager"]))["moderateComment"]
    assert refused["__typename"] == "NotPermitted"
    no_reason = (await api.data(moderate, {"id": reply["id"], "state": "HIDDEN", "reason": ""},
                                token=s.tokens["facilitator"]))["moderateComment"]
    assert no_reason["__typename"] == "ValidationError" and no_reason["fields"][0]["field"] == "reason"
    hidden = (await api.data(moderate, {"id": reply["id"], "state": "HIDDEN", "reason": "นอกเรื่อง"},
                             token=s.tokens["facilitator"]))["moderateComment"]
    assert hidden == {"__typename": "Comment", "moderation": "HIDDEN"}


async def test_endorse_a_need_once(api, s, session):
    endorse = """mutation ($id: ID!) { endorseNeed(needId: $id) { ERRORS
      ... on EndorsePayload { created need { endorsements viewerEndorsed } } } }""".replace("ERRORS", RESULT)
    need = s.gid("Need", s.needs[1])
    closed = (await api.data(endorse, {"id": need}, token=s.tokens["official"]))["endorseNeed"]
    assert closed["__typename"] == "PhaseClosed"  # deliberation does not open endorsing
    await rounds.move_phase(session, s.facilitator, s.round.id, "needs")
    first = (await api.data(endorse, {"id": need}, token=s.tokens["official"]))["endorseNeed"]
    assert first == {"__typename": "EndorsePayload", "created": True,
                     "need": {"endorsements": 1, "viewerEndorsed": True}}
    again = (await api.data(endorse, {"id": need}, token=s.tokens["official"]))["endorseNeed"]
    assert again["created"] is False and again["need"]["endorsements"] == 1
    missing = (await api.data(endorse, {"id": s.gid("Draft", s.draft)}, token=s.tokens["official"]))["endorseNeed"]
    assert missing["__typename"] == "NotFound"


async def test_a_failed_mutation_leaves_nothing_while_the_others_in_the_request_commit(api, s, session):
    both = """mutation ($ok: ID!, $closed: ID!) {
      good: castVote(clauseId: $ok, choice: AGREE) { __typename }
      bad: castVote(clauseId: $closed, choice: AGREE, amendmentId: $closed) { __typename } }"""
    data = await api.data(both, {"ok": s.gid("Clause", s.clauses[1]), "closed": s.gid("Clause", s.clauses[0])},
                          token=s.tokens["villager"])
    assert data == {"good": {"__typename": "Vote"}, "bad": {"__typename": "NotFound"}}
    assert await session.scalar(select(func.count()).select_from(Vote)
                                .where(Vote.participant_id == s.villagers[0].id)) == 1
