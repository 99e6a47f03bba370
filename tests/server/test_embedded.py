"""Embedded mode: starts from nothing, keeps its data across a restart, stops cleanly."""

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import redis.asyncio as aioredis
from sqlalchemy import text

from server.database import make_engine
from server.embedded import EmbeddedRedis, start_services

ROOT = Path(__file__).parent.parent.parent


async def _write(services):
    engine = make_engine(services.database_url)
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE kept (note text)"))
        await conn.execute(text("INSERT INTO kept VALUES ('ข้อมูลยังอยู่')"))
    await engine.dispose()
    client = aioredis.from_url(services.redis_url)
    await client.set("kept", "still here")
    await client.aclose()


async def _read(services):
    engine = make_engine(services.database_url)
    async with engine.connect() as conn:
        note = await conn.scalar(text("SELECT note FROM kept"))
    await engine.dispose()
    client = aioredis.from_url(services.redis_url)
    value = await client.get("kept")
    await client.aclose()
    return note, value


def _running(data_dir: Path) -> list[str]:
    """Live server processes of this data folder (a long folder puts the Redis socket in /tmp)."""
    marks = (f"{data_dir}/postgres", str(EmbeddedRedis(data_dir / "redis").socket))
    listing = subprocess.run(["ps", "-ww", "-eo", "stat=,args="], capture_output=True, text=True).stdout
    return [line for line in listing.splitlines()
            if any(m in line for m in marks) and not line.startswith("Z") and not Path(line.split()[1]).name.startswith("python")]


def test_embedded_services_keep_data_across_a_restart_and_stop_cleanly(tmp_path):
    data_dir = tmp_path / "var"
    first = start_services(None, None, data_dir)
    try:
        asyncio.run(_write(first))
    finally:
        first.stop()
    assert _running(data_dir) == []

    second = start_services(None, None, data_dir)
    try:
        assert asyncio.run(_read(second)) == ("ข้อมูลยังอยู่", b"still here")
    finally:
        second.stop()
    assert _running(data_dir) == []


def test_the_last_process_to_leave_stops_the_servers(tmp_path):
    """Web and worker share the servers: one leaving must not stop them under the other."""
    data_dir = tmp_path / "var"
    mine = start_services(None, None, data_dir)
    other = subprocess.run(
        [sys.executable, "-c",
         "import sys; from pathlib import Path; from server.embedded import EmbeddedRedis, start_services;"
         "s = start_services(None, None, Path(sys.argv[1])); s.stop()", str(data_dir)],
        cwd=ROOT, capture_output=True, text=True, timeout=60, env=os.environ | {"PYTHONPATH": str(ROOT)},
    )
    assert other.returncode == 0, other.stderr
    try:
        assert len(_running(data_dir)) == 2, "the servers stopped while this process still used them"
        asyncio.run(_write(mine))
    finally:
        mine.stop()
    assert _running(data_dir) == []
