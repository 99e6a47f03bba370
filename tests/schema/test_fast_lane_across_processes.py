"""Two web processes over one database: what one remembers for the fast lane (server/deliberation/fast.py)
never lets a vote through after the other changed the facts. Nothing tells the first process; the
statement's fingerprint refuses the remembered context and the rules are applied to what is there now."""

from __future__ import annotations

import dataclasses
import hashlib

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from server.app import create_app
from server.auth import service as auth
from server.auth.models import ApiToken
from server.config import Settings
from server.deliberation import fast
from server.runtime import Runtime
from tests.schema.conftest import Api
from tests.schema.scenario import deliberating_round
from tests.schema.test_fast_lane import SIMPLE

MOVE = """mutation ($r: ID!, $p: String!) { movePhase(roundId: $r, phase: $p) { __typename } }"""


async def test_a_change_made_through_another_process_counts_from_the_next_vote(api, services, engine, session,
                                                                                redis, tmp_path):
    fast.forget()
    s = await deliberating_round(session, votes=False)
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    settings = dataclasses.replace(Settings.from_env({"DATA_DIR": str(other_dir)}),
                                   database_url=services.database_url, redis_url=services.redis_url)
    other_app = create_app(settings)
    other_app.state.runtime = Runtime(settings, services, engine, async_sessionmaker(
        bind=session.bind, join_transaction_mode="create_savepoint", expire_on_commit=False), redis)
    vote = {"c": s.gid("Clause", s.clauses[0]), "x": "AGREE"}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=other_app), base_url="http://ruam.test") as c:
        other = Api(c, other_app)
        assert (await api(SIMPLE, vote, token=s.tokens["villager"]))["data"]["castVote"]["__typename"] == "Vote"
        remembered = dict(fast._contexts)
        assert remembered, "the first process remembers the villager's context in the round"

        moved = await other.data(MOVE, {"r": s.gid("Round", s.round), "p": "consolidation"},
                                 token=s.tokens["facilitator"])
        assert moved["movePhase"]["__typename"] == "Round"
        assert dict(fast._contexts) == remembered, "nobody told the first process"
        closed = (await api(SIMPLE, vote, token=s.tokens["villager"]))["data"]["castVote"]
        assert closed["__typename"] == "PhaseClosed"

        await other.data(MOVE, {"r": s.gid("Round", s.round), "p": "deliberation"}, token=s.tokens["facilitator"])
        assert (await api(SIMPLE, vote, token=s.tokens["villager"]))["data"]["castVote"]["__typename"] == "Vote"

    # a token revoked elsewhere (the CLI, another replica's admin page): refused at the next vote
    token = await session.scalar(select(ApiToken).where(
        ApiToken.token_hash == hashlib.sha256(s.tokens["villager"].encode()).hexdigest()))
    remembered = dict(fast._contexts)
    await auth.revoke_token(session, None, token.id)
    assert dict(fast._contexts) == remembered
    refused = await api(SIMPLE, vote, token=s.tokens["villager"], status=401)
    assert refused["errors"][0]["extensions"]["code"] == "not_permitted"
