"""What Ruam's processes write to their logs, and in which format.

A request is logged by its route template (`GET /j/{code} 200 3.1 ms`), never by its address: the short
link under a QR code carries an invite code (/j/ABCD2345, /join?code=), and an address can carry a token
in its query. Whoever reads a log (a hosting company, a log service) must not be able to join a round
with it. So uvicorn's access log, which writes addresses, is replaced by ours (written by
server/operations/middleware.py, which knows the template), and the query is cut from the line uvicorn
writes when a WebSocket opens. The client's address is not logged either: for the people Ruam serves it is
personal data, and rate limits keep it only for a minute.
"""

from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
ACCESS = logging.getLogger("ruam.access")


def configure(level: str) -> None:
    logging.basicConfig(level=level, format=FORMAT)


def request_line(method: str, template: str, status: int, seconds: float) -> None:
    if ACCESS.isEnabledFor(logging.INFO):
        ACCESS.info("%s %s %d %.1f ms", method, template, status, seconds * 1000)


class _Dropped(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return False


class _WithoutQuery(logging.Filter):
    """uvicorn's '%s - "WebSocket %s" ...' lines: the path without its query, and no client address."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and "WebSocket %s" in record.msg and isinstance(record.args, tuple) \
                and len(record.args) >= 2:
            path = str(record.args[1]).split("?", 1)[0]
            record.args = ("-", path, *record.args[2:])
        return True


_DROPPED, _WITHOUT_QUERY = _Dropped(), _WithoutQuery()


def replace_uvicorn_access_log() -> None:
    """For any way uvicorn is started (`ruam serve` also turns its access log off, which saves the work).
    Filters outlast uvicorn's logging set-up, which replaces handlers only. Safe to call again."""
    logging.getLogger("uvicorn.access").addFilter(_DROPPED)
    logging.getLogger("uvicorn.error").addFilter(_WITHOUT_QUERY)
