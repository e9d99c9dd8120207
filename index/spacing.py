"""Letter-spaced text joined back into words.

"h e ' s  n o t  b r e a t h i n g" is how some people type (and how some try to get past a
filter): one space between letters, two between words. Every reader of a question (the guard's
rules and model, the language check, retrieval) sees "he's not breathing" instead, so a crisis
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
