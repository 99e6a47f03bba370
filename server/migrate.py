"""Schema migrations, run by `ruam migrate` and by the tests with the same scripts."""

from __future__ import annotations

import asyncio
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

SCRIPTS = Path(__file__).parent / "migrations"


def _config(database_url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    config.attributes["database_url"] = database_url
    return config


@cache
def revisions() -> tuple[str, ...]:
    """The revisions these scripts know, the head first (two heads raise). Read once per process: it imports
    every script."""
    scripts = ScriptDirectory.from_config(_config())
    scripts.get_current_head()  # raises on two heads: neither would be "current"
    return tuple(script.revision for script in scripts.walk_revisions())  # from the head down


async def upgrade(database_url: str, revision: str = "head") -> None:
    # alembic's env.py runs its own event loop, so it gets a thread of its own
    await asyncio.to_thread(command.upgrade, _config(database_url), revision)


async def downgrade(database_url: str, revision: str = "base") -> None:
    await asyncio.to_thread(command.downgrade, _config(database_url), revision)
