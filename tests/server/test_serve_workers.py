"""`ruam serve --workers N`: N web processes on one port, sharing nothing but PostgreSQL and Redis; the
demo's links are said once, by the process that started them."""

from __future__ import annotations

import asyncio
import http.client
import time

import psutil

from server.database import make_sessionmaker, unit_of_work
from server.demo import announcement
from tests.faults.servers import RuamProcess
from tests.server.test_demo_announcement import _ways_in


def _get(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    finally:
        connection.close()


async def test_two_web_processes_answer_on_one_port_and_the_links_are_said_once(services, engine, tmp_path):
    async with unit_of_work(make_sessionmaker(engine)) as session:
        ways_in, _ = await _ways_in(session)
    data = tmp_path / "data"
    announcement.save(data, ways_in)
    web = RuamProcess("serve", tmp_path / "web", args=("--workers", "2"), env={
        "DATABASE_URL": services.database_url, "REDIS_URL": services.redis_url, "DATA_DIR": str(data),
        "PUBLIC_URL": "", "LOG_LEVEL": "INFO"})
    web.start()
    try:
        parent = psutil.Process(web.process.pid)
        deadline = time.monotonic() + 30
        while True:  # uvicorn's processes, each answering once its app has started
            serving = [p for p in parent.children(recursive=True) if "spawn_main" in " ".join(p.cmdline())]
            if len(serving) == 2 or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.2)
        assert len({p.pid for p in serving}) == 2
        # a process exists before its app has started: until both have said so, the first may answer alone
        while web.log.read_text().count("Application startup complete") < 2 and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        assert all(_get(web.port, "/") < 500 for _ in range(20))
        log = web.log.read_text()
    finally:
        web.stop()
    assert log.count(f"/j/{ways_in.joins[0].code}") == 1, log
    assert log.count("Application startup complete") == 2, log
    assert not (data / announcement.FILE).exists()
