"""The chat page and document pages: HTML for browsers, partials for htmx, no JS needed."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from api import db, i18n, logs, observe, responses
from api.csrf import same_origin_only
from api.deps import PipelineDep, SettingsDep, client_key, limiter_of
from api.errors import Forbidden, InvalidQuestion, NotFound
from api.feedback import CORPUS_VERSION, save_feedback
from api.gate import answer_past
from api.i18n import N_
from api.partners import Partner
from api.pipeline import Pipeline
from api.schemas import Result
from api.templating import page_language, templates

router = APIRouter(include_in_schema=False)


@dataclass
class Exchange:
    question: str
    result: Result | None
    error: str = ""
    uid: str = ""


def page_context(request: Request, region: str, **extra: Any) -> dict[str, Any]:
    settings = request.app.state.settings
    region = responses.normalise_region(region or settings.region)
    return {
        "region": region,
        "max_chars": settings.max_question_chars,
        "examples": responses.suggestions(page_language(request))[:4],
        "notice_lines": responses.helplines(region, ("drug_helpline",))[:1]
        or responses.helplines(region, ("crisis",))[:1],
        **extra,
    }


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


@router.get("/", response_class=HTMLResponse)
async def chat_page(request: Request, region: str = "") -> Response:
    return templates.TemplateResponse(request, "chat.html",
                                      page_context(request, region, exchanges=[]))


async def run_exchange(request: Request, pipeline: Pipeline, question: str, region: str,
                       surface: str, partner: Callable[[], str | None] = lambda: None,
                       checks: Callable[[], None] = lambda: None) -> tuple[Exchange, int]:
    """Run the pre-answer checks, answer, log. A crisis is answered even when a check (limit,
    quota, token) refuses (api/gate.py). `partner` is read after the checks, which prove it."""
    settings = request.app.state.settings
    uid = uuid.uuid4().hex[:10]
    started = time.perf_counter()
    try:
        result = await answer_past(
            request, pipeline, question, region or None, checks,
            answer=lambda: run_in_threadpool(pipeline.answer, question, region or None))
    except InvalidQuestion as exc:
        lang = page_language(request)
        error = i18n.gettext(lang, N_("Sorry, %(problem)s."), problem=i18n.gettext(lang, str(exc)))
        return Exchange(question=question, result=None, error=error, uid=uid), 422
    logs.answered(result, latency_ms=(time.perf_counter() - started) * 1000, surface=surface,
                  question=question if settings.log_questions else None, partner=partner())
    await observe.served(request, pipeline, result, surface, partner())
    return Exchange(question=question, result=result, uid=uid), 200


@router.post("/chat", response_class=HTMLResponse)
async def chat(
    request: Request,
    pipeline: PipelineDep,
    question: Annotated[str, Form(max_length=20000)] = "",
    region: Annotated[str, Form(max_length=8)] = "",
    partner: Annotated[str, Form(max_length=64)] = "",
    token: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    def client_limit() -> None:
        # Inside the pre-answer checks, so a crisis is answered even when they refuse.
        same_origin_only(request)
        limiter_of(request).hit("ask", client_key(request))

    if partner or token:
        # The partner the form names sets the helplines; only a valid token proves it, and the
        # token is checked with the limits, so an expired one cannot hide a crisis reply.
        claimed: Partner | None = request.app.state.partners.get(partner)
        proven: list[Partner] = []

        def checks() -> None:
            proven.append(widget_partner(request, partner, token))
            client_limit()
            partner_limits(request, proven[0])

        exchange, status = await run_exchange(
            request, pipeline, question, claimed.region if claimed else "", "widget",
            partner=lambda: proven[0].id if proven else None, checks=checks)
        if exchange.result is not None and proven:
            await run_in_threadpool(db.count_outcome, request.app.state.db, proven[0].id,
                                    exchange.result.kind)
            if proven[0].referral and exchange.result.kind in ("dosing_refusal", "no_answer"):
                exchange.result.helplines.append(proven[0].referral.helpline())
        context = {"ex": exchange, "partner": claimed, "partner_token": token}
        return templates.TemplateResponse(request, "_exchange.html", context,
                                          status_code=status)
    exchange, status = await run_exchange(request, pipeline, question, region, "page",
                                          checks=client_limit)
    if is_htmx(request):
        return templates.TemplateResponse(request, "_exchange.html", {"ex": exchange},
                                          status_code=status)
    context = page_context(request, region, exchanges=[exchange],
                           draft=question if status != 200 else "")
    return templates.TemplateResponse(request, "chat.html", context, status_code=status)


def widget_partner(request: Request, partner_id: str, token: str) -> Partner:
    """The partner a widget request speaks for: its token must be valid for it and its
    origin still registered."""
    partner = request.app.state.partners.get(partner_id)
    if partner is None:
        raise Forbidden(N_("This chat is not set up for this site."), code="unknown_partner")
    claims = request.app.state.signer.verify(token, partner.id)
    if claims.origin not in partner.allowed_origins:
        raise Forbidden(N_("This site is no longer registered for this chat."), code="origin")
    return partner  # type: ignore[no-any-return]


def partner_limits(request: Request, partner: Partner) -> None:
    """The partner's own rate limit, one address's share of its quota, its daily quota, and
    an operator warning as the quota runs out."""
    limiter = limiter_of(request)
    limiter.hit("partner", partner.id, rates=partner.rate_limit,
                message=N_("This chat is busy right now. Please wait a minute and try again."))
    limiter.hit("quota-client", partner.id, client_key(request),
                rates=f"{partner.client_quota}/day",
                message=N_("You have asked this chat many questions today. Please try again "
                           "tomorrow, or use the helplines on this page."))
    quota = f"{partner.daily_quota}/day"
    limiter.hit("quota", partner.id, rates=quota,
                message=N_("This site has reached today's limit of questions. Please try again "
                           "tomorrow, or use the helplines on this page."))
    left = limiter.remaining("quota", partner.id, rates=quota)
    if left is not None:
        logs.quota_used(partner.id, partner.daily_quota - left, partner.daily_quota,
                        partner.quota_alert)


@router.post("/feedback", response_class=HTMLResponse)
async def feedback(
    request: Request,
    settings: SettingsDep,
    kind: Annotated[str, Form(max_length=20)],
    rating: Annotated[int, Form(ge=-1, le=1)],
    passages: Annotated[str, Form(max_length=2000)] = "",
    corpus_version: Annotated[str, Form(pattern=CORPUS_VERSION)] = "",
    question: Annotated[str, Form(max_length=2000)] = "",
    partner: Annotated[str, Form(max_length=64)] = "",
    token: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    same_origin_only(request)
    limiter_of(request).hit("feedback", client_key(request))
    # From the widget, the rating is recorded for the partner its token proves.
    partner_id = widget_partner(request, partner, token).id if partner or token else None
    save_feedback(request, kind, rating, passages.split(), corpus_version, partner=partner_id,
                  question=question)
    if is_htmx(request):
        return templates.TemplateResponse(request, "_feedback_thanks.html", {})
    return templates.TemplateResponse(
        request, "error.html",
        page_context(request, "", title=N_("Thank you"),
                     message=N_("Your rating was saved, without your question.")))


@router.get("/sources", response_class=HTMLResponse)
async def sources_page(request: Request, pipeline: PipelineDep) -> Response:
    documents = sorted(pipeline.all_documents().values(), key=lambda d: d.title)
    return templates.TemplateResponse(request, "sources.html",
                                      page_context(request, "", documents=documents))


@router.get("/sources/{doc_id}", response_class=HTMLResponse)
async def source_page(request: Request, doc_id: str, pipeline: PipelineDep) -> Response:
    store = pipeline.store_of(doc_id)  # the English store, or the Spanish one
    doc = store.documents.get(doc_id)
    if doc is None:
        raise NotFound(N_("There is no such document."))  # never the address's own words
    passages = [p for p in store.passages if p.doc_id == doc_id]
    sections: list[dict[str, Any]] = []
    for p in passages:
        heading = p.heading_path[-1] if len(p.heading_path) > 1 else ""
        if not sections or sections[-1]["heading"] != heading:
            sections.append({"heading": heading, "passages": []})
        sections[-1]["passages"].append(p)
    numbers = {k: i for i, k in enumerate(doc.sources, 1)}
    return templates.TemplateResponse(
        request, "source.html",
        page_context(request, "", doc=doc, source_numbers=numbers, sections=sections))
