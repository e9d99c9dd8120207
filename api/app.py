"""The FastAPI app factory, and the one place where exceptions become HTTP responses."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.errors import IndexNotReady, InvalidQuestion
from api.pipeline import Pipeline
from api.routes import ask, health
from api.settings import Settings, get_settings

log = logging.getLogger("clearpath")


def create_app(settings: Settings | None = None, pipeline: Pipeline | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.pipeline = pipeline or Pipeline(settings)
        yield

    app = FastAPI(
        title="Clearpath",
        version="0.1.0",
        summary="Answers about opioid withdrawal and kratom, only from a vetted, cited corpus.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.pipeline = None
    app.include_router(health.router)
    app.include_router(ask.router)
    _map_errors(app)
    return app


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def _map_errors(app: FastAPI) -> None:
    @app.exception_handler(InvalidQuestion)
    async def invalid_question(_r: Request, exc: InvalidQuestion) -> JSONResponse:
        return _error(422, "invalid_question", str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_r: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        message = f"{where}: {first.get('msg', 'invalid request')}" if where else "invalid request"
        return _error(422, "invalid_request", message)

    @app.exception_handler(IndexNotReady)
    async def not_ready(_r: Request, exc: IndexNotReady) -> JSONResponse:
        return _error(503, "not_ready", str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_r: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, "http_error", str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected(_r: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error: %s", type(exc).__name__, exc_info=exc)
        return _error(500, "internal", "Something went wrong on our side. Please try again.")
