"""Fixtures for fault tests: their own PostgreSQL and Redis, which a test may stop, kill and restart
without disturbing the rest of the suite's servers, and Ruam processes over them."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from server.migrate import upgrade
from tests.faults.servers import PostgresServer, RedisServer, RuamProcess


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "faults: starts its own PostgreSQL, Redis and Ruam processes and breaks "
                                       "them (needs PostgreSQL binaries and redis-server, a few free ports)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.faults)


@pytest.fixture
def postgres_server(tmp_path: Path) -> Iterator[PostgresServer]:
    with PostgresServer(tmp_path / "postgres") as server:
        yield server


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    with RedisServer(tmp_path / "redis") as server:
        yield server


@pytest.fixture
async def ruam_env(tmp_path: Path, postgres_server: PostgresServer, redis_server: RedisServer) -> dict[str, str]:
    """What `ruam serve` and `ruam worker` need to share one migrated database and one Redis."""
    database_url = postgres_server.create_database("ruam")
    await upgrade(database_url)
    return {"DATABASE_URL": database_url, "REDIS_URL": redis_server.url, "SECRET_KEY": secrets.token_urlsafe(48),
            "DATA_DIR": str(tmp_path / "data"), "LOG_LEVEL": "WARNING", "DEBUG": "false"}


@pytest.fixture
def ruam_process(tmp_path: Path, ruam_env: dict[str, str]) -> Iterator[Callable[..., RuamProcess]]:
    """ruam_process("serve") or ruam_process("worker", env={...}): started, and stopped after the test."""
    started: list[RuamProcess] = []

    def make(command: str, *, env: dict[str, str] | None = None, name: str | None = None,
             **options) -> RuamProcess:
        name = name or f"{command}-{len(started) + 1}"
        process = RuamProcess(command, tmp_path / name, {**ruam_env, **(env or {})}, name=name, **options)
        started.append(process)
        return process.start()

    yield make
    for process in reversed(started):
        process.stop()
