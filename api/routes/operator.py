"""Operator endpoints, behind a bearer token from settings (disabled when none is set).

Failed attempts are limited per client address (`FAILED_ATTEMPTS`), even when rate limits are
lifted: past the limit, every attempt from that address, right or wrong, is refused with 429
until the window frees up.
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from api import db, metrics
from api.deps import client_key, limiter_of
from api.errors import Forbidden, NotFound, Unauthorized
from api.routes.ask import ErrorResponse

FAILED_ATTEMPTS = "10/minute;50/day"
DAY = r"^\d{4}-\d{2}-\d{2}$"
LOCKED = "Too many wrong operator tokens from this address. Please wait and try again."

# The scheme is matched case-insensitively ("bearer", "BEARER"; RFC 7235).
bearer = HTTPBearer(auto_error=False, description="CLEARPATH_OPERATOR_TOKEN")
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "No operator token (a Bearer one is expected)"},
    403: {"model": ErrorResponse, "description": "A wrong operator token"},
    404: {"model": ErrorResponse, "description": "Operator endpoints are disabled"},
    429: {"model": ErrorResponse, "description": "Too many wrong tokens from this address"},
}

router = APIRouter(prefix="/api/v1/operator", tags=["operator"], responses=ERRORS)


def operator(request: Request,
             credentials: Annotated[HTTPAuthorizationCredentials | None,
                                    Depends(bearer)]) -> None:
    expected = request.app.state.settings.operator_token
    if not expected:
        raise NotFound("Operator endpoints are disabled (no CLEARPATH_OPERATOR_TOKEN).")
    limiter, key = limiter_of(request), client_key(request)
    limiter.check("operator-failed", key, rates=FAILED_ATTEMPTS, message=LOCKED)
    if credentials is None:
        raise Unauthorized("An operator token is required (Authorization: Bearer ...).",
                           code="operator_token")
    given = credentials.credentials.strip()
    if not hmac.compare_digest(given.encode(), expected.encode()):
        limiter.hit("operator-failed", key, rates=FAILED_ATTEMPTS, message=LOCKED, always=True)
        raise Forbidden("A valid operator token is required.", code="operator_token")


@router.get("/partners/stats", dependencies=[Depends(operator)])
async def partner_stats(request: Request) -> dict[str, object]:
    """Outcome counts per partner (answers, refusals, crises, no-answer): never question text;
    and the content gaps: no-answer counts by the nearest passage's topic and document, and by
    partner, only in cells of at least `content_gap_min_count`."""
    engine, k = request.app.state.db, request.app.state.settings.content_gap_min_count
    return {"partners": await run_in_threadpool(db.partner_counts, engine),
            "content_gaps": await run_in_threadpool(db.content_gaps, engine, k)}


@router.get("/content-gaps", dependencies=[Depends(operator)])
async def content_gaps(request: Request, partner: str | None = None,
                       since: Annotated[str | None, Query(pattern=DAY)] = None
                       ) -> dict[str, object]:
    """What people ask that the corpus cannot answer, without their questions: no-answer
    counts by topic, by document and by partner (optionally one partner, from a day on),
    never a cell below `content_gap_min_count` (k-anonymity)."""
    return await run_in_threadpool(db.content_gaps, request.app.state.db,
                                   request.app.state.settings.content_gap_min_count,
                                   partner, since)


metrics_router = APIRouter(tags=["operator"])


@metrics_router.get("/metrics", include_in_schema=False)
async def metrics_text(request: Request,
                       credentials: Annotated[HTTPAuthorizationCredentials | None,
                                              Depends(bearer)]) -> Response:
    """Prometheus metrics: the operator token, unless `CLEARPATH_METRICS_PUBLIC=true`."""
    if not request.app.state.settings.metrics_public:
        operator(request, credentials)
    body, content_type = await run_in_threadpool(metrics.render)
    return Response(body, media_type=content_type)
