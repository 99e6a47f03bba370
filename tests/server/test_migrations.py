"""The migrations build an empty database, load the reference data, and come down again."""

from sqlalchemy import make_url, text

from server.database import async_url, make_engine
from server.migrate import downgrade, upgrade
from tests.conftest import _ensure_database


async def test_upgrade_an_empty_database_and_downgrade_again(services):
    # beside the run's own database, so that runs side by side (RUAM_TEST_DATABASE) keep apart
    url = make_url(async_url(services.database_url))
    url = url.set(database=f"{url.database}_migrations")
    url_text = url.render_as_string(hide_password=False)
    await _ensure_database(url_text)
    engine = make_engine(url_text)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))

        await upgrade(url_text)
        async with engine.connect() as conn:
            levels = dict((await conn.execute(text(
                "SELECT level, count(*) FROM admin_areas GROUP BY level"))).all())
            assert levels == {"province": 77, "district": 928, "subdistrict": 7436}
            assert await conn.scalar(text("SELECT count(*) FROM sectors")) == 13
            assert await conn.scalar(text("SELECT count(*) FROM hazards")) == 9
            satun = await conn.scalar(text("SELECT name_th FROM admin_areas WHERE code = '91'"))
            assert satun == "สตูล"

        await downgrade(url_text)
        async with engine.connect() as conn:
            tables = (await conn.scalars(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))).all()
        assert tables == ["alembic_version"]
    finally:
        await engine.dispose()


async def test_the_migrations_build_what_the_models_describe(engine):
    """A model changed without its migration (or the other way round) is caught here, not in production."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    import server.models  # noqa: F401 -- every table on the metadata
    from server.database import Base

    def declared(thing, name, kind, reflected, compare_to) -> bool:
        # made by migration 0004 only where the server has pg_trgm, so no model can declare it
        return not (kind == "index" and name == "ix_needs_title_trgm")

    async with engine.connect() as conn:
        differences = await conn.run_sync(lambda sync: compare_metadata(
            MigrationContext.configure(sync, opts={"include_object": declared}), Base.metadata))
    assert differences == []



async def test_two_ruam_migrate_at_once_take_turns_and_both_succeed(services, tmp_path):
    """Each web pod's init container runs `ruam migrate` as it starts: without pg_advisory_lock two of them
    would build the same tables at once and one would fail or wait on the other for ever."""
    import asyncio
    import os
    import sys

    from server.migrate import revisions

    url = make_url(async_url(services.database_url))
    url = url.set(database=f"{url.database}_concurrent")
    url_text = url.render_as_string(hide_password=False)
    await _ensure_database(url_text)
    engine = make_engine(url_text)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))

        env = {**os.environ, "DATABASE_URL": url.set(drivername="postgresql").render_as_string(hide_password=False),
               "REDIS_URL": services.redis_url, "DATA_DIR": str(tmp_path)}
        processes = [await asyncio.create_subprocess_exec(sys.executable, "-m", "server.cli", "migrate", env=env,
                                                          stdout=asyncio.subprocess.PIPE,
                                                          stderr=asyncio.subprocess.STDOUT)
                     for _ in range(2)]
        outputs = await asyncio.wait_for(asyncio.gather(*(p.communicate() for p in processes)), timeout=180)
        assert [p.returncode for p in processes] == [0, 0], [out.decode()[-2000:] for out, _ in outputs]

        async with engine.connect() as conn:
            assert await conn.scalar(text("SELECT version_num FROM alembic_version")) == revisions()[0]
            assert await conn.scalar(text("SELECT count(*) FROM sectors")) == 13  # loaded once, not twice
    finally:
        await engine.dispose()
