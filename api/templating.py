"""Jinja2 templates (autoescaped) with the globals every page uses."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from fastapi.templating import Jinja2Templates

from web import STATIC_DIR, TEMPLATES_DIR

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))


@lru_cache(maxsize=64)
def static(path: str) -> str:
    """URL of a static file with a content hash, so browsers may cache it for long."""
    digest = hashlib.sha256((STATIC_DIR / path).read_bytes()).hexdigest()[:10]
    return f"/static/{path}?v={digest}"


templates.env.globals["static"] = static
