"""api/responses.py: reviewed messages and helplines by region, from the real data files."""

from __future__ import annotations

import yaml

from api import responses
from corpus.load import HELPLINES_FILE


def test_unknown_or_missing_regions_fall_back_to_us() -> None:
    assert responses.normalise_region(None) == "us"
    assert responses.normalise_region(" UK ") == "uk"
    assert responses.normalise_region("zz") == "us"
    assert {"us", "uk", "ca", "au", "ie", "nz"} <= set(responses.regions())


def test_only_verified_lines_are_ever_shown() -> None:
    raw = yaml.safe_load(HELPLINES_FILE.read_text())["regions"]
    unverified = {e["id"] for entries in raw.values() for e in entries
                  if e.get("verified") is not True}
    shown = {h.id for region in responses.regions()
             for kind in ("crisis", "dosing_refusal", "no_answer", "answer", "out_of_scope")
             for h in responses.for_outcome(kind, region)}
    assert shown and not shown & unverified


def test_outcomes_get_the_lines_the_file_assigns_them() -> None:
    crisis = responses.for_outcome("crisis", "us")
    assert crisis[0].kind == "emergency" and crisis[0].number == "911"
    no_answer = responses.for_outcome("no_answer", "us")
    assert any(h.tel == "18006624357" for h in no_answer)
    assert responses.for_outcome("no_answer", "uk") != no_answer


def test_messages_carry_the_regions_own_numbers() -> None:
    us, uk = responses.text("crisis", "en", "us"), responses.text("crisis", "en", "uk")
    assert "911" in us and "911" not in uk and "999" in uk
    assert "{" not in us


def test_other_languages_fall_back_to_english_per_message() -> None:
    assert responses.text("disclaimer", "xx") == responses.text("disclaimer", "en")
    assert responses.suggestions("xx") == responses.suggestions("en")
    assert responses.suggestions("en")
