"""What keeps the API safe to expose: limits, refusals, masking, and caches that keep it fast."""

import logging

import pytest
from strawberry.extensions.validation_cache import _get_validate_cache

import schema
from tests.factories import make_participant
from tests.schema.conftest import token_for


@pytest.fixture
async def token(session):
    return await token_for(session, await make_participant(session), "read")


async def test_queries_deeper_than_the_limit_are_refused(api, token):
    deep = "{ viewer { participant { displayName } } }"
    assert "errors" not in await api(deep, token=token)
    nested = "round(slug: \"x\") { drafts { round { drafts { round { drafts { round { drafts { round { drafts { " \
             "round { slug } } } } } } } } } } }"
    answer = await api("{ " + nested + " }", token=token)
    assert "exceeds maximum operation depth" in answer["errors"][0]["message"]
    assert answer.get("data") is None


async def test_too_many_aliases_and_tokens_are_refused(api, token):
    aliases = " ".join(f"a{i}: viewer {{ via }}" for i in range(schema.MAX_ALIASES + 1))
    answer = await api("{ " + aliases + " }", token=token)
    assert "31 aliases found" in answer["errors"][0]["message"]
    tokens = "{ " + " ".join("__typename" for _ in range(schema.MAX_TOKENS)) + " }"
    answer = await api(tokens, token=token)
    assert "more than 3000 tokens" in answer["errors"][0]["message"]


