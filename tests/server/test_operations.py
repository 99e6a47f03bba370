"""/healthz, /readyz and /metrics (server/operations/), over the test database and Redis, and over closed
ports where one of them is away: a refused connection, as in an outage, not a stand-in."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import make_url, text

from server.app import create_app
from server.config import ConfigError, Settings
from server.database import async_url, make_engine, make_sessionmaker, unit_of_work
from server.ids import uuid7
from server.migrate import revisions
from tests.conftest import ROOT, _ensure_database
from tests.factories import make_round


def closed_port() -> str:
    """An address on this machine where nothing listens: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{probe.getsockname()[1]}"


@contextlib.asynccontextmanager
async def serving(tmp_path: Path, database_url: str, redis_url: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = dataclasses.replace(Settings.from_env({"DATA_DIR": str(tmp_path)}), database_url=database_url,
                                   redis_url=redis_url)
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport,
                                                                   base_url="http://ruam.test") as client:
        yield client


@pytest.fixture
async def client(services, engine, redis, tmp_path):
    async with serving(tmp_path, services.database_url, services.redis_url) as client:
        yield client


def samples(scraped: httpx.Response | str) -> dict[tuple[str, frozenset], float]:
    if isinstance(scraped, httpx.Response):
        assert scraped.status_code == 200
        scraped = scraped.text
    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(scraped) for sample in family.samples}


def value(scraped: dict, name: str, **labels: str) -> float | None:
    return scraped.get((name, frozenset(labels.items())))


async def test_liveness_touches_nothing(tmp_path):
    async with serving(tmp_path, f"postgresql://postgres@{closed_port()}/ruam", f"redis://{closed_port()}/0") as client:
        answer = await client.get("/healthz")
    assert (answer.status_code, answer.json()) == (200, {"status": "ok"})


async def test_ready_over_the_test_database(client):
    answer = await client.get("/readyz")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"postgres": {"ok": True}, "redis": {"ok": True}, "migrations": {
        "ok": True, "state": "current", "database": revisions()[0], "code": revisions()[0]}}
    assert set(body["reported"]) == {"queue", "workers", "outbox", "consolidation"}


async def test_not_ready_without_postgres(services, tmp_path):
    async with serving(tmp_path, f"postgresql://postgres@{closed_port()}/ruam", services.redis_url) as client:
        answer = await client.get("/readyz")
    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "5"
    body = answer.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["postgres"] == {"ok": False, "error": "ConnectionRefusedError"}
    assert body["checks"]["migrations"]["state"] == "unknown"
    assert body["checks"]["redis"] == {"ok": True}


async def test_redis_away_is_reported_but_the_process_stays_ready(services, engine, tmp_path):
    async with serving(tmp_path, services.database_url, f"redis://{closed_port()}/0") as client:
        answer = await client.get("/readyz")
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "degraded"
    assert body["checks"]["redis"]["ok"] is False and body["checks"]["postgres"] == {"ok": True}
    assert body["reported"]["queue"] == {"error": body["checks"]["redis"]["error"]}


@pytest.fixture
async def other_database(services) -> AsyncIterator[str]:
    """An empty database beside the run's (RUAM_TEST_DATABASE keeps runs apart), for a schema that is not
    the code's."""
    url = make_url(async_url(services.database_url))
    url_text = url.set(database=f"{url.database}_readiness").render_as_string(hide_password=False)
    await _ensure_database(url_text)
    engine = make_engine(url_text)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
        await conn.execute(text("CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)"))
    yield url_text
    await engine.dispose()


@pytest.mark.parametrize("revision, state", [(None, "behind"), (revisions()[1], "behind"), ("9999", "ahead")])
async def test_a_schema_that_is_not_the_codes_is_not_ready(services, other_database, tmp_path, revision, state):
    if revision is not None:
        engine = make_engine(other_database)
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO alembic_version VALUES (:r)"), {"r": revision})
        await engine.dispose()
    async with serving(tmp_path, other_database, services.redis_url) as client:
        answer = await client.get("/readyz")
    assert answer.status_code == 503
    body = answer.json()
    assert body["checks"]["postgres"] == {"ok": True}
    assert body["checks"]["migrations"] == {"ok": False, "state": state, "database": revision,
                                            "code": revisions()[0]}
    # what needs the tables is reported as missing, and decides nothing
    assert body["reported"]["error"] == "UndefinedTableError"


async def test_requests_are_counted_by_route_template(client):
    before = samples(await client.get("/metrics"))
    await client.get("/rounds/no-such-round-at-all")
    await client.get("/readyz")
    scraped = await client.get("/metrics")
    after = samples(scraped)
    for route, status in (("/rounds/{slug}", "404"), ("/readyz", "200"), ("/metrics", "200")):
        labels = {"route": route, "method": "GET", "status": status}
        assert value(after, "ruam_http_requests_total", **labels) == (
            value(before, "ruam_http_requests_total", **labels) or 0) + 1
    assert value(after, "ruam_http_request_duration_seconds_count", route="/rounds/{slug}") >= 1
    assert "no-such-round-at-all" not in scraped.text


