"""Unusual writing turned back into plain words: letter-spaced text and leetspeak.

"h e ' s  n o t  b r e a t h i n g" (one space between letters, two between words) and
"h3 0d'd 0n f3nt & w0nt w4k3 up" are how some people type, and how some try to get past a
filter. Every reader of a question (the guard's rules and model, the language check,
retrieval) sees "he's not breathing" and "he od'd on fent & wont wake up" instead, so a crisis
written this way gets the crisis reply and an English one is not taken for Spanish.
"""

from __future__ import annotations

import re

_WORD_GAP = re.compile(r"\s{2,}")
# At least this many one-character pieces, and this share of all pieces, make a text
# letter-spaced; ordinary text ("is a 1 g pill ok") has a few, never most.
MIN_LETTERS = 6
MIN_SHARE = 0.7


def letter_spaced(text: str) -> bool:
    pieces = text.split()
    single = sum(len(p) == 1 for p in pieces)
    return single >= MIN_LETTERS and single >= MIN_SHARE * len(pieces) and bool(
        _WORD_GAP.search(text.strip()))


def unspaced(text: str) -> str:
    """The text with its letter-spaced words joined, words kept apart where two or more spaces
    part them; any other text unchanged. Without the wider gaps between words the words cannot
    be told apart, so such a text is left as it is."""
    if not letter_spaced(text):
        return text
    return " ".join(re.sub(r"\s", "", word) for word in _WORD_GAP.split(text.strip()))


# Digits that stand for letters inside a word ("w4k3", "n4rc4n", "0d'd"). A text is leetspeak
# when at least MIN_LEET_WORDS words, and LEET_SHARE of all, have such a digit between two
# letters (a lab value such as "HbA1c" is not one); then every word
# that reads as letters once its digits are swapped is changed, but an amount ("10mg", "5g",
# "2x") keeps its digits.
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"})
_WORD = re.compile(r"[\w']+")
_INSIDE = re.compile(r"[a-z][013457]+[a-z]", re.IGNORECASE)
_AMOUNT = re.compile(r"\d+(?:[.,]\d+)?\s*(?:mg|g|gr|ml|mcg|x|oz|lbs?|kg|pills?|tabs?|caps?|h|hrs?|"
                     r"am|pm|th|st|nd|rd|s)?", re.IGNORECASE)
_LETTERS = re.compile(r"[a-z']+", re.IGNORECASE)
MIN_LEET_WORDS = 2
LEET_SHARE = 0.15
_NAMES = frozenset({"a1c", "hba1c", "b12", "b6", "d3", "k2", "mp3", "mp4", "4x4", "3d", "2fa",
                    "covid19", "wd40", "t4", "h1n1", "co2", "o2"})


def unleet(text: str) -> str:
    """The text with leetspeak words spelled in letters, or unchanged when it is not
    leetspeak (see MIN_LEET_WORDS)."""
    words = _WORD.findall(text)
    leet = sum(bool(_INSIDE.search(w)) and w.lower() not in _NAMES for w in words)
    if leet < MIN_LEET_WORDS or leet < LEET_SHARE * len(words):
        return text

    def spelled(m: re.Match[str]) -> str:
        word = m.group()
        swapped = word.translate(_LEET)
        if (swapped == word or word.lower() in _NAMES or _AMOUNT.fullmatch(word)
                or not _LETTERS.fullmatch(swapped)):
            return word
        return swapped

    return _WORD.sub(spelled, text)


def plain_writing(text: str) -> str:
    """`unspaced`, then `unleet`: what every reader of a question reads."""
    return unleet(unspaced(text))
