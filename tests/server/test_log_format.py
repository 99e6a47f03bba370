"""LOG_FORMAT chooses how every process's lines come out; a wrong value stops Ruam at start-up."""

import json
import logging

import pytest
import structlog

from server import logs
from server.config import ConfigError, Settings


def test_log_format_is_json_or_console(tmp_path):
    assert Settings.from_env({"DATA_DIR": str(tmp_path), "LOG_FORMAT": "console"}).log_format == "console"
    assert Settings.from_env({"DATA_DIR": str(tmp_path), "LOG_FORMAT": "JSON"}).log_format == "json"
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"DATA_DIR": str(tmp_path), "LOG_FORMAT": "xml"})
    assert "LOG_FORMAT='xml' must be json or console." in caught.value.problems


@pytest.fixture
def configured_root():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    uvicorn = logging.getLogger("uvicorn.error")
    uvicorn_handlers, uvicorn_propagate, uvicorn_level = list(uvicorn.handlers), uvicorn.propagate, uvicorn.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    uvicorn.handlers[:], uvicorn.propagate = uvicorn_handlers, uvicorn_propagate
    uvicorn.setLevel(uvicorn_level)
    structlog.reset_defaults()


def test_library_lines_and_our_own_come_out_as_json(configured_root, capsys):
    # uvicorn run by hand sets up its own handler before the app is imported
    uvicorn = logging.getLogger("uvicorn.error")
    uvicorn.addHandler(logging.StreamHandler())
    uvicorn.propagate = False
    uvicorn.setLevel(logging.INFO)  # as uvicorn sets it (an app started earlier in this run may have raised it)
    logs.configure("INFO", "json")
    with structlog.contextvars.bound_contextvars(request_id="req-1"):
        uvicorn.info("Started server process [%d]", 7)
        logging.getLogger("arq.worker").warning("job %s failed", "abc", exc_info=ValueError("boom"))
        structlog.get_logger("ruam.cli").info("imported", rows=3)
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [line["logger"] for line in lines] == ["uvicorn.error", "arq.worker", "ruam.cli"]
    assert lines[0]["event"] == "Started server process [7]" and lines[0]["level"] == "info"
    assert all(line["request_id"] == "req-1" and line["timestamp"].endswith("Z") for line in lines)
    assert lines[1]["exception"][0]["exc_type"] == "ValueError"
    assert lines[2]["rows"] == 3
