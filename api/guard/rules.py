"""A rule is reviewed data: the patterns that fire it, the conditions that silence it, and the
messages it must and must not fire on (tests/api/test_guard_rules.py checks both).

Patterns read the guard's normalised text (api/guard/text.py). They are written so that no
message up to the length limit takes more than a few milliseconds: unbounded repeats are
possessive (`\\d++`, `[\\w-]++`) and start only where their run starts, and the gaps between
words are bounded (`[^.?!]{0,60}`). tests/api/test_guard_speed.py holds them to that with
adversarial strings.
"""

from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import ahocorasick

from api.guard.text import LONG, sentences

Condition = Callable[[str], bool]


def alternatives(pattern: str) -> list[str]:
    """The pattern split at its top-level `|` (outside groups and character classes)."""
    parts, depth, in_class, start, i = [], 0, False, 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]" or i == start
        elif c == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "]" or pattern[i + 1:i + 3] == "^]":
                i += 1 + (pattern[i + 1] == "^")
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    return [*parts, pattern[start:]]


def _needs(items: sre_parse.SubPattern | list) -> frozenset[str] | None:
    """Literal strings of which every match of `items` contains at least one, or None."""
    useful = _required(items)
    return max(useful, key=lambda f: (min(map(len, f)), -len(f))) if useful else None


def _required(items: sre_parse.SubPattern | list) -> list[frozenset[str]]:
    """Sets of literal strings (of two characters or more) such that every match of `items`
    contains one string of each set."""
    found: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            run.append(chr(av))
            continue
        if run:
            found.append(frozenset(["".join(run)]))
            run = []
        if op is sre.SUBPATTERN:
            found += _required(av[3])
        elif op is sre.ATOMIC_GROUP:
            found += _required(av)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            found += _required(av[2])
        elif op is sre.BRANCH:
            best = [_needs(branch) for branch in av[1]]
            if all(b is not None for b in best):
                found.append(frozenset().union(*best))  # type: ignore[arg-type]
    if run:
        found.append(frozenset(["".join(run)]))
    return [f for f in found if min(map(len, f)) >= 2]


class _Literals:
    """Every literal string any alternative needs, found in a text in one Aho-Corasick pass."""

    def __init__(self) -> None:
        self.known: set[str] = set()
        self._automaton: ahocorasick.Automaton | None = None

    def add(self, strings: Iterable[str]) -> None:
        new = set(strings) - self.known
        if new:
            self.known |= new
            self._automaton = None
            present.cache_clear()

    def find(self, text: str) -> frozenset[str]:
        if self._automaton is None:
            automaton = ahocorasick.Automaton()
            for literal in self.known:
                automaton.add_word(literal, literal)
            automaton.make_automaton()
            self._automaton = automaton
        return frozenset(found for _end, found in self._automaton.iter(text))


_LITERALS = _Literals()


@lru_cache(maxsize=512)
def present(text: str) -> frozenset[str]:
    """The needed literal strings that occur in `text` (one pass, shared by every rule)."""
    return _LITERALS.find(text)


@dataclass(frozen=True)
class _Alternative:
    """One top-level alternative of a rule's pattern, searched only where the text holds, for
    each set in `needs`, one of the literal strings every match must contain."""

    needs: tuple[frozenset[str], ...]
    regex: re.Pattern[str]

    @classmethod
    def compile(cls, source: str) -> _Alternative:
        needs = tuple(_required(sre_parse.parse(source)))
        _LITERALS.add(literal for needed in needs for literal in needed)
        return cls(needs, re.compile(source))

    def search(self, text: str) -> bool:
        if self.needs:
            found = present(text)
            if not all(needed & found for needed in self.needs):
                return False
        return self.regex.search(text) is not None


def matches(pattern: str) -> Condition:
    """True where the pattern is found (behind the literal prefilter, as a rule's patterns)."""
    return Pattern(pattern).search


def matches_without(pattern: str, but_not: str) -> Condition:
    """True where `pattern` is found and `but_not` is not ("a unit question, no drug named")."""
    found, vetoed = Pattern(pattern), Pattern(but_not)
    return lambda text: found.search(text) and not vetoed.search(text)


class Pattern:
    """A regular expression searched alternative by alternative, each behind its literal
    prefilter: the same answers as `re.search`, much faster on long text that lacks the
    words."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._alternatives = tuple(_Alternative.compile(a) for a in alternatives(source))

    def search(self, text: str) -> bool:
        return any(a.search(text) for a in self._alternatives)


@dataclass(frozen=True)
class Rule:
    name: str
    any_of: tuple[str, ...]  # regular expressions; the rule fires if one is found
    unless: tuple[Condition, ...] = ()  # ... and none of these holds for the message
    examples: tuple[str, ...] = ()  # messages it must fire on
    near_misses: tuple[str, ...] = ()  # messages it must not fire on
    # Read on the whole of a long message, never two sentences at a time: what the message as
    # a whole is ("a relative's stay in hospital retold, no drug taken now").
    unless_story: tuple[Condition, ...] = ()
    # In a long message, the pattern counts only in a sentence for which this holds (a dose
    # rule: a sentence that asks, not a strength in a pasted letter or a prescription list).
    where: Condition | None = None
    _patterns: tuple[Pattern, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_patterns", tuple(Pattern(p) for p in self.any_of))

    def fires(self, texts: Sequence[str]) -> bool:
        return any(self._fires_in(t) for t in texts)

    def _found(self, text: str) -> bool:
        return any(p.search(text) for p in self._patterns)

    def _fires_in(self, text: str) -> bool:
        if not self._found(text):
            return False
        long = len(text) > LONG
        if long and any(condition(text) for condition in self.unless_story):
            return False
        parts = windows(text) if long else [text]
        if long and self.where is not None:
            parts = [s for s in asking_sentences(text, self.where) if self._found(s)]
            if not parts:
                return False
        if not any(condition(text) for condition in self.unless):
            return True
        if not long:
            return False
        # A long message: an exception holds somewhere in it, but a crisis told at the end of a
        # long story about something else must not be silenced by a word of that story, so the
        # exceptions are read where the pattern is, two sentences at a time.
        return any(self._found(w) and not any(condition(w) for condition in self.unless)
                   for w in parts)


def windows(text: str) -> list[str]:
    """Each sentence of `text`, then each pair of neighbouring sentences: a crisis told in the
    last sentence is read on its own too, so a question in the sentence before it ("can it
    cause liver problems?") cannot silence it."""
    parts = sentences(text)
    if len(parts) < 2:
        return parts
    return parts + [f"{a} {b}" for a, b in zip(parts, parts[1:], strict=False)]


def asking_sentences(text: str, asks: Condition) -> list[str]:
    """The sentences of `text` for which `asks` holds, each with the next one when that one is
    a short question after it ("I'm on 60 mg. Is that a lot?")."""
    parts = sentences(text)
    found = []
    for i, sentence in enumerate(parts):
        after = parts[i + 1] if i + 1 < len(parts) else ""
        if asks(sentence):
            found.append(sentence)
        elif after and len(after) <= 80 and asks(after):
            found.append(f"{sentence} {after}")
    return found


def first_hit(rules: Iterable[Rule], texts: Sequence[str]) -> str | None:
    """The name of the first rule that fires on any of the texts, or None."""
    return next((rule.name for rule in rules if rule.fires(texts)), None)
