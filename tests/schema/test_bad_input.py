"""Bad input to /graphql gets an answer that says what to fix: never a 500, an "internal" error, or
garbage handed to PostgreSQL.

Malformed requests get a 400 shaped like a GraphQL error; ids are read strictly; and every String
argument of every mutation, given a control character, is refused by the service with a field
message (not by PostgreSQL, whose refusal the safety net would report on the field "input").
"""

from __future__ import annotations

import base64
import json
import logging
import uuid
from typing import Any

import pytest
from graphql import GraphQLInputObjectType, GraphQLList, GraphQLNonNull, GraphQLString

from schema import ids
from schema import schema as app_schema
from server.channels import service as channels
from server.deliberation import service as deliberation
from server.drafts import service as drafts
from server.people import service as people
from tests.factories import (
    make_commitment,
    make_member,
    make_need,
    make_participant,
    make_round,
    publish_round,
)
from tests.schema.conftest import token_for
from tests.schema.scenario import deliberating_round

GRAPHQL = app_schema._schema
RESULT = "__typename ... on Error { message code } ... on ValidationError { fields { field message } }"
# C0 controls PostgreSQL refuses (NUL) or would keep invisibly, DEL, and a lone surrogate (not UTF-8 at all)
CONTROLS = ("\x00", "\x07", "\x1b", "\x7f", "\ud800")
UNUSABLE_EN = "This text holds an invisible control character that cannot be kept."


async def post(api, body: bytes | str, *, token: str | None = None, lang: str = "en",
               content_type: str = "application/json") -> Any:
    headers = {"Content-Type": content_type, "Accept-Language": lang}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return await api.client.post("/graphql", content=body, headers=headers)


def send(query: str, variables: dict[str, Any] | None = None) -> str:
    """JSON as any client may send it: lone surrogates as \\ud800 escapes (httpx cannot encode them)."""
    return json.dumps({"query": query, "variables": variables or {}})


@pytest.fixture
async def s(session):
    return await deliberating_round(session)


# -- malformed requests -------------------------------------------------------------------------------

MALFORMED = {
    "a JSON string": (b'"query"', "Send one JSON object"),
    "a JSON list": (b'[{"query": "{ viewer { via } }"}]', "Send one JSON object"),
    "a JSON number": (b"3", "Send one JSON object"),
    "null": (b"null", "Send one JSON object"),
    "invalid UTF-8": (b'{"query": "{ viewer { via } }\xc3"}', "not JSON in UTF-8"),
    "bytes that are not text": (b"\xff\xfe\xfd", "not JSON in UTF-8"),
    "invalid JSON": (b'{"query": ', "not JSON in UTF-8"),
    "nested too deep to read": (b"[" * 100_000, "not JSON in UTF-8"),
    "no query": (b'{"variables": {}}', 'Put the GraphQL document to run in "query"'),
    "an empty query": (b'{"query": " "}', 'Put the GraphQL document to run in "query"'),
    "a query that is not a string": (b'{"query": 5}', 'Put the GraphQL document to run in "query"'),
    "variables that are a string": (b'{"query": "{ viewer { via } }", "variables": "{}"}',
                                    '"variables" must be a JSON object'),
    "variables that are a list": (b'{"query": "{ viewer { via } }", "variables": []}',
                                  '"variables" must be a JSON object'),
    "extensions that are a number": (b'{"query": "{ viewer { via } }", "extensions": 1}',
                                     '"extensions" must be a JSON object'),
    "an operation name that is a number": (b'{"query": "{ viewer { via } }", "operationName": 3}',
                                           '"operationName" must be a string'),
    "an operation name that is an object": (b'{"query": "{ viewer { via } }", "operationName": {}}',
                                            '"operationName" must be a string'),
    "an unknown operation name": (b'{"query": "query A { viewer { via } }", "operationName": "B"}',
                                  "no operation named B"),
    "no operation": (b'{"query": "fragment F on Query { viewer { via } }"}', "no query or mutation to run"),
}


