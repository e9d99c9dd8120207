"""Jinja2 templates (autoescaped) with the globals every page uses."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from babel.numbers import format_decimal
from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from api import i18n
from web import STATIC_DIR, TEMPLATES_DIR


def page_language(request: Request) -> str:
    """The page's language: set by the route (a form's `lang`), or chosen from the request."""
    chosen = getattr(request.state, "lang", None)
    if not chosen:
        chosen = request.state.lang = i18n.choose(request.query_params.get("lang"),
                                                  request.headers.get("accept-language"))
    return str(chosen)


# Query parameters a page's language switch keeps (the chat's region, the widget frame's own).
KEPT_PARAMS = ("region", "origin", "title", "greeting")


def language_context(request: Request) -> dict[str, Any]:
    lang = page_language(request)
    # The same page in another language; an error page's switch leads home, so no link ever
    # repeats an address's own words.
    same = request.method == "GET" and not getattr(request.state, "error_page", False)
    here = request.url.path if same else "/"
    query = {k: v for k, v in request.query_params.items() if k in KEPT_PARAMS} if same else {}
    return {
        "lang": lang,
        # Set when the request named its language: links and forms then carry it on.
        "lang_param": i18n.supported(request.query_params.get("lang")) or "",
        # The switch: the same page in each other language (a link, so it works without JS).
        "other_languages": [
            {"code": code, "name": i18n.name(code),
             "url": f"{here}?{urlencode({**query, 'lang': code})}"}
            for code in i18n.languages() if code != lang],
    }


class Templates(Jinja2Templates):
    def TemplateResponse(self, *args: Any, **kwargs: Any) -> Any:  # noqa: N802 (Starlette's)
        """Says the page's language, and that it depends on the browser's (for caches)."""
        response = super().TemplateResponse(*args, **kwargs)
        response.headers["content-language"] = str(response.context.get("lang", ""))
        vary = response.headers.get("vary")
        response.headers["vary"] = f"{vary}, Accept-Language" if vary else "Accept-Language"
        return response


templates = Templates(directory=str(TEMPLATES_DIR), context_processors=[language_context])


@lru_cache(maxsize=64)
def static(path: str) -> str:
    """URL of a static file with a content hash, so browsers may cache it for long."""
    digest = hashlib.sha256((STATIC_DIR / path).read_bytes()).hexdigest()[:10]
    return f"/static/{path}?v={digest}"


# Control characters (NUL, other C0 but tab and newlines, DEL, C1) never reach a page, whoever
# typed them: a refused question is shown back without them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def printable(value: Any) -> Any:
    if isinstance(value, Markup):  # a translation with its links: safe, and stays so
        return Markup(_CONTROL.sub("", value))
    return _CONTROL.sub("", value) if isinstance(value, str) else value


@pass_context
def _gettext(context: Context, message: str) -> str:
    return i18n.translations(context.get("lang") or i18n.SOURCE_LANGUAGE).gettext(message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    lang = context.get("lang") or i18n.SOURCE_LANGUAGE
    return i18n.translations(lang).ngettext(singular, plural, n)


@pass_context
def translate(context: Context, message: Any) -> str:
    """A message made in the code (an error's text): translated when the catalogue has it. Not
    marked safe, unlike `_()` on a literal, since it may carry a request's own words."""
    lang = context.get("lang") or i18n.SOURCE_LANGUAGE
    return i18n.translations(lang).gettext(str(message)) if message else ""


@pass_context
def number(context: Context, value: int) -> str:
    return format_decimal(value, locale=context.get("lang") or i18n.SOURCE_LANGUAGE)


@pass_context
def with_lang(context: Context, url: str) -> str:
    """An internal link that keeps a language the request named (before any #fragment); else
    the link is left alone and the next page chooses from the browser's languages again."""
    chosen = context.get("lang_param")
    if not chosen:
        return url
    path, hash_, fragment = url.partition("#")
    joiner = "&" if "?" in path else "?"
    return f"{path}{joiner}lang={chosen}{hash_}{fragment}"


templates.env.add_extension("jinja2.ext.i18n")
templates.env.policies["ext.i18n.trimmed"] = True  # {% trans %} blocks: whitespace folded
templates.env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
templates.env.filters.update(translate=translate, number=number, with_lang=with_lang)
templates.env.finalize = printable  # every {{ ... }}, before autoescaping
templates.env.globals["static"] = static
