"""Jinja2 templates (autoescaped) with the globals every page uses."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import Any

from fastapi.templating import Jinja2Templates

from web import STATIC_DIR, TEMPLATES_DIR

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))


@lru_cache(maxsize=64)
def static(path: str) -> str:
    """URL of a static file with a content hash, so browsers may cache it for long."""
    digest = hashlib.sha256((STATIC_DIR / path).read_bytes()).hexdigest()[:10]
    return f"/static/{path}?v={digest}"


# Control characters (NUL, other C0 but tab and newlines, DEL, C1) never reach a page, whoever
# typed them: a refused question is shown back without them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def printable(value: Any) -> Any:
    return _CONTROL.sub("", value) if isinstance(value, str) else value


templates.env.finalize = printable  # every {{ ... }}, before autoescaping
templates.env.globals["static"] = static
