"""Commitments through the API: recording and updating them (facilitators, after publishing), members'
checks of delivery, what each reader sees, and each refusal as a typed result."""

import pytest

from server.commitments.service import check_commitment, record_commitment
from server.consolidation.service import consolidate, publish
from tests.factories import make_clause
from tests.schema.scenario import deliberating_round
from tests.statements import counting

RESULT = "__typename ... on Error { message code } ... on ValidationError { fields { field message } }"
FIELDS = "id agency owner dueDate status reason checks { delivered partly notDelivered total } viewerCheck { answer comment }"
RECORD = """mutation ($input: RecordCommitmentInput!) { recordCommitment(input: $input) { ERRORS
  ... on Commitment { FIELDS clause { position } round { slug } } } }""".replace("ERRORS", RESULT).replace("FIELDS", FIELDS)
UPDATE = """mutation ($input: UpdateCommitmentInput!) { updateCommitment(input: $input) { ERRORS
  ... on Commitment { FIELDS updates { previousStatus status dueDate note evidenceUrl recordedBy { displayName } } } } }
""".replace("ERRORS", RESULT).replace("FIELDS", FIELDS)
CHECK = """mutation ($id: ID!, $answer: DeliveryCheck!, $comment: String) {
  checkCommitment(commitmentId: $id, answer: $answer, comment: $comment) { ERRORS ... on Commitment { FIELDS } } }
""".replace("ERRORS", RESULT).replace("FIELDS", FIELDS)
ROUND = """query ($id: ID!) { round(id: $id) { commitments { FIELDS clause { text }
  updates { status note recordedBy { displayName } } } } }""".replace("FIELDS", FIELDS)


@pytest.fixture
async def s(session):
    return await deliberating_round(session)


async def _publish(session, s):
    proposal = await consolidate(session, s.round.id)
    await publish(session, s.facilitator, s.round.id, proposal.version, while_voting=True)


def _record(s, **overrides):
    return {"input": {"clauseId": s.gid("Clause", s.clauses[0]), "agency": "กรมที่ดิน",
                      "owner": "สำนักงานที่ดินจังหวัดสตูล", "dueDate": "2027-03-31", **overrides}}


async def test_record_after_publishing_and_each_refusal(api, s, session):
    early = (await api.data(RECORD, _record(s), token=s.tokens["facilitator"], lang="th"))["recordCommitment"]
    assert early["__typename"] == "NotPublished" and early["code"] == "not_published"
    assert "เผยแพร่" in early["message"]
    await _publish(session, s)
    for who in ("villager", "facilitator_read_only"):
        refused = (await api.data(RECORD, _record(s), token=s.tokens[who]))["recordCommitment"]
        assert refused["__typename"] == "NotPermitted", who
    later = await make_clause(session, s.round, text="ข้อที่เพิ่มหลังเผยแพร่")
    unpublished = (await api.data(RECORD, _record(s, clauseId=s.gid("Clause", later)),
                                  token=s.tokens["facilitator"]))["recordCommitment"]
    assert unpublished["__typename"] == "NotPublished"
    nothing = (await api.data(RECORD, _record(s, clauseId=s.round_id), token=s.tokens["facilitator"]))
    assert nothing["recordCommitment"]["__typename"] == "NotFound"
    bad = (await api.data(RECORD, _record(s, agency="", status="REJECTED", evidenceUrl="javascript:alert(1)"),
                          token=s.tokens["facilitator"]))["recordCommitment"]
    assert bad["__typename"] == "ValidationError"
    assert {f["field"] for f in bad["fields"]} == {"agency", "note", "evidenceUrl"}

    made = (await api.data(RECORD, _record(s), token=s.tokens["facilitator"]))["recordCommitment"]
    assert made["__typename"] == "Commitment" and made["status"] == "PENDING" and made["dueDate"] == "2027-03-31"
    assert made["clause"] == {"position": 1} and made["round"] == {"slug": s.round.slug}
    assert made["checks"] == {"delivered": 0, "partly": 0, "notDelivered": 0, "total": 0}
    again = (await api.data(RECORD, _record(s), token=s.tokens["facilitator"]))["recordCommitment"]
    assert again["__typename"] == "ValidationError" and again["fields"][0]["field"] == "agency"


