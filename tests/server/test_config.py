"""Settings are read once, and a wrong value stops Ruam with a message that says what to fix."""

import os
import subprocess
import sys

import pytest

from server.config import ConfigError, Settings


def test_defaults_need_nothing_set(tmp_path):
    settings = Settings.from_env({"DATA_DIR": str(tmp_path)})
    assert settings.embedded_database and settings.embedded_redis
    assert settings.port == 8000 and settings.default_locale == "th"
    assert len(settings.secret_key) >= 32
    # the generated key is kept, so sessions survive a restart
    assert Settings.from_env({"DATA_DIR": str(tmp_path)}).secret_key == settings.secret_key


def test_every_wrong_value_is_reported_at_once(tmp_path):
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({
            "DATA_DIR": str(tmp_path), "DATABASE_URL": "mysql://localhost/ruam", "REDIS_URL": "localhost:6379",
            "SECRET_KEY": "short", "PORT": "eighty", "DEBUG": "maybe", "DEFAULT_LOCALE": "fr",
            "CONSOLIDATION_CACHE_VOTES": "lots",
        })
    problems = "\n".join(caught.value.problems)
    for fragment in ("DATABASE_URL must start with postgresql://", "REDIS_URL must start with redis://",
                     "SECRET_KEY is shorter than 32", "PORT='eighty'", "DEBUG='maybe'", "DEFAULT_LOCALE='fr'",
                     "CONSOLIDATION_CACHE_VOTES='lots'"):
        assert fragment in problems
    assert len(caught.value.problems) == 7


def test_the_command_exits_with_the_problems_listed(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env |= {"DATA_DIR": str(tmp_path), "DATABASE_URL": "sqlite:///ruam.db"}
    done = subprocess.run([sys.executable, "-m", "server.cli", "migrate"], capture_output=True, text=True,
                          env=env, timeout=60)
    assert done.returncode == 2
    assert "Ruam cannot start" in done.stderr and "DATABASE_URL must start with postgresql://" in done.stderr
