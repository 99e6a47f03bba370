"""Prometheus metrics: what each process counts, and what the shared state says when scraped.

Requests and votes are counted per process: in memory, in prometheus_client's default registry, or, when
PROMETHEUS_MULTIPROC_DIR names a folder, in files there that every process on the machine writes and any
of them adds up when scraped. prometheus_client chooses when it is first imported, so the variable is set
in the environment before the process starts, never by the code. Every metric a process counts has labels:
its files are made when a label is first used, not on import.

The shared state (the outbox, consolidation, arq's queue, the workers) is read from PostgreSQL and Redis at
each scrape and handed to a collector made for that scrape: the same whichever process answers, and never
added up across processes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from functools import cache

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import choose_encoder
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from server.operations.readings import Readings

MULTIPROCESS_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None
# a _created series beside every counter and histogram, that nobody reads
disable_created_metrics()  # type: ignore[no-untyped-call]  # prometheus_client leaves it unannotated

# castVote's fast lane answers in a few milliseconds; exports and consolidation pages take seconds
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUESTS = Counter("ruam_http_requests", "HTTP requests answered, by route template, method and status.",
                   ("route", "method", "status"))
LATENCY = Histogram("ruam_http_request_duration_seconds",
                    "Time from a request's arrival to the end of its answer, by route template.", ("route",),
                    buckets=BUCKETS)
VOTES = Counter("ruam_votes_accepted", "Votes stored (new or changed), by the path that stored them: "
                "castVote's fast lane or the service (the pages, proxies, the rest of the API).", ("lane",))


@cache
def _votes(lane: str) -> Counter:
    return VOTES.labels(lane)


def vote_accepted(lane: str) -> None:
    _votes(lane).inc()


class SharedState(Collector):
    """The readings of one scrape, as gauges. A dependency that could not be read leaves its gauges out
    (ruam_up says which); a round has its own series only once it has a consolidation mark."""

    def __init__(self, readings: Readings):
        self.readings = readings

    def collect(self) -> Iterator[Metric]:
        postgres, redis = self.readings.postgres, self.readings.redis
        up = GaugeMetricFamily("ruam_up", "Whether this scrape could read the dependency (1) or not (0).",
                               labels=("dependency",))
        up.add_metric(("postgres",), float(postgres.up))
        up.add_metric(("redis",), float(redis.up))
        yield up
        if redis.queued is not None:
            yield GaugeMetricFamily("ruam_queue_jobs", "Jobs waiting in arq's queue.", value=redis.queued)
        work = postgres.work
        if work is None:
            return
        yield GaugeMetricFamily("ruam_outbox_oldest_age_seconds",
                                "Age of the oldest event not yet published (0 when none waits).",
                                value=work.outbox_age)
        yield GaugeMetricFamily("ruam_outbox_unpublished_events", "Events waiting to be published.",
                                value=work.outbox_size)
        if work.heartbeat_age is not None:
            yield GaugeMetricFamily("ruam_worker_heartbeat_age_seconds", "Age of the newest worker heartbeat.",
                                    value=work.heartbeat_age)
        yield GaugeMetricFamily("ruam_workers_live", "Workers that beat in the last 30 seconds.",
                                value=work.workers)
        yield GaugeMetricFamily("ruam_consolidation_rounds_behind",
                                "Rounds whose proposal does not yet include all their inputs.",
                                value=work.rounds_behind)
        staleness = GaugeMetricFamily("ruam_consolidation_staleness_seconds",
                                      "Age of the oldest input a round's proposal may lack (0 when it lacks none).",
                                      labels=("round",))
        duration = GaugeMetricFamily("ruam_consolidation_last_duration_seconds",
                                     "How long a round's latest consolidation took.", labels=("round",))
        for mark in work.rounds:
            staleness.add_metric((mark.slug,), mark.staleness)
            if mark.last_duration is not None:
                duration.add_metric((mark.slug,), mark.last_duration)
        yield staleness
        yield duration


class _Scrape:
    """What generate_latest reads: the collectors of one scrape, one after the other."""

    def __init__(self, collectors: Iterable[Collector]):
        self.collectors = collectors

    def collect(self) -> Iterator[Metric]:
        for collector in self.collectors:
            yield from collector.collect()


@cache
def _per_process() -> Collector:
    """Every process's counts added up from the files, or this process's own."""
    if MULTIPROCESS_DIR is None:
        return REGISTRY
    registry = CollectorRegistry(auto_describe=False)
    MultiProcessCollector(registry, MULTIPROCESS_DIR)  # type: ignore[no-untyped-call]  # its __init__ is unannotated
    return registry


def exposition(readings: Readings, accept: str) -> tuple[bytes, str]:
    """The answer to a scrape and its content type: Prometheus's text format, or OpenMetrics when asked."""
    encode, content_type = choose_encoder(accept)
    return encode(_Scrape((_per_process(), SharedState(readings)))), content_type
