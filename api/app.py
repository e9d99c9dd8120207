"""The FastAPI app factory, and the one place where exceptions become HTTP responses.

Errors answer in the surface's own format: JSON under /api/ (and for /healthz, /readyz),
an htmx partial for htmx requests, a full HTML page otherwise. Never a stack trace.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import math
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from swagger_ui_bundle import swagger_ui_path

from api import db, i18n, logs, metrics, reload, responses
from api.clientip import parse_trusted
from api.errors import (
    ClearpathError,
    Forbidden,
    IndexNotReady,
    InvalidQuestion,
    NotFound,
    RateLimited,
    StorageUnavailable,
    Unauthorized,
)
from api.i18n import N_
from api.middleware import SecurityHeaders
from api.partners import load_registry
from api.pipeline import Pipeline
from api.ratelimit import RateLimiter
from api.routes import ask, health, operator, pages, widget
from api.routes.pages import Exchange, page_context
from api.settings import Settings, get_settings
from api.templating import templates
from api.tokens import TokenSigner
from web import STATIC_DIR

log = logging.getLogger("clearpath")


def create_app(settings: Settings | None = None, pipeline: Pipeline | None = None) -> FastAPI:
    settings = settings or get_settings()
    logs.configure()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.pipeline = pipeline or Pipeline(settings)
        metrics.index_loaded(app.state.pipeline.store.manifest)
        await asyncio.to_thread(app.state.pipeline.warm_up)
        # What is loaded now (index, models, catalogues) lives as long as the worker: moved
        # out of the collector's sight, so a full collection under load does not walk it.
        gc.collect()
        gc.freeze()
        # Follow the index pointer: a new build is swapped in whole (api/reload.py).
        watcher = asyncio.create_task(reload.watch(app, settings.index_watch_seconds))
        try:
            yield
        finally:
            watcher.cancel()
            with suppress(asyncio.CancelledError):
                await watcher

    app = FastAPI(
        title="Clearpath",
        version="0.1.0",
        summary="Answers about opioid withdrawal and kratom, only from a vetted, cited corpus.",
        lifespan=lifespan,
        docs_url=None,  # served below from a local Swagger UI bundle, never a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.pipeline = None
    app.state.db = db.make_engine(settings.db_url)
    app.state.limiter = RateLimiter(settings.rate_limit, settings.limits_storage,
                                    settings.rate_limit_enabled,
                                    on_fail_open=metrics.limit_backend_error)
    responses.check_helplines()  # a crisis reply must never fail while it is being rendered
    i18n.load_all()  # a broken message catalogue stops the start, never a page
    app.state.trusted_proxies = parse_trusted(settings.forwarded_allow_ips)
    app.state.partners = load_registry(settings.partners_file)
    app.state.signer = TokenSigner(settings.secret_key, settings.token_max_age)
    app.add_middleware(SecurityHeaders, hsts=settings.environment == "production")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.mount("/docs-static", StaticFiles(directory=swagger_ui_path), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> Response:
        return get_swagger_ui_html(
            openapi_url="/openapi.json", title="Clearpath API",
            swagger_js_url="/docs-static/swagger-ui-bundle.js",
            swagger_css_url="/docs-static/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg")
    app.include_router(health.router)
    app.include_router(ask.router)
    app.include_router(pages.router)
    app.include_router(widget.router)
    app.include_router(operator.router)
    app.include_router(operator.metrics_router)
    _map_errors(app)
    return app


STATUS: list[tuple[type[Exception], int, str, str]] = [
    (InvalidQuestion, 422, "invalid_input", N_("Please check your question")),
    (RateLimited, 429, "rate_limited", N_("Please slow down")),
    (NotFound, 404, "not_found", N_("Not found")),
    (Unauthorized, 401, "unauthorized", N_("Not allowed")),
    (Forbidden, 403, "forbidden", N_("Not allowed")),
    (IndexNotReady, 503, "not_ready", N_("Starting up")),
    (StorageUnavailable, 503, "storage_unavailable", N_("Not saved")),
]


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path in ("/healthz", "/readyz", "/metrics") or (
        "application/json" in request.headers.get("accept", "")
        and "text/html" not in request.headers.get("accept", ""))


def error_response(request: Request, status: int, code: str, title: str, message: str,
                   headers: dict[str, str] | None = None) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": {"code": code, "message": message}}, status_code=status,
                            headers=headers)
    if request.headers.get("hx-request") == "true":
        exchange = Exchange(question="", result=None, error=message, uid=uuid.uuid4().hex[:10])
        return templates.TemplateResponse(request, "_exchange.html", {"ex": exchange},
                                          status_code=status, headers=headers)
    request.state.error_page = True
    return templates.TemplateResponse(
        request, "error.html", page_context(request, "", title=title, message=message),
        status_code=status, headers=headers)


def _map_errors(app: FastAPI) -> None:
    @app.exception_handler(ClearpathError)
    async def known(request: Request, exc: ClearpathError) -> Response:
        for kind, status, code, title in STATUS:
            if isinstance(exc, kind):
                headers = None
                if isinstance(exc, RateLimited) and exc.retry_at:
                    wait = max(1, math.ceil(exc.retry_at - time.time()))
                    headers = {"Retry-After": str(wait)}
                if isinstance(exc, Forbidden):
                    code = exc.code
                if isinstance(exc, Unauthorized):
                    headers = {"WWW-Authenticate": "Bearer"}
                if isinstance(exc, StorageUnavailable):
                    headers = {"Retry-After": "30"}
                return error_response(request, status, code, title, str(exc), headers)
        return await unexpected(request, exc)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "form"))
        message = f"{where}: {first.get('msg', 'invalid request')}" if where else "invalid request"
        return error_response(request, 422, "invalid_request", N_("Please check your input"),
                              message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = N_("There is no page here.") if exc.status_code == 404 else str(exc.detail)
        title = N_("Not found") if exc.status_code == 404 else str(exc.detail)
        return error_response(request, exc.status_code, "http_error", title, message,
                              dict(exc.headers) if exc.headers else None)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.error("unhandled error: %s", type(exc).__name__, exc_info=exc)
        return error_response(request, 500, "internal", N_("Something went wrong"),
                              N_("Something went wrong on our side. Please try again."))