@pytest.fixture
async def committed_rounds(engine) -> AsyncIterator[tuple[str, str]]:
    """Two committed rounds with consolidation marks, one behind its inputs for 90 s, and a worker's
    heartbeat that cannot reach Redis; the marks and the beat are removed afterwards, so that nothing else
    sees them."""
    committed = make_sessionmaker(engine)
    beat = uuid7()
    async with unit_of_work(committed) as session:
        behind, current = await make_round(session), await make_round(session)
        await session.execute(text(
            "INSERT INTO consolidation_marks (round_id, asked, done, dirty_since, due_at, computed_at, duration_ms) "
            "VALUES (:behind, 3, 1, now() - interval '90 seconds', now(), now(), 1500), "
            "       (:current, 2, 2, NULL, NULL, now(), 200)"), {"behind": behind.id, "current": current.id})
        await session.execute(text(
            "INSERT INTO worker_heartbeats (id, host, pid, started_at, beat_at, redis_ok) "
            "VALUES (:id, 'test', 1, now(), now() - interval '2 seconds', false)"), {"id": beat})
    try:
        yield behind.slug, current.slug
    finally:
        async with unit_of_work(committed) as session:
            await session.execute(text("DELETE FROM consolidation_marks WHERE round_id IN (:a, :b)"),
                                  {"a": behind.id, "b": current.id})
            await session.execute(text("DELETE FROM worker_heartbeats WHERE id = :id"), {"id": beat})


async def test_the_shared_state_as_gauges(client, engine, committed_rounds):
    behind, current = committed_rounds
    scraped = samples(await client.get("/metrics"))
    assert value(scraped, "ruam_up", dependency="postgres") == 1
    assert value(scraped, "ruam_up", dependency="redis") == 1
    assert 90 <= value(scraped, "ruam_consolidation_staleness_seconds", round=behind) < 150
    assert value(scraped, "ruam_consolidation_staleness_seconds", round=current) == 0
    assert value(scraped, "ruam_consolidation_last_duration_seconds", round=behind) == 1.5
    assert value(scraped, "ruam_consolidation_last_duration_seconds", round=current) == 0.2
    assert value(scraped, "ruam_consolidation_rounds_behind") >= 1
    assert value(scraped, "ruam_workers_live") >= 1
    assert 0 <= value(scraped, "ruam_worker_heartbeat_age_seconds") < 60
    for name in ("ruam_outbox_oldest_age_seconds", "ruam_outbox_unpublished_events", "ruam_queue_jobs"):
        assert value(scraped, name) >= 0

    reported = (await client.get("/readyz")).json()["reported"]
    assert reported["consolidation"]["rounds_behind"] >= 1
    assert reported["consolidation"]["max_staleness_seconds"] >= 90
    assert reported["workers"]["live"] >= 1 and reported["workers"]["live_without_redis"] >= 1


async def test_a_scrape_answers_while_postgres_and_redis_are_away(tmp_path):
    async with serving(tmp_path, f"postgresql://postgres@{closed_port()}/ruam", f"redis://{closed_port()}/0") as client:
        await client.get("/healthz")
        scraped = samples(await client.get("/metrics"))
    assert value(scraped, "ruam_up", dependency="postgres") == 0
    assert value(scraped, "ruam_up", dependency="redis") == 0
    assert value(scraped, "ruam_http_requests_total", route="/healthz", method="GET", status="200") >= 1
    assert not any(name.startswith(("ruam_outbox", "ruam_consolidation", "ruam_queue")) for name, _ in scraped)


# one web process: answers `path` `times` times (and prints the last answer), with nothing to connect to
SERVE = """
import asyncio, sys
import httpx
from server.app import create_app
from server.config import Settings

async def main(path, times):
    app = create_app(Settings.from_env())
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://ruam.test") as client:
            for _ in range(times):
                answer = await client.get(path)
    sys.stdout.write(answer.text)

asyncio.run(main(sys.argv[1], int(sys.argv[2])))
"""


async def test_processes_sharing_a_metrics_folder_are_added_up(tmp_path):
    folder = tmp_path / "metrics"
    folder.mkdir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder), "DATA_DIR": str(tmp_path / "data"),
           "DATABASE_URL": f"postgresql://postgres@{closed_port()}/ruam", "REDIS_URL": f"redis://{closed_port()}/0"}

    async def process(path: str, times: int) -> str:
        child = await asyncio.create_subprocess_exec(sys.executable, "-c", SERVE, path, str(times), env=env,
                                                     cwd=ROOT, stdout=asyncio.subprocess.PIPE)
        out, _ = await child.communicate()
        assert child.returncode == 0
        return out.decode()

    await asyncio.gather(process("/healthz", 3), process("/healthz", 2))
    found = samples(await process("/metrics", 1))
    assert value(found, "ruam_http_requests_total", route="/healthz", method="GET", status="200") == 5
    assert value(found, "ruam_http_request_duration_seconds_count", route="/healthz") == 5
    assert value(found, "ruam_up", dependency="postgres") == 0


def test_a_metrics_folder_that_is_not_there_stops_start_up(tmp_path):
    with pytest.raises(ConfigError) as refused:
        Settings.from_env({"DATA_DIR": str(tmp_path), "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "missing")})
    assert any("PROMETHEUS_MULTIPROC_DIR" in problem for problem in refused.value.problems)
