"""Settings, read once at start-up from the environment.

Every problem is collected and reported together, each with what to do about it,
so that a wrong deployment fails at once instead of on the first request.
"""

from __future__ import annotations

import base64
import os
import secrets
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

LOCALES = ("th", "en")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(Exception):
    """The environment cannot be used; `problems` says what to fix, one line each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Settings:
    database_url: str | None
    redis_url: str | None
    secret_key: str
    data_dir: Path
    debug: bool
    host: str
    port: int
    default_locale: str
    log_level: str
    public_url: str  # how people reach this instance: invite links, QR codes, secure cookies
    vapid_private_key: str | None = None  # signs Web Push; unset: made once and kept in the database
    log_format: str = "json"  # one JSON object a line (a log service searches them) or "console" for a person
    # votes a worker keeps in memory to read only what changed (consolidation/vote_cache.py): ~12 bytes each
    consolidation_cache_votes: int = 10_000_000

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")

    @property
    def embedded_database(self) -> bool:
        return self.database_url is None

    @property
    def embedded_redis(self) -> bool:
        return self.redis_url is None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        problems: list[str] = []

        data_dir = Path(env.get("DATA_DIR") or "./var").expanduser().resolve()
        if data_dir.exists() and not data_dir.is_dir():
            problems.append(f"DATA_DIR={data_dir} is a file; point it at a folder Ruam may write to.")

        database_url = _optional(env, "DATABASE_URL")
        if database_url is not None:
            scheme = urlsplit(database_url).scheme
            if scheme not in {"postgresql", "postgres", "postgresql+asyncpg"}:
                problems.append(
                    f"DATABASE_URL must start with postgresql:// (got {scheme or 'no scheme'}://); "
                    "unset it to use the embedded PostgreSQL."
                )

        redis_url = _optional(env, "REDIS_URL")
        if redis_url is not None:
            scheme = urlsplit(redis_url).scheme
            if scheme not in {"redis", "rediss", "unix"}:
                problems.append(
                    f"REDIS_URL must start with redis://, rediss:// or unix:// (got {scheme or 'no scheme'}://); "
                    "unset it to use the embedded Redis."
                )

        secret_key = _optional(env, "SECRET_KEY")
        if secret_key is not None and len(secret_key) < 32:
            problems.append(
                "SECRET_KEY is shorter than 32 characters; generate one with "
                "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`."
            )

        debug = _flag(env, "DEBUG", problems)
        port_text = env.get("PORT") or "8000"
        port = int(port_text) if port_text.isdigit() else -1
        if not 0 < port < 65536:
            problems.append(f"PORT={port_text!r} is not a TCP port; use a number from 1 to 65535.")

        default_locale = env.get("DEFAULT_LOCALE") or "th"
        if default_locale not in LOCALES:
            problems.append(f"DEFAULT_LOCALE={default_locale!r} is not one of {', '.join(LOCALES)}.")

        log_level = (env.get("LOG_LEVEL") or "INFO").upper()
        if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            problems.append(f"LOG_LEVEL={log_level!r} must be DEBUG, INFO, WARNING or ERROR.")

        # a person at a terminal reads lines; a container's output goes to a log service, which searches JSON
        log_format = (env.get("LOG_FORMAT") or ("console" if sys.stderr.isatty() else "json")).lower()
        if log_format not in {"json", "console"}:
            problems.append(f"LOG_FORMAT={log_format!r} must be json or console.")

        # read by prometheus_client itself (server/operations/metrics.py); checked here to fail at start-up
        metrics_dir = _optional(env, "PROMETHEUS_MULTIPROC_DIR")
        if metrics_dir is not None and not Path(metrics_dir).is_dir():
            problems.append(f"PROMETHEUS_MULTIPROC_DIR={metrics_dir} is not a folder; create it, empty, before "
                            "the web processes start, or unset it.")

        host = env.get("HOST") or "127.0.0.1"
        public_url = (env.get("PUBLIC_URL") or f"http://{host}:{port_text}").rstrip("/")
        if urlsplit(public_url).scheme not in {"http", "https"}:
            problems.append(f"PUBLIC_URL={public_url!r} must start with https:// (or http:// on a laptop).")

        vapid_private_key = _optional(env, "VAPID_PRIVATE_KEY")
        if vapid_private_key is not None and not _p256_scalar(vapid_private_key):
            problems.append("VAPID_PRIVATE_KEY is not a P-256 private key in base64url (32 bytes); unset it to "
                            "have Ruam make one and keep it in the database.")

        cache_text = (env.get("CONSOLIDATION_CACHE_VOTES") or "10000000").replace("_", "")
        cache_votes = int(cache_text) if cache_text.isdigit() else -1
        if cache_votes < 0:
            problems.append(f"CONSOLIDATION_CACHE_VOTES={cache_text!r} is not a number of votes; use a whole "
                            "number, 0 to keep none (every recompute then reads every vote).")

        if problems:
            raise ConfigError(problems)
        return cls(
            database_url=database_url,
            redis_url=redis_url,
            secret_key=secret_key or _stored_secret(data_dir),
            data_dir=data_dir,
            debug=debug,
            host=host,
            port=port,
            default_locale=default_locale,
            log_level=log_level,
            public_url=public_url,
            vapid_private_key=vapid_private_key,
            log_format=log_format,
            consolidation_cache_votes=cache_votes,
        )


def _optional(env: Mapping[str, str], key: str) -> str | None:
    value = env.get(key, "").strip()
    return value or None


def _flag(env: Mapping[str, str], key: str, problems: list[str]) -> bool:
    value = env.get(key, "").strip().lower()
    if value in _TRUE:
        return True
    if value not in _FALSE:
        problems.append(f"{key}={value!r} must be true or false.")
    return False


def _p256_scalar(text: str) -> bool:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        return False
    # below the curve's order n, above 0
    return len(raw) == 32 and 0 < int.from_bytes(raw, "big") < _P256_ORDER


_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def _stored_secret(data_dir: Path) -> str:
    """A key kept under DATA_DIR, so that a single-machine install needs no setup and
    sessions survive a restart. Several machines must share SECRET_KEY instead."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key
