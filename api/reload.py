"""Rolling out a new index without a failed request.

A server follows its index pointer: the published `current` pointer of `CLEARPATH_INDEX_FROM`,
or the local `data/index/current` link that `clearpath index build` and `pull` swap. Every
`CLEARPATH_INDEX_WATCH_SECONDS` (and at once on SIGHUP, in a one-worker server) it compares the
pointer with the one its pipeline was loaded from; when it moved, it loads and verifies the new
build in a worker thread, then replaces `app.state.pipeline` in one assignment. A request takes
its pipeline once, when it starts (api/deps.py), so requests already running finish on the old
index and the next ones get the new one; nothing is ever half-swapped.

A refused build (damaged, mismatched, another model) is logged once, with the reason, and the
server goes on serving the index it has; the pointer is tried again when it moves again.
With several workers, each worker follows the pointer on its own (uvicorn's supervisor takes
SIGHUP to mean "restart the workers", so use the pointer there, not the signal).
"""

from __future__ import annotations

import asyncio
import logging
import signal
from contextlib import suppress

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from api import metrics
from api.errors import IndexNotReady
from api.pipeline import Pipeline, index_pointer

log = logging.getLogger("clearpath.index")


async def reload_once(app: FastAPI, refused: set[str]) -> bool:
    """Swap in the index the pointer names if it moved; True when a new one was swapped in."""
    pipeline: Pipeline | None = app.state.pipeline
    if pipeline is None:
        return False
    pointer = await run_in_threadpool(index_pointer, pipeline.settings)
    if not pointer or pointer == pipeline.index_pointer or pointer in refused:
        return False
    try:
        fresh = await run_in_threadpool(pipeline.reloaded)
    except IndexNotReady as exc:
        refused.add(pointer)
        metrics.index_reload("refused")
        log.warning("index_reload_refused", extra={"fields": {"reason": str(exc)}})
        return False
    app.state.pipeline = fresh  # one assignment: each request sees the old or the new, whole
    metrics.index_loaded(fresh.store.manifest)
    metrics.index_reload("ok")
    log.info("index_reloaded", extra={"fields": {
        "artifact": fresh.store.manifest.artifact,
        "corpus_version": fresh.store.manifest.corpus_hash}})
    return True


async def watch(app: FastAPI, interval: float) -> None:
    """Follow the pointer until cancelled: every `interval` seconds and on SIGHUP."""
    wake = asyncio.Event()
    loop = asyncio.get_running_loop()
    with suppress(ValueError, RuntimeError, NotImplementedError, AttributeError):
        loop.add_signal_handler(signal.SIGHUP, wake.set)  # main thread, POSIX only
    refused: set[str] = set()
    try:
        while True:
            with suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), timeout=interval or None)
            wake.clear()
            try:
                await reload_once(app, refused)
            except Exception:  # the watcher must outlive any one failure
                log.exception("index_reload_failed")
    finally:
        with suppress(ValueError, RuntimeError, NotImplementedError, AttributeError):
            loop.remove_signal_handler(signal.SIGHUP)
