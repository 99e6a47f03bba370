"""The benchmarks' own databases, beside the app's on the same server, so a run never touches its data."""

from __future__ import annotations

from sqlalchemy import make_url, text

from server.database import async_url, make_engine
from server.migrate import upgrade


async def fresh_database(server_url: str, name: str) -> str:
    """The database `name` on the server of `server_url`: created if missing, wiped and migrated. Its URL."""
    url = make_url(async_url(server_url))
    admin = make_engine(url.set(database="postgres").render_as_string(hide_password=False),
                        isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        if not await conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    bench_url = url.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(bench_url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()
    await upgrade(bench_url)
    return bench_url
