"""Every guard rule fires on the messages it names as examples and on none of its near misses;
rule names are unique, so a verdict's reason (`rule:<name>`) names one rule."""

from __future__ import annotations

import pytest

from api.guard import crisis, dosing, text
from api.guard.rules import Rule, windows

RULES: tuple[Rule, ...] = crisis.RULES + dosing.RULES


def texts(message: str) -> tuple[str, ...]:
    """What the guard gives its rules: the normalised text, and the same without accents."""
    norm, plain, _ = text.read(message)
    return (norm,) if plain == norm else (norm, plain)


def test_rule_names_are_unique() -> None:
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_every_rule_names_examples_and_near_misses(rule: Rule) -> None:
    assert rule.examples and rule.near_misses


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_rule_fires_on_its_examples(rule: Rule) -> None:
    silent = [m for m in rule.examples if not rule.fires(texts(m))]
    assert not silent, f"{rule.name} does not fire on {silent}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_rule_does_not_fire_on_its_near_misses(rule: Rule) -> None:
    fired = [m for m in rule.near_misses if rule.fires(texts(m))]
    assert not fired, f"{rule.name} fires on {fired}"


def test_an_exception_in_a_long_story_does_not_silence_a_crisis_told_at_its_end() -> None:
    story = ("My mother had a stroke years ago and I still read a lot about prevention and risk "
             "factors, because her doctor said the first year matters most. She is doing well "
             "now, and I have questions about her blood pressure tablets and her diet. Her GP "
             "changed one of them in the spring and she has had a dry cough since then, which "
             "keeps her awake. We also wonder whether she should keep driving at her age. ")
    ending = "Sorry, my son just swallowed two of my pills from the open bottle."
    assert len(story) + len(ending) > text.LONG
    rule = next(r for r in crisis.RULES if r.name == "ingestion_child_or_pet")
    assert any(condition(story) for condition in rule.unless)  # "years ago", "prevention"
    assert rule.fires(texts(story + ending))
    # Told as the past, in the same sentences, the exception still holds.
    assert not rule.fires(texts(story + "Years ago my son swallowed one of her pills."))


def test_windows_are_sentences_then_pairs_of_neighbouring_sentences() -> None:
    assert windows("One. Two! Three? Four") == ("One.", "Two!", "Three?", "Four", "One. Two!",
                                                "Two! Three?", "Three? Four")
    assert windows("just one sentence") == ("just one sentence",)


def test_a_leading_group_of_wordings_is_split_into_alternatives() -> None:
    from api.guard.rules import Pattern, distributed

    assert distributed(r"\b(?:kill myself|end (?:it|things))\b(?! no)") == [
        r"\bkill myself\b(?! no)", r"\bend (?:it|things)\b(?! no)"]
    assert distributed(r"\b(?:a|b)?c") == [r"\b(?:a|b)?c"]  # an optional group stays whole
    pattern = Pattern(r"\b(?:kill myself|end (?:it|things))\b(?! now)|\bgoodbye\b")
    for message, found in (("i want to end it", True), ("end it now", False),
                           ("goodbye all", True), ("weekend things", False)):
        assert pattern.search(message) is found, message


def test_a_past_story_is_not_a_crisis_but_one_happening_at_its_end_is() -> None:
    """`crisis.past_story`: a long message telling an emergency of the past and ending with a
    question is a story; the same story with an emergency at its end is not."""
    from api import guard

    story = ("Last October a friend and I got caught in sleet on a long hike. By the time we "
             "reached the car she was shivering hard, slurring her words, and her lips were "
             "blue. We warmed her up with the heater and dry clothes and she was fine an hour "
             "later, but it scared both of us. We are planning another trip in the mountains "
             "next month and want to be better prepared this time. What gear should we carry, "
             "and how do you tell mild hypothermia from the dangerous kind?")
    assert len(story) > text.LONG and guard.read(story).crisis_rule is None
    for now in ("About ten minutes ago she went quiet and her lips went blue and I can't get "
                "her to respond. Should I call someone?",
                "What gear should we carry? She is not breathing now."):
        message = f"{story} {now}"
        assert guard.read(message).crisis_rule is not None, now