@pytest.mark.parametrize("kind", MALFORMED)
async def test_a_malformed_body_gets_a_400_saying_what_to_send(api, s, kind):
    body, english = MALFORMED[kind]
    for token in (None, s.tokens["villager"]):  # with a token, the castVote fast lane looks at it first
        answered = await post(api, body, token=token)
        assert answered.status_code == 400, answered.text
        (error,) = answered.json()["errors"]
        assert error["extensions"] == {"code": "bad_request"}
        assert english in error["message"]
    thai = (await post(api, body, lang="th")).json()["errors"][0]["message"]
    assert thai != error["message"] and any("\u0e00" <= ch <= "\u0e7f" for ch in thai)


async def test_a_cast_vote_in_a_malformed_body_is_refused_not_cast(api, s):
    vote = "mutation ($c: ID!) { castVote(clauseId: $c, choice: AGREE) { __typename } }"
    clause = s.gid("Clause", s.clauses[1])
    for body in ([{"query": vote, "variables": {"c": clause}}],
                 {"query": vote, "variables": json.dumps({"c": clause})},
                 {"query": vote, "variables": {"c": clause}, "operationName": 1}):
        answered = await post(api, json.dumps(body), token=s.tokens["villager"])
        assert answered.status_code == 400 and answered.json()["errors"][0]["extensions"]["code"] == "bad_request"
    mine = await api.data('query ($c: ID!) { node(id: $c) { ... on Clause { viewerVote { choice } } } }',
                          {"c": clause}, token=s.tokens["villager"])
    assert mine["node"]["viewerVote"] is None


async def test_a_body_that_is_not_json_is_refused_in_words(api, s):
    answered = await post(api, "query={viewer{id}}", content_type="application/x-www-form-urlencoded")
    assert answered.status_code == 400
    assert "Content-Type: application/json" in answered.json()["errors"][0]["message"]


@pytest.mark.parametrize(("params", "english"), [
    ({"variables": "3"}, '"variables" must be a JSON object'),
    ({"variables": "{x"}, '"variables" must be a JSON object'),
    ({"variables": "\"{}\""}, '"variables" must be a JSON object'),
    ({"extensions": "[]"}, '"extensions" must be a JSON object'),
    ({"operationName": "Other"}, "no operation named Other"),
])
async def test_a_get_with_bad_parameters_gets_a_400_saying_what_to_fix(api, s, params, english):
    answered = await api.client.get("/graphql", params={"query": "query Mine { viewer { via } }", **params},
                                    headers={"Accept": "application/json", "Accept-Language": "en",
                                             "Authorization": f"Bearer {s.tokens['villager']}"})
    assert answered.status_code == 400, answered.text
    assert answered.json()["errors"][0]["extensions"]["code"] == "bad_request"
    assert english in answered.json()["errors"][0]["message"]


async def test_a_mutation_by_get_is_told_to_use_post(api, s):
    answered = await api.client.get("/graphql", params={"query": "mutation { withdraw { __typename } }"},
                                    headers={"Accept": "application/json", "Accept-Language": "en",
                                             "Authorization": f"Bearer {s.tokens['villager']}"})
    assert answered.status_code in (400, 405)
    assert answered.json()["errors"][0] == {"message": "GET runs queries only: send mutations with POST.",
                                            "extensions": {"code": "bad_request"}}


# -- ids -------------------------------------------------------------------------------------------------

def _variants(good: str) -> list[str]:
    """Spellings of the same id that lenient base64 would read as it: junk, padding, another uuid spelling."""
    type_name, ident = ids.parse(good)
    raw = f"{type_name}:{str(ident).upper()}".encode()
    return [good + "!!", good + "====", good + "\x00", " " + good, good.replace("=", "") + "\n",
            base64.b64encode(raw).decode(), base64.urlsafe_b64encode(f"{type_name}:{ident.hex}".encode()).decode(),
            good[:-4] + "@" + good[-3:]]


def test_a_global_id_is_read_only_as_it_was_written():
    good = ids.encode("Clause", uuid.UUID("01a24245-8582-7f3c-96c8-98f0b661216c"))
    assert ids.parse(good) == ("Clause", uuid.UUID("01a24245-8582-7f3c-96c8-98f0b661216c"))
    for bad in _variants(good):
        assert ids.split(bad) is None, repr(bad)
        with pytest.raises(Exception) as caught:
            ids.decode(bad, "Clause")
        assert caught.value.code == "not_found"


