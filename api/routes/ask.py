from __future__ import annotations

import time
from collections import defaultdict
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api import logs, observe
from api.deps import PipelineDep, SettingsDep, client_key, limiter_of
from api.feedback import CORPUS_VERSION, save_feedback
from api.gate import answer_past
from api.schemas import AskRequest, Kind, Result
from index.records import SourceRecord

router = APIRouter(prefix="/api/v1", tags=["api"])


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "The body is not JSON"},
    422: {"model": ErrorResponse, "description": "Bad input: empty, too long, control characters"},
    429: {"model": ErrorResponse, "description": "Rate limited"},
    503: {"model": ErrorResponse,
          "description": "The index is not loaded yet; for feedback, the database is "
                         "unreachable (nothing was saved)"},
}


# OpenAPI links: a result can be rated (schemathesis's stateful tests follow them).
RATE_IT = {"RateThisResult": {
    "operationId": "feedback_api_v1_feedback_post",
    "description": "Rate this result.",
    "requestBody": {"kind": "$response.body#/kind", "rating": 1,
                    "corpus_version": "$response.body#/corpus_version"},
}}


@router.post("/ask", response_model=Result, responses={**ERRORS, 200: {"links": RATE_IT}})
async def ask(body: AskRequest, request: Request, pipeline: PipelineDep,
              settings: SettingsDep) -> Result:
    """Answer one question from the vetted corpus, or say why not."""
    started = time.perf_counter()
    result = await answer_past(
        request, pipeline, body.question, body.region,
        checks=lambda: limiter_of(request).hit("ask", client_key(request)),
        answer=lambda: run_in_threadpool(pipeline.answer, body.question, body.region))
    logs.answered(result, latency_ms=(time.perf_counter() - started) * 1000, surface="api",
                  question=body.question if settings.log_questions else None)
    await observe.served(request, pipeline, result, "api")
    return result


class SourceDocument(BaseModel):
    doc_id: str
    title: str
    url: str = Field(description="The readable page of the document on this service.")


class SourceEntry(BaseModel):
    key: str
    title: str
    publisher: str
    url: str
    accessed: str
    documents: list[SourceDocument]


class SourcesResponse(BaseModel):
    data: list[SourceEntry]
    count: int


@router.get("/sources", response_model=SourcesResponse)
async def sources(pipeline: PipelineDep) -> SourcesResponse:
    """Every source, with the corpus documents that cite it."""
    found: dict[str, SourceRecord] = {}
    citing: dict[str, list[SourceDocument]] = defaultdict(list)
    for doc_id, doc in sorted(pipeline.all_documents().items()):
        for key, source in doc.sources.items():
            found.setdefault(key, source)
            citing[key].append(SourceDocument(doc_id=doc_id, title=doc.title,
                                              url=f"/sources/{doc_id}"))
    data = [SourceEntry(**vars(found[k]), documents=citing[k]) for k in sorted(found)]
    return SourcesResponse(data=data, count=len(data))


class FeedbackRequest(BaseModel):
    kind: Kind
    rating: Literal[-1, 1] = Field(description="1 (helpful) or -1 (not helpful)")
    passage_ids: list[str] = Field(default_factory=list, max_length=20)
    corpus_version: str = Field("", pattern=CORPUS_VERSION,
                                description="The rated result's corpus_version, or empty.")


class FeedbackSaved(BaseModel):
    id: int


@router.post("/feedback", response_model=FeedbackSaved, responses=ERRORS)
async def feedback(body: FeedbackRequest, request: Request) -> FeedbackSaved:
    """Store a rating of an answer: outcome, passage ids, corpus version; never the question."""
    limiter_of(request).hit("feedback", client_key(request))
    return FeedbackSaved(id=save_feedback(request, body.kind, body.rating, body.passage_ids,
                                          body.corpus_version))
