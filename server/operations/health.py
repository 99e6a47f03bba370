"""Liveness and readiness, as a load balancer or a process supervisor asks for them.

Liveness (/healthz) says the process answers, and touches nothing else: restarting a web process because
PostgreSQL is away would not bring PostgreSQL back.

Readiness (/readyz) says whether traffic should come to this process. It is ready when PostgreSQL answers
and its schema is the one this code was written for; otherwise the answer is 503, with Retry-After.

- Redis away does not make it unready, only "degraded". Every write still succeeds without it (its event
  waits in the outbox until the relay can publish it), pages and the API read PostgreSQL, and rate limits
  let requests through; what waits is live updates and jobs. Every web process shares the one Redis, so
  taking them all out of the balancer for it would turn a partial outage into a whole one.
- A schema behind the code (`ruam migrate` not run yet) would fail on what it lacks; one ahead of it (this
  process is older than the last `ruam migrate`) may be misread. Either way the process is unready, and
  those that match the database stay ready.
- The workers, the outbox and consolidation are reported, never decisive: a web process serves people even
  while the workers lag, and taking it out of the balancer would not help them.
"""

from __future__ import annotations

from typing import Any

from server.migrate import revisions
from server.operations.readings import Readings, Work


def schema_state(revision: str | None) -> str:
    """"current", "behind" (an older revision, or none: never migrated) or "ahead" (one this code does not
    know: a newer version migrated the database)."""
    head, *older = revisions()
    if revision == head:
        return "current"
    return "behind" if revision is None or revision in older else "ahead"


def readiness(readings: Readings) -> tuple[int, dict[str, Any]]:
    """The HTTP status and the JSON answer of /readyz."""
    postgres, redis = readings.postgres, readings.redis
    state = schema_state(postgres.revision) if postgres.up else "unknown"
    checks = {
        "postgres": _check(postgres.error),
        "redis": _check(redis.error),
        "migrations": {"ok": state == "current", "state": state, "database": postgres.revision,
                       "code": revisions()[0]},
    }
    ready = postgres.up and state == "current"
    reported: dict[str, Any] = {"queue": {"jobs": redis.queued} if redis.up else {"error": redis.error}}
    if postgres.work is not None:
        reported.update(_work(postgres.work))
    else:
        reported["error"] = postgres.work_error or postgres.error
    status = "unavailable" if not ready else "degraded" if not redis.up else "ok"
    return (200 if ready else 503), {"status": status, "checks": checks, "reported": reported}


def _check(error: str | None) -> dict[str, Any]:
    return {"ok": True} if error is None else {"ok": False, "error": error}


def _work(work: Work) -> dict[str, Any]:
    return {
        "workers": {"newest_heartbeat_age_seconds": _round(work.heartbeat_age), "live": work.workers,
                    "live_without_redis": work.workers_without_redis},
        "outbox": {"oldest_unpublished_age_seconds": _round(work.outbox_age), "unpublished": work.outbox_size},
        "consolidation": {"rounds_behind": work.rounds_behind, "max_staleness_seconds": _round(work.staleness)},
    }


def _round(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds, 3)
