"""Reviewed message templates and helplines by region, loaded once from data files."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from api.errors import ConfigError
from api.schemas import Helpline
from corpus.load import HELPLINES_FILE

RESPONSES_FILE = Path(__file__).parent / "data" / "responses.yaml"
DEFAULT_REGION = "us"


@lru_cache(maxsize=1)
def _templates() -> dict[str, dict[str, str]]:
    data = yaml.safe_load(RESPONSES_FILE.read_text(encoding="utf-8"))
    if "en" not in data:
        raise ConfigError(f"{RESPONSES_FILE}: no English templates")
    return {
        lang: {k: " ".join(str(v).split()) for k, v in t.items()}
        for lang, t in data.items()
        if lang != "suggestions"
    }


@lru_cache(maxsize=1)
def _suggestions() -> dict[str, list[str]]:
    data = yaml.safe_load(RESPONSES_FILE.read_text(encoding="utf-8"))["suggestions"]
    return {str(lang): list(questions) for lang, questions in data.items()}


def suggestions(lang: str = "en") -> list[str]:
    """Example questions offered with refusals and on the empty chat page."""
    found = _suggestions()
    return list(found.get(lang) or found["en"])


@lru_cache(maxsize=1)
def _helplines() -> dict[str, list[dict[str, Any]]]:
    data = yaml.safe_load(HELPLINES_FILE.read_text(encoding="utf-8"))
    regions = data.get("regions", data) if isinstance(data, dict) else None
    if not isinstance(regions, dict) or DEFAULT_REGION not in regions:
        raise ConfigError(f"{HELPLINES_FILE}: expected a mapping of regions including 'us'")
    # Entries not confirmed on an official page are never shown (the file's own rule).
    return {
        str(k).lower(): [e for e in v if isinstance(e, dict) and e.get("verified") is True]
        for k, v in regions.items()
        if isinstance(v, list)
    }


def regions() -> list[str]:
    return sorted(_helplines())


def normalise_region(region: str | None) -> str:
    region = (region or DEFAULT_REGION).strip().lower()
    return region if region in _helplines() else DEFAULT_REGION


def _model(entry: dict[str, Any]) -> Helpline:
    return Helpline(**{k: (str(v) if v is not None else None) for k, v in entry.items()
                       if k in Helpline.model_fields})


def helplines(region: str, kinds: tuple[str, ...]) -> list[Helpline]:
    """The region's lines of these kinds, in the order of the kinds."""
    entries = _helplines()[normalise_region(region)]
    return [_model(e) for kind in kinds for e in entries if e.get("kind") == kind]


def for_outcome(kind: str, region: str) -> list[Helpline]:
    """The region's lines whose `for` list names this outcome, in file order."""
    entries = _helplines()[normalise_region(region)]
    return [_model(e) for e in entries if kind in (e.get("for") or [])]


def text(name: str, lang: str = "en", region: str = DEFAULT_REGION) -> str:
    templates = _templates()
    template = templates.get(lang, templates["en"]).get(name) or templates["en"][name]
    if "{" not in template:
        return template
    emergency = helplines(region, ("emergency",))
    crisis = [h for h in helplines(region, ("crisis",)) if h.number]
    if not emergency or not emergency[0].number or not crisis:
        raise ConfigError(f"{HELPLINES_FILE}: region {region!r} needs an emergency and a crisis "
                          "line with numbers")
    return template.format(emergency=emergency[0].number,
                           crisis_line=f"{crisis[0].name} ({crisis[0].number})")
