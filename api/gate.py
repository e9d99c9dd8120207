"""The crisis reply is never hidden: when a rate limit, a partner's quota or a widget token
would refuse a request, the full guard (embedding and model included, retrieval skipped) still
reads the message, and an emergency gets its reply. People share addresses (a clinic's wifi, a
carrier's NAT), so a limit someone else used up must not stand before the emergency numbers.

This path has its own, higher ceiling per client (`CLEARPATH_CRISIS_RATE_LIMIT`) so that it
cannot be used to spend the server's CPU without limit; past it, the original refusal stands.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from api.deps import client_key, limiter_of
from api.errors import Forbidden, RateLimited
from api.pipeline import Pipeline
from api.schemas import Result

T = TypeVar("T")

# What a pre-answer check may refuse with; anything else is a real error.
REFUSALS = (RateLimited, Forbidden)


async def answer_past(request: Request, pipeline: Pipeline, question: str, region: str | None,
                      checks: Callable[[], None],
                      answer: Callable[[], Awaitable[T]]) -> T | Result:
    """`answer()` if `checks()` passes; if it refuses, the crisis reply for a crisis message,
    else the refusal. CPU work runs in the thread pool, never on the event loop."""
    try:
        checks()
    except REFUSALS as refusal:
        settings = request.app.state.settings
        try:
            limiter_of(request).hit("crisis", client_key(request),
                                    rates=settings.crisis_rate_limit)
        except RateLimited:
            raise refusal from None
        crisis = await run_in_threadpool(pipeline.crisis_reply, question, region)
        if crisis is None:
            raise refusal from None
        return crisis
    return await answer()
