"""`make run` loads the demo, then serves: the links to try it are said after the server's own start-up lines,
whole, on the address it really listens on, and only while they work."""

from __future__ import annotations

import re
import stat
import time
import uuid

from sqlalchemy.ext.asyncio import async_sessionmaker

from server.auth.models import SCOPES
from server.auth.service import create_invites, create_token, revoke_token
from server.database import make_sessionmaker, unit_of_work
from server.demo import announcement
from server.demo.announcement import Announcement, Join
from server.people.models import Participant
from tests.factories import make_participant, make_round
from tests.faults.servers import RuamProcess


async def _ways_in(session) -> tuple[Announcement, uuid.UUID]:
    round_ = await make_round(session)
    facilitator = await session.get(Participant, round_.created_by_id)
    [(_, code)] = await create_invites(session, facilitator, round_.id, group_key="villagers", max_uses=100)
    admin = await make_participant(session, role="admin")
    token, key = await create_token(session, None, admin.id, name="demo", scopes=list(SCOPES))
    return Announcement(key, (Join(round_.slug, "Villagers", code),)), token.id


def _said(log_path, pattern: str, timeout: float = 15.0) -> str:
    """The log once `pattern` is in it: the links follow the "running on" line by a database query."""
    deadline = time.monotonic() + timeout
    while True:
        log = log_path.read_text()
        if re.search(pattern, log) or time.monotonic() > deadline:
            return log
        time.sleep(0.2)


async def test_ruam_serve_says_the_links_after_its_address_on_the_port_it_listens_on(services, engine, tmp_path):
    async with unit_of_work(make_sessionmaker(engine)) as session:
        ways_in, _ = await _ways_in(session)
    data = tmp_path / "data"
    saved = announcement.save(data, ways_in)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600  # it holds a staff key
    # PORT says 8000 but `--port` (the harness gives a free one) decides, and no PUBLIC_URL is set
    web = RuamProcess("serve", tmp_path / "web", env={
        "DATABASE_URL": services.database_url, "REDIS_URL": services.redis_url, "DATA_DIR": str(data),
        "PORT": "8000", "PUBLIC_URL": "", "LOG_LEVEL": "INFO"})
    web.start()
    try:
        log = _said(web.log, r"/j/")
    finally:
        web.stop()
    base = f"http://127.0.0.1:{web.port}"
    running = log.index(f"Uvicorn running on {base}")
    join = log.index(f"Join {ways_in.joins[0].slug} as Villagers: {base}/j/{ways_in.joins[0].code}")
    staff = log.index(f"Staff sign-in: {base}/facilitate/sign-in, under \"Sign in with a key\" paste "
                      f"{ways_in.staff_key}")
    assert running < staff < join, log
    assert "127.0.0.1:8000" not in log
    # said once: the key is not left on disk, nor said again into the log at the next start
    assert not saved.exists()


async def test_only_links_that_work_in_this_database_are_said(session, tmp_path):
    sessions = async_sessionmaker(bind=session.bind, join_transaction_mode="create_savepoint",
                                  expire_on_commit=False)
    ways_in, key_id = await _ways_in(session)
    announcement.save(tmp_path, Announcement(ways_in.staff_key, (*ways_in.joins, Join("gone", "Villagers",
                                                                                       "ABCD2345"))))
    said = await announcement.lines(sessions, tmp_path, "https://ruam.example.org")
    assert [line for line in said if "/j/" in line] == [
        f"Join {ways_in.joins[0].slug} as Villagers: https://ruam.example.org/j/{ways_in.joins[0].code}"]
    await revoke_token(session, None, key_id)
    assert not any(ways_in.staff_key in line for line in await announcement.lines(sessions, tmp_path, "http://x"))
    # a file left from another database (none of its codes here) says nothing at all
    announcement.save(tmp_path, Announcement("ruam_unknown", (Join("gone", "Villagers", "ABCD2345"),)))
    assert await announcement.lines(sessions, tmp_path, "http://x") == []
    announcement.forget(tmp_path)
    assert await announcement.lines(sessions, tmp_path, "http://x") == []


def test_the_links_use_public_url_when_set_and_otherwise_the_address_listened_on():
    listening = announcement.listening_url
    assert listening("https://ruam.example.org", ("127.0.0.1", 8000), ("127.0.0.1", 9000)) == \
        "https://ruam.example.org"
    assert listening("http://127.0.0.1:8000", ("127.0.0.1", 8000), ("127.0.0.1", 9000)) == "http://127.0.0.1:9000"
    everywhere = "0.0.0.0"  # noqa: S104 -- a value compared, nothing bound
    assert listening(f"http://{everywhere}:8000", (everywhere, 8000), (everywhere, 8000)) == "http://127.0.0.1:8000"
    assert listening("http://::1:8000", ("::1", 8000), ("::1", 8000)) == "http://[::1]:8000"
