"""What facilitators and administrators do through the API, people's own data, and each refusal."""

import pytest

from schema import ids
from tests.factories import make_participant
from tests.schema.conftest import token_for
from tests.schema.scenario import deliberating_round

RESULT = "__typename ... on Error { message code } ... on ValidationError { fields { field message } }"


@pytest.fixture
async def s(session):
    return await deliberating_round(session)


async def test_create_a_round_and_run_it(api, s):
    create = """mutation ($input: CreateRoundInput!) { createRound(input: $input) { ERRORS
      ... on Round { id slug title viewerRole groups { key quorum } currentPhase { key } } } }""".replace("ERRORS", RESULT)
    spec = {"slug": "ranong-2026", "title": [{"language": "th", "text": "ระนอง"}, {"language": "en", "text": "Ranong"}],
            "groups": [{"key": "displaced_thais", "name": [{"language": "th", "text": "คนไทยพลัดถิ่น"}], "quorum": 5}],
            "areaCodes": ["85"]}
    made = (await api.data(create, {"input": spec}, token=s.tokens["facilitator"], lang="en"))["createRound"]
    assert made["title"] == "Ranong" and made["viewerRole"] == "facilitator"
    assert made["groups"] == [{"key": "displaced_thais", "quorum": 5}] and made["currentPhase"] == {"key": "needs"}
    again = (await api.data(create, {"input": spec}, token=s.tokens["facilitator"]))["createRound"]
    assert again["__typename"] == "Conflict"
    bad = (await api.data(create, {"input": {**spec, "slug": "X", "groups": []}},
                          token=s.tokens["facilitator"]))["createRound"]
    assert {f["field"] for f in bad["fields"]} == {"slug", "groups"}
    refused = (await api.data(create, {"input": {**spec, "slug": "other"}}, token=s.tokens["villager"]))["createRound"]
    assert refused["__typename"] == "NotPermitted"

    move = """mutation ($id: ID!, $phase: String!) { movePhase(roundId: $id, phase: $phase) { ERRORS
      ... on Round { currentPhase { key } } } }""".replace("ERRORS", RESULT)
    moved = (await api.data(move, {"id": made["id"], "phase": "drafting"}, token=s.tokens["facilitator"]))
    assert moved["movePhase"]["currentPhase"] == {"key": "drafting"}
    unknown = (await api.data(move, {"id": made["id"], "phase": "party"}, token=s.tokens["facilitator"]))
    assert unknown["movePhase"]["fields"][0]["field"] == "phase"
    not_theirs = (await api.data(move, {"id": made["id"], "phase": "needs"}, token=s.tokens["official"]))
    assert not_theirs["movePhase"]["__typename"] == "NotPermitted"


async def test_members_invites_and_schedules(api, s, session):
    newcomer = await make_participant(session)
    add = """mutation ($round: ID!, $who: ID!, $group: String) {
      addMember(roundId: $round, participantId: $who, groupKey: $group) { ERRORS
        ... on MemberPayload { participantId group { key } facilitates round { slug } } } }""".replace("ERRORS", RESULT)
    added = (await api.data(add, {"round": s.round_id, "who": ids.encode("Participant", newcomer.id),
                                  "group": "villagers"}, token=s.tokens["facilitator"]))["addMember"]
    assert added["group"] == {"key": "villagers"} and added["participantId"] == ids.encode("Participant", newcomer.id)
    no_group = (await api.data(add, {"round": s.round_id, "who": ids.encode("Participant", newcomer.id),
                                     "group": "aliens"}, token=s.tokens["facilitator"]))["addMember"]
    assert no_group["__typename"] == "ValidationError"
    nobody = (await api.data(add, {"round": s.round_id, "who": s.gid("Round", s.round)},
                             token=s.tokens["facilitator"]))["addMember"]
    assert nobody["__typename"] == "NotFound"

    invites = """mutation ($round: ID!, $count: Int!) { createInvites(roundId: $round, groupKey: "villagers",
      count: $count, maxUses: 2) { ERRORS ... on InvitesPayload { codes maxUses group { key } } } }""".replace("ERRORS", RESULT)
    made = (await api.data(invites, {"round": s.round_id, "count": 3}, token=s.tokens["facilitator"]))["createInvites"]
    assert len(made["codes"]) == 3 and made["maxUses"] == 2 and made["group"] == {"key": "villagers"}
    none = (await api.data(invites, {"round": s.round_id, "count": 0}, token=s.tokens["facilitator"]))["createInvites"]
    assert none["fields"][0]["field"] == "count"

    schedule = """mutation ($input: SchedulePhaseInput!) { schedulePhase(input: $input) { ERRORS
      ... on Round { phases { key endsAt } } } }""".replace("ERRORS", RESULT)
    naive = (await api.data(schedule, {"input": {"roundId": s.round_id, "phase": "deliberation",
                                                 "endsAt": "2020-01-01T00:00:00"}}, token=s.tokens["facilitator"]))
    assert naive["schedulePhase"]["fields"][0]["field"] == "endsAt"
    ended = (await api.data(schedule, {"input": {"roundId": s.round_id, "phase": "deliberation",
                                                 "endsAt": "2020-01-01T00:00:00+07:00"}}, token=s.tokens["facilitator"]))
    assert ended["schedulePhase"]["__typename"] == "Round"
    vote = "mutation ($c: ID!) { castVote(clauseId: $c, choice: AGREE) { __typename } }"
    late = await api.data(vote, {"c": s.gid("Clause", s.clauses[1])}, token=s.tokens["villager"])
    assert late["castVote"]["__typename"] == "PhaseClosed"  # the scheduled end has passed


