"""Operator endpoints, behind a bearer token from settings (disabled when none is set).

Failed attempts are limited per client address (`FAILED_ATTEMPTS`), even when rate limits are
lifted: past the limit, every attempt from that address, right or wrong, is refused with 429
until the window frees up.
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api import db
from api.deps import client_key, limiter_of
from api.errors import Forbidden, NotFound, Unauthorized
from api.routes.ask import ErrorResponse

FAILED_ATTEMPTS = "10/minute;50/day"
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
    """Outcome counts per partner (answers, refusals, crises, no-answer): never question text."""
    return {"partners": db.partner_counts(request.app.state.db)}
