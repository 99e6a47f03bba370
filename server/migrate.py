"""Schema migrations, run by `ruam migrate` and by the tests with the same scripts."""

from __future__ import annotations

import asyncio
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.pool import NullPool

from server.database import make_engine

SCRIPTS = Path(__file__).parent / "migrations"
# pg_advisory_lock's key: several `ruam migrate` at once (a Kubernetes initContainer in each web pod) take
# turns, and those after the first find the schema current. Any fixed number no other code locks on.
LOCK_KEY = 0x7275616D  # "ruam"


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
    # the lock is held on a connection of its own: alembic's env.py runs its own event loop (so a thread of
    # its own) and its own connection, which a connection of this loop cannot be handed to
    # autocommit: not "idle in transaction" for the whole upgrade, which a managed server may time out
    engine = make_engine(database_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        async with engine.connect() as lock:
            await lock.execute(text("SELECT pg_advisory_lock(:key)"), {"key": LOCK_KEY})
            try:
                await asyncio.to_thread(command.upgrade, _config(database_url), revision)
            finally:
                await lock.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
    finally:
        await engine.dispose()


async def downgrade(database_url: str, revision: str = "base") -> None:
    await asyncio.to_thread(command.downgrade, _config(database_url), revision)
