"""Misspelt words in a question, corrected to the corpus's own words: no model runs.

People type "withdrawl", "xannax", "symptons", "acually". A word of the question that no
passage, heading or `Q:` line uses, and that is not a real English word (the embedding
model's vocabulary, `english_words`: "dogs" or "meth" are words, not typos of "does" or
"myth"), gets the corpus word it most likely stands for added after
it, for retrieval and the answerability signals only (like the synonym table,
index/scope.py): "xannax" -> "xannax xanax". A candidate is a corpus word one edit away (a
letter added, dropped, changed or two swapped; two edits for words of 8 letters or more)
that starts with the same letter; the most frequent one wins. A word whose stem a corpus
word shares ("relapsed", "relapse") is not misspelt: BM25 reads them as one term. Short
words (under 5 letters) and numbers are left alone: too many abbreviations lie one edit
from a corpus word.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import Stemmer

_STEMMER = Stemmer.Stemmer("english")  # BM25's stemmer (index/lexical.py)
stem = _STEMMER.stemWord
_WORD = re.compile(r"[a-z]+")
MIN_LENGTH = 5  # 4-letter abbreviations (nicu, adhd, resp) are too often one edit from a word
TWO_EDITS_FROM = 8  # words this long may be two edits from their corpus word


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def distance(a: str, b: str) -> int:
    """Optimal string alignment distance (Damerau-Levenshtein without repeated edits)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[-1]


def english_words() -> frozenset[str]:
    """Whole words of the embedding model's WordPiece vocabulary (about 20,000 common English
    words): a word there is real, not a typo, even when the corpus never uses it."""
    from index.embed_onnx import model_dir

    lines = (model_dir() / "vocab.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w for w in lines if w.isalpha() and w.islower())


class Speller:
    def __init__(self, texts: Iterable[str], real: frozenset[str] = frozenset()) -> None:
        self.real = real
        self.counts = Counter(w for t in texts for w in _WORD.findall(t.lower()))
        self.stems = frozenset(stem(w) for w in self.counts)
        # Each corpus word under itself and its one-letter deletions: a word one or two
        # edits away shares one of these keys (symmetric delete lookup).
        self._keys: dict[str, set[str]] = {}
        for word in self.counts:
            if len(word) >= MIN_LENGTH - 1:
                for key in {word} | _deletes(word):
                    self._keys.setdefault(key, set()).add(word)
        self.correction = lru_cache(maxsize=4096)(self._correction)  # type: ignore[method-assign]

    def correction(self, word: str) -> str | None:
        """The corpus word a misspelt `word` stands for, or None (known, short, or no
        close corpus word). Replaced per instance by a bounded cache of `_correction`."""
        return self._correction(word)

    def _correction(self, word: str) -> str | None:
        word = word.lower()
        if (len(word) < MIN_LENGTH or word in self.counts or word in self.real
                or stem(word) in self.stems):  # known, or a known word inflected
            return None
        most = 2 if len(word) >= TWO_EDITS_FROM else 1
        near = {c for key in {word} | _deletes(word) for c in self._keys.get(key, ())}
        found = [c for c in near if c[0] == word[0] and distance(word, c) <= most]
        return max(found, key=lambda c: (self.counts[c], c), default=None)

    def expand(self, question: str) -> str:
        """The question with the corpus word after each misspelt word."""
        def add(match: re.Match[str]) -> str:
            fixed = self.correction(match.group(0))
            return match.group(0) if fixed is None else f"{match.group(0)} {fixed}"
        return re.sub(r"[A-Za-z]+", add, question)
