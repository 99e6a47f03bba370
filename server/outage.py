"""Saying that a dependency is away, without a traceback per attempt.

A worker retrying Redis every second, or a web process whose every request finds Redis gone, would
otherwise write thousands of identical tracebacks; an operator needs to know when it went, that it is
still away (once a minute), and when it came back.
"""

from __future__ import annotations

import logging
import time

REMIND_EVERY = 60.0  # seconds between "still away" lines


class Outage:
    def __init__(self, log: logging.Logger, what: str, *, remind_every: float = REMIND_EVERY):
        self.log, self.what, self.remind_every = log, what, remind_every
        self.since: float | None = None  # monotonic time it went away
        self._said = 0.0
        self.failures = 0

    @property
    def down(self) -> bool:
        return self.since is not None

    def failed(self, error: BaseException) -> None:
        now = time.monotonic()
        self.failures += 1
        if self.since is None:
            self.since = self._said = now
            self.log.warning("%s unavailable (%s: %s); retrying", self.what, type(error).__name__, error)
        elif now - self._said >= self.remind_every:
            self._said = now
            self.log.warning("%s still unavailable after %.0f s (%d failed attempts; last: %s: %s)",
                             self.what, now - self.since, self.failures, type(error).__name__, error)

    def recovered(self) -> None:
        if self.since is not None:
            self.log.warning("%s available again after %.1f s", self.what, time.monotonic() - self.since)
            self.since, self.failures = None, 0

    def backoff(self, *, first: float = 0.5, most: float = 5.0) -> float:
        """Seconds to wait before the next attempt: doubling from `first`, at most `most` (so that a
        dependency that returns is noticed within that long)."""
        return min(most, first * 2.0 ** max(0, min(self.failures - 1, 10)))
