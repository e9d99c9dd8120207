"""Prometheus metrics, served at /metrics. Counts, durations and versions only: no metric has a
label that could carry question text (outcome kinds, stage and limit names, surfaces, partner
ids from the registry, build ids), and nothing here accepts a question.

With several worker processes (`clearpath serve --workers N`), `serve` sets
`PROMETHEUS_MULTIPROC_DIR` to an empty folder before the workers start, and /metrics sums every
worker's figures (prometheus-client's multiprocess mode); the index gauge then has one series
per worker process (`pid` label), so a rollout shows which workers have the new build.

Functions other parts call:
    outcome(kind, surface, partner)   one result served
    stage(name)                       a context manager timing one pipeline stage
    refused(limit)                    a request refused by a rate limit or quota
    limit_backend_error(backend)      the limits backend (Redis) failed and a limit failed open
    index_loaded(manifest)            the index a process serves now
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

MULTIPROC = "PROMETHEUS_MULTIPROC_DIR"
# Stages take from tens of microseconds (guard rules) to hundreds of milliseconds (embedding
# under load); whole answers up to a few seconds.
BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

OUTCOMES = Counter("clearpath_outcomes", "Results served, by outcome kind and surface.",
                   ["kind", "surface", "partner"])
STAGES = Histogram("clearpath_stage_seconds", "Time spent in each stage of answering.",
                   ["stage"], buckets=BUCKETS)
REFUSALS = Counter("clearpath_limit_refusals",
                   "Requests refused by a rate limit or quota, by limit (ask, feedback, "
                   "partner, quota-client, quota, crisis, operator-failed).", ["limit"])
BACKEND_ERRORS = Counter("clearpath_limit_backend_errors",
                         "Limit checks that failed open because the limits backend failed.",
                         ["backend"])
RELOADS = Counter("clearpath_index_reloads", "Index reloads after the pointer moved.",
                  ["result"])
INDEX = Gauge("clearpath_index_info", "The index served: 1 for the current build.",
              ["artifact", "corpus_version", "model"], multiprocess_mode="liveall")
_current: dict[str, tuple[str, str, str]] = {}


def outcome(kind: str, surface: str, partner: str | None = None) -> None:
    OUTCOMES.labels(kind, surface, partner or "").inc()


@contextmanager
def stage(name: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        STAGES.labels(name).observe(time.perf_counter() - started)


def refused(limit: str) -> None:
    REFUSALS.labels(limit).inc()


def limit_backend_error(backend: str = "redis") -> None:
    """Call where a limit fails open because its backend (Redis) is unreachable."""
    BACKEND_ERRORS.labels(backend).inc()


def index_reload(result: str) -> None:
    RELOADS.labels(result).inc()


def index_loaded(manifest: Any) -> None:
    labels = (manifest.artifact, manifest.corpus_hash, manifest.model_name)
    old = _current.get("index")
    if old is not None and old != labels:
        INDEX.labels(*old).set(0)
    INDEX.labels(*labels).set(1)
    _current["index"] = labels


def render() -> tuple[bytes, str]:
    """The exposition text and its content type, summed over workers in multiprocess mode."""
    if os.environ.get(MULTIPROC):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
