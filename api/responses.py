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
# Which helpline kinds each outcome shows, in display order.
KINDS_FOR: dict[str, tuple[str, ...]] = {
    "crisis": ("emergency", "crisis", "poison"),
    "dosing_refusal": ("drug_helpline", "treatment_finder", "partner"),
    "no_answer": ("drug_helpline", "partner"),
    "answer": (),
    "out_of_scope": (),
}


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


def suggestions(lang: str = "en") -> list[str]:
    data = yaml.safe_load(RESPONSES_FILE.read_text(encoding="utf-8"))["suggestions"]
    return list(data.get(lang) or data["en"])


@lru_cache(maxsize=1)
def _helplines() -> dict[str, list[dict[str, Any]]]:
    data = yaml.safe_load(HELPLINES_FILE.read_text(encoding="utf-8"))
    regions = data.get("regions", data) if isinstance(data, dict) else None
    if not isinstance(regions, dict) or DEFAULT_REGION not in regions:
        raise ConfigError(f"{HELPLINES_FILE}: expected a mapping of regions including 'us'")
    return {str(k).lower(): list(v) for k, v in regions.items() if isinstance(v, list)}


def regions() -> list[str]:
    return sorted(_helplines())


def normalise_region(region: str | None) -> str:
    region = (region or DEFAULT_REGION).strip().lower()
    return region if region in _helplines() else DEFAULT_REGION


def helplines(region: str, kinds: tuple[str, ...]) -> list[Helpline]:
    entries = _helplines()[normalise_region(region)]
    chosen = [e for kind in kinds for e in entries if e.get("kind") == kind]
    return [
        Helpline(**{k: (str(v) if v is not None else None) for k, v in e.items()
                    if k in Helpline.model_fields})
        for e in chosen
    ]


def for_outcome(kind: str, region: str) -> list[Helpline]:
    return helplines(region, KINDS_FOR.get(kind, ()))


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
