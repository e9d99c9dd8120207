"""A rule is reviewed data: the patterns that fire it, the conditions that silence it, and the
messages it must and must not fire on (tests/api/test_guard_rules.py checks both).

Patterns read the guard's normalised text (api/guard/text.py). They are written so that no
message up to the length limit takes more than a few milliseconds: unbounded repeats are
possessive (`\\d++`, `[\\w-]++`) and start only where their run starts, and the gaps between
words are bounded (`[^.?!]{0,60}`). tests/api/test_guard_speed.py holds them to that with
adversarial strings.
"""

from __future__ import annotations

import operator
import re
import re._constants as sre
import re._parser as sre_parse
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import ahocorasick
import numpy as np

from api.guard.text import LONG, sentences

Condition = Callable[[str], bool]


def _structure(pattern: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """(index, character, group depth after it) of each character of `pattern` from `start`
    that is neither escaped nor inside a character class: where `|` and groups are."""
    depth, in_class, i = 0, False, start
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "]" or pattern[i + 1:i + 3] == "^]":
                i += 1 + (pattern[i + 1] == "^")
        else:
            depth += (c == "(") - (c == ")")
            yield i, c, depth
        i += 1


def alternatives(pattern: str) -> list[str]:
    """The pattern split at its top-level `|` (outside groups and character classes)."""
    parts, start = [], 0
    for i, c, depth in _structure(pattern):
        if c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    return [*parts, pattern[start:]]


def _group_end(pattern: str, start: int) -> int | None:
    """The index of the `)` closing the group opened at `pattern[start]`, or None."""
    return next((i for i, c, depth in _structure(pattern, start) if c == ")" and depth == 0),
                None)


def distributed(pattern: str) -> list[str]:
    """`\\b(?:a|b|c)rest` as `\\barest`, `\\bbrest`, `\\bcrest` (the same matches): each then has
    its own literal prefilter, and a long list of wordings ("kill myself|end it all|...") is no
    longer tried, as one regex, at every word of every message."""
    if not pattern.startswith("\\b(?:") or re.search(r"\\[1-9]|\(\?P", pattern):
        return [pattern]  # (a group number or name would not survive the split)
    end = _group_end(pattern, 2)
    if end is None or pattern[end + 1:end + 2] in ("?", "*", "+", "{"):
        return [pattern]
    rest = pattern[end + 1:]
    return [f"\\b{branch}{rest}" for branch in alternatives(pattern[5:end])]


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
    """Every literal string any alternative needs, found in a text in one Aho-Corasick pass,
    and from those, which alternatives may match: the ones with, for each of their sets of
    needed strings, one string present. A message is checked against hundreds of
    alternatives; this turns that into one pass and a few set operations."""

    def __init__(self) -> None:
        self.known: set[str] = set()
        self._automaton: ahocorasick.Automaton | None = None
        self.regexes: list[re.Pattern[str]] = []
        self.need_counts: list[int] = []
        self.postings: dict[str, list[int]] = {}  # literal -> alternative * 64 + need index
        self._arrays: tuple[list[np.ndarray], np.ndarray] | None = None

    def register(self, needs: tuple[frozenset[str], ...], regex: re.Pattern[str]) -> int:
        """A new alternative's number."""
        number = len(self.regexes)
        if len(needs) >= 64:
            raise ValueError(f"{regex.pattern!r}: too many needed strings")
        self.regexes.append(regex)
        self.need_counts.append(len(needs))
        for i, needed in enumerate(needs):
            for literal in needed:
                self.postings.setdefault(literal, []).append(number * 64 + i)
        new = {literal for needed in needs for literal in needed} - self.known
        if new:
            self.known |= new
            self._automaton = None
        self._arrays = None
        open_alternatives.cache_clear()
        return number

    def _built(self) -> tuple[ahocorasick.Automaton, list[np.ndarray], np.ndarray]:
        """The automaton (each literal's value is its number), each literal's postings, and
        each alternative's count of needed sets; built at first use after a change."""
        if self._automaton is None or self._arrays is None:
            literals = sorted(self.known)
            automaton = ahocorasick.Automaton()
            for number, literal in enumerate(literals):
                automaton.add_word(literal, number)
            automaton.make_automaton()
            self._automaton = automaton
            self._arrays = ([np.array(self.postings[literal], np.int64) for literal in literals],
                            np.array(self.need_counts, np.int64))
        return self._automaton, *self._arrays

    def open(self, text: str) -> frozenset[int]:
        automaton, postings, need = self._built()
        found = set(map(_VALUE, automaton.iter(text)))
        if not found:
            return frozenset()
        hits = np.unique(np.concatenate([postings[literal] for literal in found]))
        counts = np.bincount(hits >> 6, minlength=len(need))
        return frozenset(np.flatnonzero(counts == need).tolist())


_VALUE = operator.itemgetter(1)
_LITERALS = _Literals()


@lru_cache(maxsize=512)
def open_alternatives(text: str) -> frozenset[int]:
    """The alternatives (by number) whose needed strings all occur in `text` (one pass, shared
    by every rule)."""
    return _LITERALS.open(text)


def _alternative(source: str) -> tuple[int | None, re.Pattern[str]]:
    """(its number, or None if it needs no literal string, and its regex)."""
    needs = tuple(_required(sre_parse.parse(source)))
    regex = re.compile(source)
    return (_LITERALS.register(needs, regex) if needs else None), regex


_CACHES: list[Any] = []


def remembered(condition: Condition) -> Condition:
    """`condition` with its last answers kept: the rules of one table share their exceptions
    (every dose rule has `dosing.UNLESS`), and a long message is read sentence by sentence, so
    the same condition is asked of the same text many times in one message."""
    cached = lru_cache(maxsize=256)(condition)
    _CACHES.append(cached)
    return cached


def forget() -> None:
    """Empty every cache of the rules, so the next message is read from scratch (the speed
    test measures a message no one has sent before)."""
    for cached in (*_CACHES, open_alternatives, windows, asking_sentences):
        cached.cache_clear()


def matches(pattern: str) -> Condition:
    """True where the pattern is found (behind the literal prefilter, as a rule's patterns)."""
    return remembered(Pattern(pattern).search)


def matches_without(pattern: str, but_not: str) -> Condition:
    """True where `pattern` is found and `but_not` is not ("a unit question, no drug named")."""
    found, vetoed = Pattern(pattern), Pattern(but_not)
    return remembered(lambda text: found.search(text) and not vetoed.search(text))


class Pattern:
    """A regular expression searched alternative by alternative, each only where the literal
    strings it needs occur: the same answers as `re.search`, much faster on long text that
    lacks the words."""

    def __init__(self, source: str) -> None:
        self.source = source
        compiled = [_alternative(b) for a in alternatives(source) for b in distributed(a)]
        self._numbers = frozenset(n for n, _ in compiled if n is not None)
        self._free = tuple(regex for n, regex in compiled if n is None)

    def search(self, text: str) -> bool:
        regexes = _LITERALS.regexes
        return (any(regexes[n].search(text) for n in self._numbers & open_alternatives(text))
                or any(regex.search(text) for regex in self._free))


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
        parts: Sequence[str] = windows(text) if long else (text,)
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


@lru_cache(maxsize=256)
def windows(text: str) -> tuple[str, ...]:
    """Each sentence of `text`, then each pair of neighbouring sentences: a crisis told in the
    last sentence is read on its own too, so a question in the sentence before it ("can it
    cause liver problems?") cannot silence it."""
    parts = sentences(text)
    if len(parts) < 2:
        return tuple(parts)
    return (*parts, *(f"{a} {b}" for a, b in zip(parts, parts[1:], strict=False)))


@lru_cache(maxsize=256)
def asking_sentences(text: str, asks: Condition) -> tuple[str, ...]:
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
    return tuple(found)


def first_hit(rules: Iterable[Rule], texts: Sequence[str]) -> str | None:
    """The name of the first rule that fires on any of the texts, or None."""
    return next((rule.name for rule in rules if rule.fires(texts)), None)
