"""BM25 over passages (bm25s, English stemming and stop words)."""

from __future__ import annotations

import re
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN

_STEMMER = Stemmer.Stemmer("english")
# bm25s.tokenize's own defaults, so query terms match the indexed ones (tests/index/test_search.py
# checks this against bm25s.tokenize).
_SPLIT = re.compile(r"(?u)\b\w\w+\b")
_STOP = frozenset(STOPWORDS_EN)


def query_tokens(query: str) -> list[str]:
    """The query as bm25s tokenizes it (lower case, split, stop words out, stemmed), without
    bm25s.tokenize's three progress bars (one per stage, built even when disabled)."""
    return _STEMMER.stemWords([t for t in _SPLIT.findall(query.lower()) if t not in _STOP])


def _tokens(texts: list[str]) -> bm25s.tokenization.Tokenized:
    return bm25s.tokenize(texts, stopwords="en", stemmer=_STEMMER, show_progress=False)


class Lexical:
    def __init__(self, retriever: bm25s.BM25, size: int) -> None:
        self._retriever = retriever
        self.size = size

    @classmethod
    def build(cls, texts: list[str]) -> Lexical:
        retriever = bm25s.BM25()
        retriever.index(_tokens(texts), show_progress=False)
        return cls(retriever, len(texts))

    def save(self, folder: Path) -> None:
        self._retriever.save(str(folder))

    @classmethod
    def load(cls, folder: Path, size: int) -> Lexical:
        return cls(bm25s.BM25.load(str(folder)), size)

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        """(row, score) pairs, best first, only rows with a positive score."""
        tokens = query_tokens(query)
        if not tokens:
            return []
        scores = self._retriever.get_scores(tokens)
        k = min(k, self.size)
        top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        top = top[np.argsort(-scores[top], kind="stable")]  # best first, ties as partitioned
        top = top[scores[top] > 0]
        return list(zip(top.tolist(), scores[top].tolist(), strict=True))
