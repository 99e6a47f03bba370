"""What Ruam's processes write to their logs, and in which format.

A request is logged by its route template (`GET /j/{code} 200 3.1 ms`), never by its address: the short
link under a QR code carries an invite code (/j/ABCD2345, /join?code=), and an address can carry a token
in its query. Whoever reads a log (a hosting company, a log service) must not be able to join a round
with it. So uvicorn's access log, which writes addresses, is replaced by ours (written by
server/operations/middleware.py, which knows the template), and the query is cut from the line uvicorn
writes when a WebSocket opens. The client's address is not logged either: for the people Ruam serves it is
personal data, and rate limits keep it only for a minute.

Every line, ours and every library's (uvicorn, arq, SQLAlchemy) through the standard `logging` loggers,
goes through one structlog renderer: with LOG_FORMAT=json one JSON object a line (timestamp in UTC,
level, logger, event and the line's fields), which a log service on Kubernetes can search; with
LOG_FORMAT=console the same lines for a person at a terminal. A request's id (server/operations/
request_id.py) is bound in a context variable, so each line written while it is answered carries it.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog

ACCESS = logging.getLogger("ruam.access")
UVICORN = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")
# httpx writes each address it asks at INFO: a webhook's URL may hold its receiver's token, and a phone's push
# endpoint is itself the capability to push to it
QUIETED = ("httpx", "httpcore")

def _without_colours(_: Any, __: str, line: dict[str, Any]) -> dict[str, Any]:
    line.pop("color_message", None)  # uvicorn's message again, with terminal colour codes
    return line


_SHARED: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.ExtraAdder(),
    _without_colours,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def formatter(log_format: str) -> logging.Formatter:
    renderer: Any
    if log_format == "json":
        # an exception becomes a field holding its traceback, not lines of its own a search would split up
        renderer = [structlog.processors.dict_tracebacks, structlog.processors.JSONRenderer()]
    else:
        renderer = [structlog.dev.ConsoleRenderer(colors=False)]
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_SHARED,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *renderer],
    )


def configure(level: str, log_format: str = "json") -> None:
    """Once per process, before anything logs: the web app, the worker and each CLI command."""
    structlog.configure(
        processors=[*_SHARED, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter(log_format))
    root = logging.getLogger()
    for old in list(root.handlers):
        if isinstance(old.formatter, structlog.stdlib.ProcessorFormatter) or type(old) is logging.StreamHandler:
            root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    quiet()
    # uvicorn run by hand has already given its loggers handlers of its own, with their own format
    for name in UVICORN:
        uvicorn = logging.getLogger(name)
        uvicorn.handlers.clear()
        uvicorn.propagate = True


def quiet() -> None:
    for name in QUIETED:
        logging.getLogger(name).setLevel(logging.WARNING)


def request_line(method: str, template: str, status: int, seconds: float) -> None:
    if ACCESS.isEnabledFor(logging.INFO):
        ms = round(seconds * 1000, 1)
        ACCESS.info("%s %s %d %.1f ms", method, template, status, ms,
                    extra={"method": method, "route": template, "status": status, "duration_ms": ms})


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
