"""Dependencies as types, so routes declare what they need in their signature."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.clientip import client_address
from api.errors import IndexNotReady
from api.pipeline import Pipeline
from api.ratelimit import RateLimiter
from api.settings import Settings


def _pipeline(request: Request) -> Pipeline:
    pipeline = request.app.state.pipeline
    if pipeline is None:
        raise IndexNotReady("the index is still loading")
    return pipeline  # type: ignore[no-any-return]


def _settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def limiter_of(request: Request) -> RateLimiter:
    return request.app.state.limiter  # type: ignore[no-any-return]


def client_key(request: Request) -> str:
    """Rate-limit key: the client address, through trusted proxies only (api/clientip.py)."""
    return client_address(request.client.host if request.client else None,
                          request.headers.getlist("x-forwarded-for"),
                          request.app.state.trusted_proxies)


PipelineDep = Annotated[Pipeline, Depends(_pipeline)]
SettingsDep = Annotated[Settings, Depends(_settings)]