async def test_a_body_over_256_kb_gets_a_clear_413(api, token):
    padding = "#" * (300 * 1024)
    answer = await api("{ viewer { via } }\n" + padding, token=token, status=413)
    assert answer["errors"][0]["extensions"]["code"] == "too_large"
    assert "256 KB" in answer["errors"][0]["message"]

    # without a Content-Length, the body is read only up to the limit
    async def chunks():
        yield b'{"query": "{ viewer { via } }", "x": "'
        for _ in range(40):
            yield b"a" * 8192

    response = await api.client.post("/graphql", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413


async def test_rate_limits_per_address_and_per_token_answer_429_with_retry_after(api, session, token, monkeypatch):
    monkeypatch.setattr(api.view, "per_token", (2, 60))
    for _ in range(2):
        await api("{ viewer { via } }", token=token)
    refused = await api.client.post("/graphql", json={"query": "{ viewer { via } }"},
                                    headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 60
    assert refused.json()["errors"][0]["message"].startswith("Too many requests. Please wait")
    other = await token_for(session, await make_participant(session), "read")
    assert "errors" not in await api("{ viewer { via } }", token=other)  # another token still gets through

    monkeypatch.setattr(api.view, "per_address", (3, 60))
    await api("{ __typename }", status=429)  # 3 requests from this address came before


async def test_an_unknown_token_is_401_and_anonymous_reads_are_not_permitted(api):
    refused = await api("{ viewer { via } }", token="ruam_not-a-real-token", status=401)
    assert refused["errors"][0]["extensions"]["code"] == "not_permitted"
    answer = await api("{ rounds { edges { node { slug } } } }")
    assert answer["errors"][0]["extensions"]["code"] == "not_permitted"
    assert "sign in" in answer["errors"][0]["message"]
    # the schema itself is public, for tools and GraphiQL
    assert (await api("{ __schema { queryType { name } } }"))["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_unexpected_errors_are_masked_and_logged_with_a_reference(api, token, monkeypatch, caplog):
    async def broken(*args, **kwargs):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr("schema.rounds.queries.rounds_page", broken)
    with caplog.at_level(logging.ERROR, logger="schema"):
        answer = await api("{ rounds { edges { node { slug } } } }", token=token)
    error = answer["errors"][0]
    reference = error["extensions"]["reference"]
    assert error["extensions"]["code"] == "internal" and reference in error["message"]
    assert "hunter2" not in str(answer)
    assert any(reference in r.getMessage() and r.exc_info for r in caplog.records)


async def test_only_json_posts_and_get_queries(api, token):
    auth = {"Authorization": f"Bearer {token}"}
    form = await api.client.post("/graphql", content="query={viewer{via}}", headers={**auth,
                                 "Content-Type": "application/x-www-form-urlencoded"})
    assert form.status_code == 400  # so no other site's form can post a mutation with a cookie
    got = await api.client.get("/graphql", params={"query": "{ viewer { via } }"}, headers=auth)
    assert got.json()["data"]["viewer"]["via"] == "token"
    mutation = await api.client.get("/graphql", params={"query": "mutation { withdraw { __typename } }"},
                                    headers=auth)
    assert mutation.status_code in (400, 405)


async def test_graphiql_is_only_served_when_debugging(api):
    page = await api.client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 404


async def test_a_repeated_document_is_validated_once(api, token):
    cache = _get_validate_cache(schema.CACHED_DOCUMENTS)
    query = "query Cached { viewer { via scopes } }"
    await api(query, token=token)
    before = cache.cache_info().hits
    await api(query, token=token)
    assert cache.cache_info().hits == before + 1


async def test_a_failing_field_does_not_break_the_transaction_of_its_siblings(api, token):
    # graphql-core cancels the sibling fields of a failing non-null field; a sibling cancelled in the
    # middle of a statement must not leave the request's transaction unusable (a 500 at commit)
    query = """{ viewer { memberships { role } consents { purpose } votes(first: 0) { pageInfo { endCursor } } } }"""
    for _ in range(3):
        answer = await api(query, token=token)
        assert answer["data"] == {"viewer": None}
        assert answer["errors"][0]["extensions"]["fields"] == {"first": "Enter a whole number from 1 to 100."}


async def test_work_of_cancelled_fields_ends_before_the_request_commits(api, token):
    # the sibling of a failing field is cancelled by graphql-core while its statement runs; the request
    # waits for that statement before it commits and hands its connection back
    query = """{ viewer { consents { purpose } votes(first: 0) { pageInfo { endCursor } } }
                 rounds { edges { node { slug } } } }"""
    for _ in range(5):
        answer = await api(query, token=token)
        assert answer["errors"][0]["extensions"]["code"] == "validation"
    assert "errors" not in await api("{ rounds { edges { node { slug } } } }", token=token)


async def test_a_signed_in_web_session_is_an_identity_too(api, session):
    import json
    from base64 import b64encode

    from itsdangerous import TimestampSigner

    person = await make_participant(session)
    secret = api.app.state.runtime.settings.secret_key
    cookie = TimestampSigner(secret).sign(b64encode(json.dumps({"participant_id": str(person.id)}).encode()))
    api.client.cookies.set("ruam_session", cookie.decode())
    viewer = await api.data("{ viewer { via participant { displayName } memberships { role } } }")
    assert viewer["viewer"] == {"via": "session", "participant": {"displayName": person.display_name},
                                "memberships": []}


async def test_graphql_keeps_the_pages_language_cookie_and_compression(api, session):
    """/graphql skips the page middlewares, but not what a person sees of them."""
    person = await make_participant(session)
    token = await token_for(session, person)
    broken = "mutation { castVote(clauseId: \"nothing\", choice: AGREE) { __typename ... on Error { message } } }"
    api.client.cookies.set("lang", "th")
    thai = await api(broken, token=token, headers={"Accept-Language": "en"})
    api.client.cookies.delete("lang")
    english = await api(broken, token=token, headers={"Accept-Language": "en"})
    assert thai["data"]["castVote"]["message"] != english["data"]["castVote"]["message"]
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in thai["data"]["castVote"]["message"])

    big = "{ " + " ".join(f"a_rather_long_alias_to_make_a_big_answer_{i}: __typename" for i in range(25)) + " }"
    answer = await api.client.post("/graphql", json={"query": big}, headers={"Accept-Encoding": "gzip",
                                                                           "Authorization": f"Bearer {token}"})
    assert answer.headers["content-encoding"] == "gzip" and answer.json()["data"]["a_rather_long_alias_to_make_a_big_answer_24"] == "Query"