async def test_an_id_with_junk_names_nothing(api, s):
    good = s.gid("Clause", s.clauses[1])
    read = "query ($id: ID!) { node(id: $id) { id } nodes(ids: [$id]) { id } }"
    vote = "mutation ($c: ID!) { castVote(clauseId: $c, choice: AGREE) { " + RESULT + " } }"
    assert (await api.data(read, {"id": good}, token=s.tokens["villager"]))["node"] == {"id": good}
    for bad in _variants(good):
        found = await api.data(read, {"id": bad}, token=s.tokens["villager"])
        assert found == {"node": None, "nodes": [None]}, repr(bad)
        voted = (await api.data(vote, {"c": bad}, token=s.tokens["villager"]))["castVote"]
        assert voted["__typename"] == "NotFound", repr(bad)


def test_no_argument_is_read_by_strawberrys_lenient_global_id():
    """Arguments are strawberry.ID, decoded by schema/ids.py; a relay.GlobalID argument would be decoded
    by strawberry's from_base64, which skips junk."""
    from strawberry.relay import GlobalID

    lenient = []
    for concrete in app_schema.schema_converter.type_map.values():
        for field in getattr(concrete.definition, "fields", ()):
            for argument in getattr(field, "arguments", ()):
                if GlobalID in (argument.type, getattr(argument.type, "of_type", None)):
                    lenient.append(f"{concrete.definition.name}.{field.name}({argument.python_name})")
    assert lenient == []


# -- references ------------------------------------------------------------------------------------------

COMMUNITY = """mutation ($area: String) { createCommunity(nameTh: "บ้านเกาะหลีเป๊ะ", nameEn: "Ban Ko Lipe",
  areaCode: $area) { RESULT ... on Community { areaCode } } }""".replace("RESULT", RESULT)


async def test_a_community_in_an_unknown_area_gets_a_field_message(api, s):
    for code in ("999999", "91x", "\x00", "1" * 50):
        made = (await api.data(COMMUNITY, {"area": code}, token=s.tokens["facilitator"]))["createCommunity"]
        assert made["__typename"] == "ValidationError", code
        assert [f["field"] for f in made["fields"]] == ["areaCode"]
    for blank in ("", None):  # a form's empty choice: no area
        made = (await api.data(COMMUNITY, {"area": blank}, token=s.tokens["facilitator"]))["createCommunity"]
        assert made == {"__typename": "Community", "areaCode": None}
    assert (await api.data(COMMUNITY, {"area": "9101"}, token=s.tokens["facilitator"]))["createCommunity"] == {
        "__typename": "Community", "areaCode": "9101"}


async def test_a_reference_no_service_checked_is_a_validation_error_not_a_conflict(api, s, monkeypatch, caplog):
    """The safety net: a foreign key PostgreSQL refuses is the input's fault, said in words, and logged
    so that the service gets its check."""
    async def unchecked(session, invalid, field, code):
        return None

    monkeypatch.setattr("server.reference.service.check_area", unchecked)
    with caplog.at_level(logging.WARNING, logger="schema"):
        made = (await api.data(COMMUNITY, {"area": "999999"}, token=s.tokens["facilitator"]))["createCommunity"]
    assert made["__typename"] == "ValidationError" and made["code"] == "validation"
    assert made["fields"] == [{"field": "input", "message": "Something this input refers to does not exist "
                               "(any more): check its codes and choices, and try again."}]
    assert any("foreign key" in r.getMessage() for r in caplog.records)
    thai = (await api.data(COMMUNITY, {"area": "999999"}, token=s.tokens["facilitator"], lang="th"))
    assert thai["createCommunity"]["fields"][0]["message"] != made["fields"][0]["message"]


# -- every String argument of every mutation -------------------------------------------------------------

def _string_paths(kind: Any, value: Any, path: tuple = ()) -> list[tuple]:
    """Where in `value` (of GraphQL input type `kind`) a String is."""
    if isinstance(kind, GraphQLNonNull):
        kind = kind.of_type
    if value is None:
        return []
    if isinstance(kind, GraphQLList):
        return [p for i, item in enumerate(value) for p in _string_paths(kind.of_type, item, (*path, i))]
    if isinstance(kind, GraphQLInputObjectType):
        return [p for name, field in kind.fields.items() if name in value
                for p in _string_paths(field.type, value[name], (*path, name))]
    return [path] if kind is GraphQLString else []


