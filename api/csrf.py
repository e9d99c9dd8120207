"""Cross-site form posts: refused when the browser says they come from another site.

Browsers send `Sec-Fetch-Site` with every request (`same-origin` from Clearpath's own pages and
its widget frame, which Clearpath serves) and `Origin` with every POST. A form post is refused
when `Sec-Fetch-Site` names another site, or, from a browser without it, when `Origin` names
another host than the request's `Host`. A request with neither (curl, a server) is let through:
these headers stop other sites' pages from posting with a visitor's browser, not scripts.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Request

from api.errors import Forbidden
from api.i18n import N_

ALLOWED_SITES = ("same-origin", "none")  # none: the user's own action (typed, bookmarked)


def cross_site(request: Request) -> bool:
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site.strip().lower() not in ALLOWED_SITES
    origin = request.headers.get("origin")
    if origin is None:
        return False
    host = urlsplit(origin.strip()).netloc.lower()
    return not host or host != request.headers.get("host", "").strip().lower()


def same_origin_only(request: Request) -> None:
    """`Forbidden` for a form posted from another site's page."""
    if cross_site(request):
        raise Forbidden(N_("This form can only be sent from Clearpath's own pages. Please open "
                           "the chat again and retry."), code="cross_site")
