"""An invite code admits whoever holds it to a round. The short link under each QR code carries it in its
address (/j/ABCD2345), and /join?code= too, so a log that writes addresses hands codes to anyone who reads
the logs (a hosting company, a log service, a shared server's admin). `ruam serve`, run as the systemd
unit runs it, logs each request by its route template and nothing of its address or query."""

from __future__ import annotations

import contextlib
import http.client
import re

from websockets.sync.client import connect

from tests.faults.servers import RuamProcess

CODES = ("QRCD2345", "QUERY678", "NOPE9ABC")
TOKEN = "ruam_SECRETtoken123"


def get(process: RuamProcess, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", process.port, timeout=10)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    finally:
        connection.close()


def test_the_log_of_ruam_serve_holds_no_invite_code_or_token(services, engine, tmp_path):
    web = RuamProcess("serve", tmp_path / "web", env={
        "DATABASE_URL": services.database_url, "REDIS_URL": services.redis_url, "DATA_DIR": str(tmp_path / "data"),
        "LOG_LEVEL": "INFO"})
    web.start()
    try:
        assert get(web, f"/j/{CODES[0]}") == 200
        assert get(web, f"/join?code={CODES[1]}") == 200
        get(web, f"/j/{CODES[2]}/more")
        get(web, f"/graphql?query=%7B__typename%7D&token={TOKEN}")
        with contextlib.suppress(Exception), connect(f"ws://127.0.0.1:{web.port}/graphql?token={TOKEN}",
                                                     subprotocols=["graphql-transport-ws"], open_timeout=5):
            pass
    finally:
        web.stop()
    log = web.log.read_text()
    for secret in (*CODES, TOKEN):
        assert secret not in log
    # the requests are still there to see, by route
    assert re.search(r"GET /j/\{code\} 200\b", log), log
    assert re.search(r"GET /join 200\b", log), log
    assert re.search(r"GET unmatched 404\b", log), log
    assert r'\"WebSocket /graphql\"' in log, log  # a JSON line: its quotes escaped
