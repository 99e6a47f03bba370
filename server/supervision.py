"""A child process kept alive: `ruam serve --with-worker` runs its worker this way, so a worker that
crashed or was killed is back within seconds, for as long as the web app runs."""

from __future__ import annotations

import logging
import subprocess
import threading
import time
from collections.abc import Sequence

log = logging.getLogger(__name__)

FIRST_WAIT = 1.0  # seconds before restarting a child that exited
LONGEST_WAIT = 30.0  # a child that keeps failing is restarted at most this often
STEADY = 60.0  # a child that ran this long before exiting starts the waits afresh


class Supervised:
    def __init__(self, argv: Sequence[str], *, name: str):
        self.argv, self.name = list(argv), name
        self.process: subprocess.Popen[bytes] | None = None
        self.restarts = 0
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._watch, name=f"supervise-{name}", daemon=True)

    def start(self) -> Supervised:
        self.process = subprocess.Popen(self.argv)
        self._thread.start()
        return self

    def _watch(self) -> None:
        wait = FIRST_WAIT
        while not self._stopping.is_set():
            assert self.process is not None
            started = time.monotonic()
            code = self.process.wait()
            if self._stopping.is_set():
                return
            if time.monotonic() - started >= STEADY:
                wait = FIRST_WAIT
            log.warning("%s exited with code %s; starting it again in %.0f s", self.name, code, wait)
            if self._stopping.wait(wait):
                return
            wait = min(LONGEST_WAIT, wait * 2)
            self.process = subprocess.Popen(self.argv)
            self.restarts += 1

    def stop(self, timeout: float = 30.0) -> None:
        self._stopping.set()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._thread.join(timeout=5)
