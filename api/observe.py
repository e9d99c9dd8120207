"""What is recorded about each result served, besides its log line: the outcome metric and,
for a `no_answer`, one content-gap count by the nearest passage's document and topic (and
partner). Counts only: the question itself is never passed here."""

from __future__ import annotations

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from api import db, metrics
from api.pipeline import Pipeline
from api.schemas import Result


async def served(request: Request, pipeline: Pipeline, result: Result, surface: str,
                 partner: str | None = None) -> None:
    metrics.outcome(result.kind, surface, partner)
    nearest = result._nearest
    if result.kind != "no_answer" or not nearest:
        return
    doc_id = nearest.split("#", 1)[0]
    document = pipeline.store.documents.get(doc_id)  # the index that answered
    topic = document.topics[0] if document is not None and document.topics else ""
    await run_in_threadpool(db.count_gap, request.app.state.db, nearest, doc_id, topic, partner)
