"""Degrade, never lie: with PostgreSQL away the pages and the API answer 503 with Retry-After (never 500)
and work again when it returns; with Redis away votes are still taken, and rate limiting says once that
it is lifted."""

from __future__ import annotations

import httpx
import pytest

from tests.faults.seed import seed_round
from tests.faults.votes import seconds_until

CAST = "mutation($c: ID!) { castVote(clauseId: $c, choice: AGREE) { ... on Vote { choice } } }"


@pytest.fixture
async def seeded(ruam_env):
    return await seed_round(ruam_env["DATABASE_URL"], participants=3, clauses=1)


async def _vote(client: httpx.AsyncClient, seeded, who: int = 0) -> httpx.Response:
    return await client.post("/graphql", json={"query": CAST, "variables": {"c": seeded.clause_gid(0)}},
                             headers={"Authorization": f"Bearer {seeded.tokens[who]}"})


async def test_postgres_away_gives_503_with_retry_after_then_service_resumes(ruam_process, postgres_server, seeded):
    web = ruam_process("serve")
    async with httpx.AsyncClient(base_url=web.url, timeout=30) as client:
        assert (await _vote(client, seeded)).json()["data"]["castVote"]["choice"] == "AGREE"
        postgres_server.stop()
        answers = [await _vote(client, seeded, 1), await client.post("/graphql", json={"query": "{ rounds { edges "
                   "{ node { slug } } } }"}, headers={"Authorization": f"Bearer {seeded.tokens[2]}"}), await client.get("/"), await client.get(f"/rounds/{seeded.slug}")]
        for answer in answers:
            assert answer.status_code == 503, (answer.request.url, answer.status_code, answer.text[:300])
            assert answer.headers["retry-after"].isdigit()
        assert answers[0].json()["errors"][0]["extensions"]["code"] == "unavailable"
        assert "try again" in answers[2].text.lower() or "ลองอีกครั้ง" in answers[2].text

        postgres_server.start()

        async def votes_again() -> bool:
            answer = await _vote(client, seeded, 1)
            return answer.status_code == 200 and "errors" not in answer.json()

        print(f"voting again {await seconds_until(votes_again, within=20, what='votes after the restart'):.1f} s "
              "after PostgreSQL returned")
    assert "Traceback" not in web.log.read_text()


async def test_redis_away_votes_are_still_taken_and_limits_say_so_once(ruam_process, redis_server, seeded):
    web = ruam_process("serve")
    async with httpx.AsyncClient(base_url=web.url, timeout=30) as client:
        redis_server.stop()
        for who in range(3):
            for _ in range(5):
                answer = await _vote(client, seeded, who)
                assert answer.status_code == 200 and "errors" not in answer.json(), answer.text
    log = web.log.read_text()
    assert log.count("rate limits: Redis (limits lifted, then counted per process) unavailable") == 1, log[-2000:]
    assert "Traceback" not in log