async def test_updates_build_the_history_and_only_facilitators_see_who(api, s, session):
    await _publish(session, s)
    commitment = await record_commitment(session, s.facilitator, s.clauses[0].id, agency="กรมที่ดิน",
                                         owner="ที่ดินจังหวัด")
    cid = s.gid("Commitment", commitment)
    moved = (await api.data(UPDATE, {"input": {"commitmentId": cid, "status": "IN_PROGRESS", "dueDate": "2027-06-30",
                                               "note": "เริ่มรังวัด", "evidenceUrl": "https://example.org/a.jpg"}},
                            token=s.tokens["facilitator"]))["updateCommitment"]
    assert moved["status"] == "IN_PROGRESS" and moved["dueDate"] == "2027-06-30"
    assert [(u["previousStatus"], u["status"], u["dueDate"]) for u in moved["updates"]] == [
        (None, "PENDING", None), ("PENDING", "IN_PROGRESS", "2027-06-30")]
    assert moved["updates"][1]["recordedBy"] == {"displayName": s.facilitator.display_name}
    backwards = (await api.data(UPDATE, {"input": {"commitmentId": cid, "status": "PENDING"}},
                                token=s.tokens["facilitator"]))["updateCommitment"]
    assert backwards["__typename"] == "ValidationError" and backwards["fields"][0]["field"] == "status"
    no_reason = (await api.data(UPDATE, {"input": {"commitmentId": cid, "status": "REJECTED"}},
                                token=s.tokens["facilitator"]))["updateCommitment"]
    assert [f["field"] for f in no_reason["fields"]] == ["note"]
    refused = (await api.data(UPDATE, {"input": {"commitmentId": cid, "status": "DONE"}},
                              token=s.tokens["villager"]))["updateCommitment"]
    assert refused["__typename"] == "NotPermitted"
    unknown = (await api.data(UPDATE, {"input": {"commitmentId": s.round_id, "note": "x"}},
                              token=s.tokens["facilitator"]))["updateCommitment"]
    assert unknown["__typename"] == "NotFound"

    public = (await api.data(ROUND, {"id": s.round_id}, token=s.tokens["villager"]))["round"]["commitments"]
    assert [c["status"] for c in public] == ["IN_PROGRESS"] and public[0]["clause"]["text"] == s.clauses[0].text
    assert [u["recordedBy"] for u in public[0]["updates"]] == [None, None]
    node = await api.data("query ($id: ID!) { node(id: $id) { ... on Commitment { agency } } }", {"id": cid},
                          token=s.tokens["stranger"])
    assert node["node"] == {"agency": "กรมที่ดิน"}


async def test_members_check_delivery_and_see_only_counts_and_their_own(api, s, session):
    await _publish(session, s)
    commitment = await record_commitment(session, s.facilitator, s.clauses[0].id, agency="กรมที่ดิน",
                                         owner="ที่ดินจังหวัด")
    cid = s.gid("Commitment", commitment)
    await check_commitment(session, s.villagers[1], commitment.id, answer="not_delivered")
    mine = (await api.data(CHECK, {"id": cid, "answer": "PARTLY", "comment": "ได้บางส่วน"},
                           token=s.tokens["villager"]))["checkCommitment"]
    assert mine["viewerCheck"] == {"answer": "PARTLY", "comment": "ได้บางส่วน"}
    assert mine["checks"] == {"delivered": 0, "partly": 1, "notDelivered": 1, "total": 2}
    again = (await api.data(CHECK, {"id": cid, "answer": "DELIVERED"}, token=s.tokens["villager"]))["checkCommitment"]
    assert again["viewerCheck"] == {"answer": "DELIVERED", "comment": ""} and again["checks"]["total"] == 2
    others = (await api.data(ROUND, {"id": s.round_id}, token=s.tokens["official"]))["round"]["commitments"]
    assert others[0]["viewerCheck"] is None and others[0]["checks"]["delivered"] == 1
    stranger = (await api.data(CHECK, {"id": cid, "answer": "DELIVERED"}, token=s.tokens["stranger"]))
    assert stranger["checkCommitment"]["__typename"] == "NotPermitted"
    long = (await api.data(CHECK, {"id": cid, "answer": "DELIVERED", "comment": "ก" * 1001},
                           token=s.tokens["villager"]))["checkCommitment"]
    assert long["__typename"] == "ValidationError" and long["fields"][0]["field"] == "comment"
    checks = 'query ($id: ID!) { events(roundId: $id, types: ["commitment.checked"]) { edges { node { actorId payload } } } }'
    staff = await api.data(checks, {"id": s.round_id}, token=s.tokens["facilitator"])
    assert [e["node"] for e in staff["events"]["edges"]][-1] == {"actorId": None, "payload": {}}  # the counts say it
    own = await api.data(checks, {"id": s.round_id}, token=s.tokens["villager"])
    assert [e["node"]["payload"] for e in own["events"]["edges"] if e["node"]["payload"]] == [
        {"answer": "partly"}, {"answer": "delivered"}]  # their own, and not the neighbour's


@pytest.mark.parametrize("count", [2, 12])
async def test_listing_commitments_runs_a_fixed_number_of_statements(api, s, session, engine, count):
    await _publish(session, s)
    for i in range(count):
        made = await record_commitment(session, s.facilitator, s.clauses[i % 2].id, agency=f"หน่วยงาน {i}",
                                       owner="สำนักงาน")
        await check_commitment(session, s.villagers[0], made.id, answer="delivered")
    with counting(engine) as statements:
        listed = (await api.data(ROUND, {"id": s.round_id}, token=s.tokens["villager"]))["round"]["commitments"]
    assert len(listed) == count and all(c["viewerCheck"] == {"answer": "DELIVERED", "comment": ""} for c in listed)
    # one statement per kind of thing (commitments, clauses, updates, counts, own checks...), however many
    assert len(statements.queries) == 8, statements.queries
