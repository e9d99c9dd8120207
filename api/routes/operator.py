"""Operator endpoints, behind a bearer token from settings (disabled when none is set)."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Header, Request

from api import db
from api.errors import Forbidden, NotFound

router = APIRouter(prefix="/api/v1/operator", tags=["operator"])


@router.get("/partners/stats")
async def partner_stats(request: Request,
                        authorization: Annotated[str, Header()] = "") -> dict[str, object]:
    """Outcome counts per partner (answers, refusals, crises, no-answer): never question text."""
    expected = request.app.state.settings.operator_token
    if not expected:
        raise NotFound("Operator endpoints are disabled (no CLEARPATH_OPERATOR_TOKEN).")
    if not hmac.compare_digest(authorization.encode(), f"Bearer {expected}".encode()):
        raise Forbidden("A valid operator token is required.", code="operator_token")
    return {"partners": db.partner_counts(request.app.state.db)}