async def test_drafts_and_clauses_by_facilitators_in_the_drafting_phase(api, s, session):
    draft = """mutation ($round: ID!) { createDraft(input: {roundId: $round, title: "ร่างที่สอง",
      translations: [{language: "en", field: "title", text: "Second draft"}]}) { ERRORS
      ... on Draft { id title translations { language text } } } }""".replace("ERRORS", RESULT)
    closed = (await api.data(draft, {"round": s.round_id}, token=s.tokens["facilitator"]))["createDraft"]
    assert closed["__typename"] == "PhaseClosed"
    from server.rounds import service as rounds

    await rounds.move_phase(session, s.facilitator, s.round.id, "drafting")
    made = (await api.data(draft, {"round": s.round_id}, token=s.tokens["facilitator"]))["createDraft"]
    assert made["translations"] == [{"language": "en", "text": "Second draft"}]
    participant = (await api.data(draft, {"round": s.round_id}, token=s.tokens["villager"]))["createDraft"]
    assert participant["__typename"] == "NotPermitted"  # the token has no facilitate scope

    clause = """mutation ($input: AddClauseInput!) { addClause(input: $input) { ERRORS
      ... on Clause { position text answers { title } } } }""".replace("ERRORS", RESULT)
    added = (await api.data(clause, {"input": {"draftId": made["id"], "text": "ข้อแรก",
                                               "answers": [s.gid("Need", s.needs[1])]}},
                            token=s.tokens["facilitator"]))["addClause"]
    assert added == {"__typename": "Clause", "position": 1, "text": "ข้อแรก", "answers": [{"title": s.needs[1].title}]}
    long_language = (await api.data(clause, {"input": {"draftId": made["id"], "text": "x", "language": "x" * 40}},
                                    token=s.tokens["facilitator"]))["addClause"]
    assert long_language["fields"][0]["field"] == "language"


async def test_consolidate_a_round_now(api, s):
    consolidate = """mutation ($id: ID!) { consolidateRound(roundId: $id) { ERRORS
      ... on ConsolidatedProposal { version clauses { status } } } }""".replace("ERRORS", RESULT)
    done = (await api.data(consolidate, {"id": s.round_id}, token=s.tokens["facilitator"]))["consolidateRound"]
    assert done["version"] == 1 and len(done["clauses"]) == 2
    same = (await api.data(consolidate, {"id": s.round_id}, token=s.tokens["facilitator"]))["consolidateRound"]
    assert same["version"] == 1  # same inputs, same version
    refused = (await api.data(consolidate, {"id": s.round_id}, token=s.tokens["official"]))["consolidateRound"]
    assert refused["__typename"] == "NotPermitted"

    publish = """mutation ($id: ID!, $version: Int!) { publishProposal(roundId: $id, version: $version) { ERRORS
      ... on ConsolidatedProposal { version publishedAt } } }""".replace("ERRORS", RESULT)
    missing = (await api.data(publish, {"id": s.round_id, "version": 7}, token=s.tokens["facilitator"]))
    assert missing["publishProposal"]["__typename"] == "NotFound"
    not_theirs = (await api.data(publish, {"id": s.round_id, "version": 1}, token=s.tokens["official"]))
    assert not_theirs["publishProposal"]["__typename"] == "NotPermitted"
    published = (await api.data(publish, {"id": s.round_id, "version": 1}, token=s.tokens["facilitator"]))
    assert published["publishProposal"]["publishedAt"]
    shown = await api.data("query ($id: ID!) { round(id: $id) { publishedProposal { version } } }",
                           {"id": s.round_id}, token=s.tokens["official"])
    assert shown["round"]["publishedProposal"] == {"version": 1}


