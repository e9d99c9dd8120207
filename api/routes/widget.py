"""The embeddable widget: the script, the partner check, the framed chat and its theme."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from api import i18n, responses
from api.errors import Forbidden, NotFound
from api.i18n import N_
from api.partners import Partner
from api.routes.pages import page_context
from api.templating import page_language, templates
from web import STATIC_DIR

router = APIRouter(include_in_schema=False)


def partner_of(request: Request, partner_id: str) -> Partner:
    partner = request.app.state.partners.get(partner_id)
    if partner is None:
        raise NotFound(N_("There is no such partner."))  # never the address's own words
    return partner  # type: ignore[no-any-return]


def allowed(partner: Partner, origin: str | None) -> bool:
    return bool(origin) and origin in partner.allowed_origins


@router.get("/widget.js")
async def widget_js() -> Response:
    return FileResponse(STATIC_DIR / "widget.js", media_type="text/javascript",
                        headers={"Cache-Control": "public, max-age=300"})


@router.get("/widget/v1/partners/{partner_id}")
async def partner_check(request: Request, partner_id: str,
                        origin: Annotated[str | None, Header()] = None,
                        lang: Annotated[str, Query(max_length=35)] = "") -> Response:
    """Tells widget.js whether it may show the chat on this page (CORS-checked by Origin), in
    which language (its `data-lang`, else the browser's), and its own words in it."""
    partner = request.app.state.partners.get(partner_id)
    if partner is None:
        return JSONResponse({"error": {"code": "unknown_partner",
                                       "message": f"Unknown partner {partner_id!r}."}}, 404,
                            headers={"Access-Control-Allow-Origin": origin or "*",
                                     "Vary": "Origin"})
    if not allowed(partner, origin):
        return JSONResponse({"error": {"code": "origin_not_allowed",
                                       "message": f"{origin} may not embed {partner_id!r}."}},
                            403, headers={"Access-Control-Allow-Origin": origin or "*",
                                          "Vary": "Origin"})
    chosen = i18n.choose(lang, request.headers.get("accept-language"))
    return JSONResponse(
        {"id": partner.id, "name": partner.name, "accent": partner.theme.accent,
         "lang": chosen, "messages": widget_messages(chosen)},
        headers={"Access-Control-Allow-Origin": str(origin),
                 "Vary": "Origin, Accept-Language"})


@lru_cache(maxsize=8)
def widget_messages(lang: str) -> dict[str, str]:
    """widget.js's own words (its t("...") calls) in `lang`, from the message catalogue."""
    return {m: i18n.gettext(lang, m) for m in i18n.messages_in("web/static/widget.js")}


@router.get("/embed/{partner_id}")
async def embed(request: Request, partner_id: str,
                origin: Annotated[str, Query(max_length=200)] = "",
                title: Annotated[str, Query(max_length=80)] = "",
                greeting: Annotated[str, Query(max_length=300)] = "",
                sec_fetch_dest: Annotated[str | None, Header()] = None) -> Response:
    """The chat, compact, for one partner origin. Only that origin may frame it."""
    partner = partner_of(request, partner_id)
    if sec_fetch_dest != "iframe":
        # A partner's title and greeting show only inside its frame, so nobody can put
        # their own words on Clearpath's pages with a link.
        title, greeting = "", ""
    if not allowed(partner, origin):
        # Generic: a parameter's text is never shown as if Clearpath said it.
        raise Forbidden(N_("This site is not registered to embed this chat."),
                        code="origin_not_allowed")
    token = request.app.state.signer.issue(partner.id, origin)
    lang = page_language(request)
    context = page_context(
        request, partner.region, exchanges=[], partner=partner, partner_token=token,
        parent_origin=origin, title=title or i18n.gettext(lang, N_("Ask Clearpath")),
        greeting=greeting,
        new_conversation_url=f"/embed/{partner.id}",
        keep_params={"origin": origin, "title": title, "greeting": greeting},
        examples=responses.suggestions(lang)[:3])
    response = templates.TemplateResponse(request, "embed.html", context)
    response.headers["content-security-policy"] = embed_csp(origin)
    return response


def embed_csp(origin: str) -> str:
    return ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; "
            f"frame-ancestors {origin}")


@router.get("/embed/{partner_id}/theme.css")
async def theme(request: Request, partner_id: str) -> Response:
    partner = partner_of(request, partner_id)
    # Validated as #rrggbb with AA contrast against white text; dark mode keeps its own accent.
    css = (f"@media (prefers-color-scheme: light) {{ :root {{ --accent: {partner.theme.accent}; "
           "--accent-fg: #ffffff; } }\n")
    return Response(css, media_type="text/css", headers={"Cache-Control": "public, max-age=300"})