def _declared(kind: Any, path: tuple = ()) -> set[tuple]:
    """Every place a String can be given in an argument of type `kind` (lists as "[]")."""
    while isinstance(kind, (GraphQLNonNull, GraphQLList)):
        if isinstance(kind, GraphQLList):
            path = (*path, "[]")
        kind = kind.of_type
    if isinstance(kind, GraphQLInputObjectType):
        return {p for name, field in kind.fields.items() for p in _declared(field.type, (*path, name))}
    return {path} if kind is GraphQLString else set()


def _document(name: str, variables: dict[str, Any]) -> str:
    arguments = GRAPHQL.mutation_type.fields[name].args
    declared = ", ".join(f"${a}: {arguments[a].type}" for a in variables)
    passed = ", ".join(f"{a}: ${a}" for a in variables)
    return f"mutation ({declared}) {{ {name}({passed}) {{ {RESULT} }} }}"


def _injected(variables: dict[str, Any], path: tuple, control: str) -> dict[str, Any]:
    copied = json.loads(json.dumps(variables))
    *parents, last = path
    holder = copied
    for key in parents:
        holder = holder[key]
    text = holder[last]
    holder[last] = text[: len(text) // 2] + control + text[len(text) // 2:]
    return copied


async def _cases(session, s) -> dict[str, tuple[str, dict[str, Any]]]:
    """Each mutation with a String argument: whose token, and arguments it accepts (every String given)."""
    admin = await make_participant(session, role="admin")
    s.tokens["admin"] = await token_for(session, admin, "read", "participate", "facilitate", "admin")
    needs_round = await make_round(session, s.facilitator, phase="needs")
    drafting_round = await make_round(session, s.facilitator, phase="drafting")
    draft = await drafts.create_draft(session, s.facilitator, drafting_round.id, title="ร่างที่สอง")
    drafted = await drafts.add_clause(session, s.facilitator, draft.id, text="ข้อที่จะแก้")
    comment = await deliberation.post_comment(session, s.villagers[1], body="เห็นด้วย", stance="support",
                                              clause_id=s.clauses[0].id)
    await people.record_consent(session, s.villagers[0], s.villagers[0].id, purpose="sensitive_data", granted=True)
    newcomer = await make_member(session, needs_round)
    await publish_round(session, s.round)
    commitment = await make_commitment(session, s.clauses[0])
    organisation = await people.create_organisation(session, admin, name_th="กรมประมง", name_en="Fisheries",
                                                    kind="government")
    channel = await channels.create_channel(session, admin, organisation_id=organisation.id, slug="heard-channel",
                                            title={"th": "ช่องทางรับเรื่อง"})
    heard = await make_need(session, channel, admin)
    gid = ids.encode
    translations = [{"language": "en", "field": "title", "text": "Another draft"}]
    texts = [{"language": "th", "text": "รอบใหม่"}, {"language": "en", "text": "A new round"}]
    return {
        "submitNeed": ("facilitator", {"input": {
            "roundId": gid("Round", needs_round.id), "title": "น้ำท่วมขัง", "areaCode": "910101",
            "sector": "land_housing", "severity": 3, "peopleAffected": 40, "body": "ทุกปี", "hazards": ["flood"],
            "language": "th", "translations": [{"language": "en", "field": "body", "text": "Every year"}]}}),
        "createDraft": ("facilitator", {"input": {"roundId": gid("Round", drafting_round.id), "title": "ร่าง",
                                                  "summary": "สรุป", "language": "th", "translations": translations}}),
        "editClause": ("facilitator", {"input": {"clauseId": gid("Clause", drafted.id), "text": "ข้อหนึ่ง แก้แล้ว",
                                                 "translations": [{"language": "en", "field": "text", "text": "One"}]}}),
        "addClause": ("facilitator", {"input": {"draftId": gid("Draft", draft.id), "text": "ข้อหนึ่ง",
                                                "language": "th", "translations": [
                                                    {"language": "en", "field": "text", "text": "One"}]}}),
        "proposeAmendment": ("villager", {"input": {"clauseId": s.gid("Clause", s.clauses[0]), "text": "ข้อแก้",
                                                    "rationale": "เหตุผล", "language": "th"}}),
        "postComment": ("villager", {"input": {"clauseId": s.gid("Clause", s.clauses[0]), "body": "ความเห็น",
                                               "stance": "SUPPORT", "language": "th"}}),
        "moderateComment": ("facilitator", {"commentId": gid("Comment", comment.id), "state": "HIDDEN",
                                            "reason": "ข้อมูลส่วนตัว"}),
        "createRound": ("facilitator", {"input": {
            "slug": "new-round-2027", "title": texts, "description": texts, "areaCodes": ["91"], "template": "standard",
            "groups": [{"key": "fishers", "name": [{"language": "th", "text": "ชาวประมง"}], "quorum": 2}]}}),
        "addMember": ("facilitator", {"roundId": gid("Round", needs_round.id), "participantId":
                                      gid("Participant", newcomer.id), "groupKey": "government"}),
        "movePhase": ("facilitator", {"roundId": s.round_id, "phase": "deliberation"}),
        "schedulePhase": ("facilitator", {"input": {"roundId": s.round_id, "phase": "consolidation",
                                                    "endsAt": "2099-01-01T00:00:00+07:00"}}),
        "createInvites": ("facilitator", {"roundId": s.round_id, "groupKey": "villagers"}),
        "editPhases": ("facilitator", {"input": {"roundId": gid("Round", needs_round.id), "phases": [
            {"key": "needs", "names": texts, "opens": [{"action": "submit_need", "roles": ["participant"]}]},
            {"key": "drafting"}]}}),
        "editGroups": ("facilitator", {"input": {"roundId": gid("Round", needs_round.id), "groups": [
            {"key": "villagers", "name": texts, "quorum": 2}, {"key": "government", "name": texts}]}}),
        "recordProxy": ("facilitator", {"input": {"roundId": s.round_id, "method": "MEETING", "consent": "VERBAL",
                                                  "peopleCount": 12, "meeting": "ประชุมหมู่บ้าน",
                                                  "consentNote": "ยินยอมด้วยวาจา"}}),
        "createToken": ("admin", {"participantId": gid("Participant", s.villagers[2].id), "name": "ระบบสำรวจ",
                                  "scopes": ["READ"]}),
        "createParticipant": ("facilitator", {"input": {"displayName": "สมศรี", "locale": "th", "languages": ["mfa"],
                                                        "contact": "081 234 5678"}}),
        "createOrganisation": ("admin", {"nameTh": "กรมที่ดิน", "nameEn": "Department of Lands",
                                         "kind": "GOVERNMENT"}),
        "createCommunity": ("facilitator", {"nameTh": "บ้านเกาะหลีเป๊ะ", "nameEn": "Ban Ko Lipe", "areaCode": "910101",
                                            "languages": ["th", "mfa"]}),
        "setSensitiveData": ("villager", {"ethnicity": "อูรักลาโว้ย", "disability": "ไม่มี", "health": "ปกติ"}),
        "registerWebhook": ("facilitator", {"roundId": s.round_id, "url": "https://example.org/hook",
                                            "eventTypes": ["vote.cast"]}),
        "recordCommitment": ("facilitator", {"input": {"clauseId": s.gid("Clause", s.clauses[0]), "agency": "อบต.",
                                                       "owner": "ปลัด", "note": "เริ่มแล้ว",
                                                       "evidenceUrl": "https://example.org/a"}}),
        "updateCommitment": ("facilitator", {"input": {"commitmentId": gid("Commitment", commitment.id),
                                                       "note": "คืบหน้า", "evidenceUrl": "https://example.org/b"}}),
        "createChannel": ("admin", {"input": {"organisationId": gid("Organisation", organisation.id),
                                              "slug": "fisheries-channel", "title": texts, "description": texts,
                                              "areaCodes": ["91"]}}),
        "answerNeed": ("admin", {"needId": gid("Need", heard.id), "answer": "จะไปดูเดือนหน้า"}),
        "tagNeed": ("admin", {"needId": gid("Need", heard.id), "tags": ["ท่าเรือ"]}),
        "setExclusionData": ("villager", {"answers": {"idDocument": "PINK_CARD", "areaCode": "9101"}, "agree": True}),
        "setOpenDataLicence": ("facilitator", {"roundId": s.round_id, "licence": "CC-BY-4.0"}),
        "checkCommitment": ("villager", {"commitmentId": gid("Commitment", commitment.id), "answer": "PARTLY",
                                         "comment": "ยังไม่ครบ"}),
    }


async def test_every_string_argument_of_every_mutation_refuses_control_characters(api, s, session):
    cases = await _cases(session, s)
    with_strings = {name for name, field in GRAPHQL.mutation_type.fields.items()
                    if any(_declared(a.type) for a in field.args.values())}
    assert with_strings == set(cases), "give each mutation that takes a String arguments it accepts"
    injected = 0
    for name, (who, variables) in cases.items():
        document = _document(name, variables)
        arguments = GRAPHQL.mutation_type.fields[name].args
        paths = [(a, *p) for a, value in variables.items() for p in _string_paths(arguments[a].type, value)]
        given = {tuple("[]" if isinstance(k, int) else k for k in p) for p in paths}
        declared = {(a, *p) for a, argument in arguments.items() for p in _declared(argument.type)}
        assert declared <= given, f"{name}: give every String argument ({sorted(declared - given)} missing)"
        for i, path in enumerate(paths):
            for control in {"\x00", CONTROLS[i % len(CONTROLS)]}:
                answered = await post(api, send(document, _injected(variables, path, control)), token=s.tokens[who])
                assert answered.status_code == 200, (name, path, answered.text)
                body = answered.json()
                assert "errors" not in body, (name, path, body)
                refused = body["data"][name]
                assert refused["__typename"] == "ValidationError", (name, path, control, refused)
                fields = {f["field"] for f in refused["fields"]}
                assert "input" not in fields, (name, path, control, refused)  # the service caught it, not PostgreSQL
                injected += 1
        accepted = (await api.data(document, variables, token=s.tokens[who]))[name]
        assert accepted["__typename"] not in {"ValidationError", "NotFound", "NotPermitted", "PhaseClosed",
                                              "Conflict", "NotPublished", "ProxyRequired"}, (name, accepted)
    assert injected > 100


async def test_free_text_with_a_control_character_is_named_and_explained(api, s):
    comment = ('mutation ($c: ID!, $b: String!) { postComment(input: {clauseId: $c, body: $b, stance: SUPPORT}) '
               f'{{ {RESULT} }} }}')
    answered = await post(api, send(comment, {"c": s.gid("Clause", s.clauses[0]), "b": "ดี\x00มาก"}),
                          token=s.tokens["villager"], lang="th")
    refused = answered.json()["data"]["postComment"]
    assert [f["field"] for f in refused["fields"]] == ["body"]
    assert "อักขระควบคุม" in refused["fields"][0]["message"]


# -- queries ---------------------------------------------------------------------------------------------

QUERIES = {
    "round by slug": ("query ($v: String) { round(slug: $v) { id } }", None),
    "round by id": ("query ($v: ID) { round(id: $v) { id } }", None),
    "needs by text": ("query ($v: String) { needs(filter: {text: $v}) { totalCount } }", "text"),
    "needs by sector": ("query ($v: String) { needs(filter: {sector: $v}) { totalCount } }", "sector"),
    "needs by hazard": ("query ($v: String) { needs(filter: {hazard: $v}) { totalCount } }", "hazard"),
    "needs by area": ("query ($v: String) { needs(filter: {areaCode: $v}) { totalCount } }", "areaCode"),
    "needs after": ("query ($v: String) { needs(after: $v) { totalCount } }", "after"),
    "rounds before": ("query ($v: String) { rounds(last: 2, before: $v) { edges { cursor } } }", "before"),
    "events by type": ("query ($v: String!) { events(roundId: \"%s\", types: [$v]) { edges { cursor } } }",
                       "types"),
}


@pytest.mark.parametrize("kind", QUERIES)
async def test_queries_refuse_control_characters_in_words(api, s, kind):
    query, field = QUERIES[kind]
    query = query.replace("%s", s.round_id)
    for control in CONTROLS:
        answered = await post(api, send(query, {"v": f"a{control}b"}), token=s.tokens["facilitator"])
        assert answered.status_code == 200, answered.text
        body = answered.json()
        if field is None:
            assert body == {"data": {"round": None}}
            continue
        (error,) = body["errors"]
        assert error["extensions"]["code"] == "validation", error
        assert list(error["extensions"]["fields"]) == [field], error