async def test_facilitators_register_and_deactivate_webhooks(api, s):
    register = """mutation ($id: ID!, $url: String!, $types: [String!]) {
      registerWebhook(roundId: $id, url: $url, eventTypes: $types) { ERRORS
        ... on WebhookPayload { secret webhook { id url eventTypes active } } } }""".replace("ERRORS", RESULT)
    made = (await api.data(register, {"id": s.round_id, "url": "https://dashboard.example.org/ruam",
                                      "types": ["vote.cast"]}, token=s.tokens["facilitator"]))["registerWebhook"]
    assert made["secret"] and made["webhook"]["eventTypes"] == ["vote.cast"] and made["webhook"]["active"]
    bad = (await api.data(register, {"id": s.round_id, "url": "ftp://x", "types": ["votes"]},
                          token=s.tokens["facilitator"]))["registerWebhook"]
    assert {f["field"] for f in bad["fields"]} == {"url", "eventTypes"}
    refused = (await api.data(register, {"id": s.round_id, "url": "https://x.example.org"},
                              token=s.tokens["villager"]))["registerWebhook"]
    assert refused["__typename"] == "NotPermitted"

    listed = "query ($id: ID!) { round(id: $id) { webhooks { url active } } }"
    assert (await api.data(listed, {"id": s.round_id}, token=s.tokens["villager"]))["round"]["webhooks"] is None
    deactivate = """mutation ($id: ID!) { deactivateWebhook(webhookId: $id) { ERRORS
      ... on Webhook { active } } }""".replace("ERRORS", RESULT)
    done = (await api.data(deactivate, {"id": made["webhook"]["id"]}, token=s.tokens["facilitator"]))
    assert done["deactivateWebhook"] == {"__typename": "Webhook", "active": False}
    assert (await api.data(listed, {"id": s.round_id}, token=s.tokens["facilitator"]))["round"]["webhooks"] == [
        {"url": "https://dashboard.example.org/ruam", "active": False}]


async def test_admins_issue_and_revoke_tokens(api, s, session):
    admin = await make_participant(session, role="admin")
    admin_token = await token_for(session, admin, "read", "admin")
    create = """mutation ($who: ID!, $scopes: [Scope!]!) { createToken(participantId: $who, name: "Dashboard",
      scopes: $scopes) { ERRORS ... on TokenPayload { secret token { id name scopes } } } }""".replace("ERRORS", RESULT)
    made = (await api.data(create, {"who": s.gid("Participant", s.official), "scopes": ["READ"]},
                           token=admin_token))["createToken"]
    assert made["secret"].startswith("ruam_") and made["token"]["scopes"] == ["READ"]
    viewer = "{ viewer { participant { displayName } scopes via } }"
    assert (await api.data(viewer, token=made["secret"]))["viewer"]["scopes"] == ["read"]
    refused = (await api.data(create, {"who": s.gid("Participant", s.official), "scopes": ["ADMIN"]},
                              token=s.tokens["facilitator"]))["createToken"]
    assert refused["__typename"] == "NotPermitted"
    empty = (await api.data(create, {"who": s.gid("Participant", s.official), "scopes": []},
                            token=admin_token))["createToken"]
    assert empty["fields"][0]["field"] == "scopes"

    revoke = """mutation ($id: ID!) { revokeToken(tokenId: $id) { ERRORS ... on ApiToken { revokedAt } } }""".replace("ERRORS", RESULT)
    assert (await api.data(revoke, {"id": made["token"]["id"]}, token=admin_token))["revokeToken"]["revokedAt"]
    await api(viewer, token=made["secret"], status=401)


