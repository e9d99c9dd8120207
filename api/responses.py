"""Reviewed messages for every outcome that is not a corpus answer, and helplines by region.

The messages are written here in English and translated in the interface's message catalogue
(web/locales/<lang>/LC_MESSAGES/messages.po, api/i18n.py), like every other interface text.
Helpline numbers never appear in them: {emergency} and {crisis_line} are filled from
corpus/helplines.yaml by region. Example questions stay in api/data/responses.yaml: they are
not translations but questions each language's corpus answers.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from api import i18n
from api.errors import ConfigError
from api.i18n import N_
from api.schemas import Helpline
from corpus.load import HELPLINES_FILE

RESPONSES_FILE = Path(__file__).parent / "data" / "responses.yaml"

# Reviewed by: Content editor (policy check against shared/POLICY.md), 2026-11-25.
MESSAGES = {
    "disclaimer": N_(
        "This is general information from vetted public-health sources, not medical advice."),
    "personal_note": N_(
        "Your own situation matters here: please ask a clinician or pharmacist before you "
        "change, mix or stop any medicine."),
    # TRANSLATORS: keep {emergency} and {crisis_line}: the region's numbers go there.
    "crisis": N_(
        "This sounds like an emergency. Call {emergency} now. If someone may have overdosed on "
        "an opioid, give naloxone if you have it and stay with them. If you are thinking about "
        "ending your life, contact {crisis_line} right now: you are not alone."),
    "dosing_refusal": N_(
        "I can't suggest an amount, strength, schedule or taper plan. A safe dose depends on "
        "your body, your health and other medicines, and products like kratom vary a lot in "
        "strength. A clinician or pharmacist can answer this for you, and the helplines below "
        "are free and confidential."),
    "dosing_can_explain": N_("Here are things I can explain:"),
    "out_of_scope": N_(
        "I can only answer questions about opioid withdrawal, kratom, treatment and recovery, "
        "liver health as it relates to these, and where to get help. Try one of these "
        "questions:"),
    "no_answer": N_(
        "I don't have vetted information on that. These topics are the closest I cover, and "
        "the helpline below can talk it through with you."),
    # Shown above an English passage quoted for a question in another language.
    "source_in_english": N_(
        "This passage is in English: the reviewed source for it is in English only."),
}


def language(lang: str | None) -> str:
    """The language a reply's messages are given in: the question's when the catalogue has
    it, else English."""
    return i18n.supported(lang) or i18n.SOURCE_LANGUAGE


@lru_cache(maxsize=1)
def _suggestions() -> dict[str, list[str]]:
    data = yaml.safe_load(RESPONSES_FILE.read_text(encoding="utf-8"))["suggestions"]
    return {str(lang): list(questions) for lang, questions in data.items()}


def suggestions(lang: str = "en") -> list[str]:
    """Example questions offered with refusals and on the empty chat page."""
    found = _suggestions()
    return list(found.get(lang) or found["en"])


@lru_cache(maxsize=1)
def _helpline_file() -> tuple[str, dict[str, list[dict[str, Any]]]]:
    """(default region, verified entries by region) from the reviewed helplines file."""
    data = yaml.safe_load(HELPLINES_FILE.read_text(encoding="utf-8"))
    regions = data.get("regions") if isinstance(data, dict) else None
    default = str(data.get("default_region") or "").lower() if isinstance(data, dict) else ""
    if not isinstance(regions, dict) or default not in {str(k).lower() for k in regions}:
        raise ConfigError(f"{HELPLINES_FILE}: expected `default_region` and a mapping of "
                          "`regions` that includes it")
    # Entries not confirmed on an official page are never shown (the file's own rule).
    return default, {
        str(k).lower(): [e for e in v if isinstance(e, dict) and e.get("verified") is True]
        for k, v in regions.items()
        if isinstance(v, list)
    }


def _helplines() -> dict[str, list[dict[str, Any]]]:
    return _helpline_file()[1]


def default_region() -> str:
    """The helplines file's `default_region`: used when the deployment or partner sets none."""
    return _helpline_file()[0]


def helpline_problems() -> list[str]:
    """What would break a crisis reply: a region without a verified emergency number and a
    crisis line with a number. Checked at start-up and by `clearpath corpus check`, so the
    most important reply never fails while it is being rendered."""
    problems = []
    for region, entries in sorted(_helplines().items()):
        for kind in ("emergency", "crisis"):
            if not any(e.get("kind") == kind and e.get("number") for e in entries):
                problems.append(f"{HELPLINES_FILE}: region {region!r} has no verified {kind} "
                                "line with a number")
    return problems


def check_helplines() -> None:
    """`ConfigError` naming every region whose crisis reply could not be rendered."""
    if problems := helpline_problems():
        raise ConfigError("; ".join(problems))


def regions() -> list[str]:
    return sorted(_helplines())


def normalise_region(region: str | None) -> str:
    region = (region or "").strip().lower()
    return region if region in _helplines() else default_region()


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


def text(name: str, lang: str = "en", region: str = "") -> str:
    """The reviewed message `name` in `lang` (English when not translated)."""
    template = i18n.gettext(language(lang), MESSAGES[name])
    if "{" not in template:
        return template
    emergency = helplines(region, ("emergency",))
    crisis = [h for h in helplines(region, ("crisis",)) if h.number]
    if not emergency or not emergency[0].number or not crisis:
        raise ConfigError(f"{HELPLINES_FILE}: region {region!r} needs an emergency and a crisis "
                          "line with numbers")
    return template.format(emergency=emergency[0].number,
                           crisis_line=f"{crisis[0].name} ({crisis[0].number})")
