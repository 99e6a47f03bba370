"""The fault harness itself: each server starts, keeps its data over a clean restart, dies on SIGKILL and
comes back on the same port."""

from __future__ import annotations

import http.client
import socket

import asyncpg
import pytest

from tests.faults.servers import PostgresServer, RedisServer


def redis_command(server: RedisServer, *words: str) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
        s.sendall(b"*%d\r\n" % len(words) + b"".join(b"$%d\r\n%s\r\n" % (len(w), w.encode()) for w in words))
        return s.recv(1024)


async def test_postgres_keeps_committed_rows_over_a_restart_and_a_kill(postgres_server: PostgresServer):
    url = postgres_server.create_database("harness")
    conn = await asyncpg.connect(url)
    await conn.execute("CREATE TABLE kept (n int); INSERT INTO kept VALUES (1)")
    await conn.close()
    port = postgres_server.port

    postgres_server.restart()
    conn = await asyncpg.connect(url)
    await conn.execute("INSERT INTO kept VALUES (2)")
    postgres_server.kill()
    assert not postgres_server.running
    with pytest.raises((OSError, asyncpg.PostgresError)):
        await conn.fetchval("SELECT 1")
    with pytest.raises(OSError):
        await asyncpg.connect(url, timeout=2)

    postgres_server.start()
    assert postgres_server.port == port
    conn = await asyncpg.connect(url)
    assert [r["n"] for r in await conn.fetch("SELECT n FROM kept ORDER BY n")] == [1, 2]
    await conn.close()


def test_redis_keeps_its_data_over_a_clean_restart(redis_server: RedisServer):
    assert redis_command(redis_server, "SET", "queued", "job") == b"+OK\r\n"
    redis_server.stop()
    with pytest.raises(OSError):
        redis_command(redis_server, "PING")
    redis_server.start()
    assert redis_command(redis_server, "GET", "queued") == b"$3\r\njob\r\n"
    redis_server.kill()
    redis_server.restart()
    assert redis_command(redis_server, "PING") == b"+PONG\r\n"


def test_a_web_process_answers_again_after_a_kill(ruam_process):
    web = ruam_process("serve")
    pid = web.pid
    web.kill()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", web.port), timeout=1)
    web.start()
    assert web.pid != pid
    connection = http.client.HTTPConnection("127.0.0.1", web.port, timeout=10)
    connection.request("POST", "/graphql", body=b'{"query": "{ __typename }"}',
                       headers={"Content-Type": "application/json"})
    answer = connection.getresponse()
    assert (answer.status, answer.read()) == (200, b'{"data":{"__typename":"Query"}}')


def test_servers_start_on_their_own_ports_and_stop_cleanly(tmp_path):
    with PostgresServer(tmp_path / "a") as a, PostgresServer(tmp_path / "b") as b, RedisServer(tmp_path / "r") as r:
        assert len({a.port, b.port, r.port}) == 3
        processes = [a.process, b.process, r.process]
    assert [p.returncode for p in processes] == [0, 0, 0]