async def test_people_organisations_and_communities(api, s, session):
    admin = await make_participant(session, role="admin")
    admin_token = await token_for(session, admin, "read", "facilitate", "admin")
    organisation = """mutation { createOrganisation(nameTh: "มูลนิธิชุมชนไท", nameEn: "Chumchonthai Foundation",
      kind: CSO) { ERRORS ... on Organisation { id nameEn kind } } }""".replace("ERRORS", RESULT)
    org = (await api.data(organisation, token=admin_token))["createOrganisation"]
    assert org["kind"] == "CSO"
    assert (await api.data(organisation, token=s.tokens["facilitator"]))["createOrganisation"]["__typename"] == \
        "NotPermitted"
    community = """mutation { createCommunity(nameTh: "ชาวเลเกาะหลีเป๊ะ", nameEn: "Ko Lipe Chao Lay", areaCode: "910101",
      languages: ["th", "urk"]) { ERRORS ... on Community { id languages } } }""".replace("ERRORS", RESULT)
    made = (await api.data(community, token=s.tokens["facilitator"]))["createCommunity"]
    assert made["languages"] == ["th", "urk"]

    person = """mutation ($input: CreateParticipantInput!) { createParticipant(input: $input) { ERRORS
      ... on Participant { id displayName role } } }""".replace("ERRORS", RESULT)
    new = (await api.data(person, {"input": {"displayName": "มาลี", "communityId": made["id"],
                                             "organisationId": org["id"]}}, token=s.tokens["facilitator"]))
    assert new["createParticipant"]["role"] == "PARTICIPANT".lower()
    staff = (await api.data(person, {"input": {"displayName": "Boss", "role": "ADMIN"}},
                            token=s.tokens["facilitator"]))["createParticipant"]
    assert staff["__typename"] == "NotPermitted"
    wrong_link = (await api.data(person, {"input": {"displayName": "x", "communityId": org["id"]}},
                                 token=s.tokens["facilitator"]))["createParticipant"]
    assert wrong_link["fields"][0]["field"] == "communityId"


async def test_consent_sensitive_data_and_withdrawal_are_the_persons_own(api, s):
    token = s.tokens["villager"]
    sensitive = """mutation ($who: ID) { setSensitiveData(ethnicity: "Urak Lawoi", participantId: $who) { ERRORS
      ... on SensitiveDataPayload { stored } } }""".replace("ERRORS", RESULT)
    first = (await api.data(sensitive, {}, token=token))["setSensitiveData"]
    assert first["__typename"] == "NotPermitted"  # it needs its own consent first
    consent = """mutation ($who: ID, $purpose: ConsentPurpose!) { recordConsent(purpose: $purpose, granted: true,
      participantId: $who) { ERRORS ... on ConsentPayload { purpose granted } } }""".replace("ERRORS", RESULT)
    given = (await api.data(consent, {"purpose": "SENSITIVE_DATA"}, token=token))["recordConsent"]
    assert given == {"__typename": "ConsentPayload", "purpose": "SENSITIVE_DATA", "granted": True}
    assert (await api.data(sensitive, {}, token=token))["setSensitiveData"] == {
        "__typename": "SensitiveDataPayload", "stored": ["ethnicity"]}
    consents = (await api.data("{ viewer { consents { purpose granted } } }", token=token))["viewer"]["consents"]
    assert consents == [{"purpose": "sensitive_data", "granted": True}]

    someone_else = s.gid("Participant", s.villagers[1])
    refused = (await api.data(consent, {"purpose": "DATA_PROCESSING", "who": someone_else}, token=token))
    assert refused["recordConsent"]["message"] == "This token does not allow facilitate."
    by_staff = (await api.data(consent, {"purpose": "DATA_PROCESSING", "who": someone_else},
                               token=s.tokens["facilitator"]))
    assert by_staff["recordConsent"]["granted"] is True

    withdraw = """mutation { withdraw { ERRORS ... on Participant { displayName withdrawn } } }""".replace("ERRORS", RESULT)
    gone = (await api.data(withdraw, token=token))["withdraw"]
    assert gone == {"__typename": "Participant", "displayName": "—", "withdrawn": True}
    await api("{ viewer { via } }", token=token, status=401)  # a withdrawn person's tokens stop working
