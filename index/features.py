"""Features of one (question, candidate passage) pair, shared by the answerability model
(index/answerable.py) and the reranker experiments of docs/calibration.md.

    dense      best cosine: the passage or one of its `Q:` lines (the fused search's)
    context    cosine with the passage text (with its heading path)
    question   best cosine with one of the passage's `Q:` lines
    sentence   best cosine with one sentence of the passage
    lexical    BM25 / best BM25 among the candidates
    heading    IDF-weighted share of the question's terms found in the heading path
    coverage   IDF-weighted share of the question's terms found in the passage and `Q:` lines
    doc_best   best dense score of any candidate of the same document (topic agreement)
    doc_share  share of the candidates that come from the same document
    gap        dense score minus the best candidate's dense score
    rank       1 / (1 + fused rank)

No model runs here: the query vector comes from the search, the passage vectors from the store.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN

if TYPE_CHECKING:
    from index.search import Hit
    from index.store import Store

_STEMMER = Stemmer.Stemmer("english")
_STOP = frozenset(STOPWORDS_EN)
_WORD = re.compile(r"[a-z0-9]+")


def terms(text: str) -> set[str]:
    """Stemmed content words (BM25's stemmer and stop words)."""
    return {_STEMMER.stemWord(w) for w in _WORD.findall(text.lower())
            if w not in _STOP and len(w) > 1}


class Vocabulary:
    """Term sets per passage and document frequencies, for the coverage features."""

    def __init__(self, passage_texts: list[str]) -> None:
        self.passage_terms = [terms(t) for t in passage_texts]
        df: dict[str, int] = {}
        for found in self.passage_terms:
            for term in found:
                df[term] = df.get(term, 0) + 1
        self.df = df
        self.n = len(passage_texts)

    def idf(self, term: str) -> float:
        return math.log((self.n + 1) / (self.df.get(term, 0) + 0.5))

    def coverage(self, question: str, rows: list[int]) -> float:
        """IDF-weighted share of the question's terms found in these passages."""
        wanted = terms(question)
        total = sum(self.idf(t) for t in wanted)
        if not total:
            return 0.0
        found = set().union(*(self.passage_terms[r] for r in rows)) if rows else set()
        return sum(self.idf(t) for t in wanted if t in found) / total


FEATURES = ("dense", "context", "question", "sentence", "lexical", "heading", "coverage",
            "doc_best", "doc_share", "gap", "rank")


def share(wanted: set[str], found: set[str], idf: Any) -> float:
    """IDF-weighted share of the `wanted` terms that are in `found` (0 when none wanted)."""
    total = sum(idf(t) for t in wanted)
    return sum(idf(t) for t in wanted if t in found) / total if total else 0.0


def features(question: str, query: np.ndarray, hits: list[Hit], store: Store) -> np.ndarray:
    """One row of `FEATURES` per hit, in the hits' order. `question` as retrieval reads it
    (synonyms applied)."""
    if not hits:
        return np.zeros((0, len(FEATURES)), np.float32)
    vocab = store.vocabulary
    wanted = terms(question)
    top_lexical = max((h.lexical for h in hits), default=0.0) or 1.0
    best_dense = max(h.dense for h in hits)
    docs = [store.passages[h.row].doc_id for h in hits]
    doc_best: dict[str, float] = {}
    for doc, h in zip(docs, hits, strict=True):
        doc_best[doc] = max(doc_best.get(doc, -1.0), h.dense)
    rows = []
    for rank, (doc, h) in enumerate(zip(docs, hits, strict=True)):
        passage = store.passages[h.row]
        own = store.passage_vectors(h.row) @ query  # [context, Q: lines...]
        sentence = store.passage_sentences(h.row)[1] @ query
        rows.append((
            h.dense,
            float(own[0]),
            float(own[1:].max()) if len(own) > 1 else float(own[0]),
            float(sentence.max(initial=-1.0)),
            h.lexical / top_lexical,
            share(wanted, terms(" ".join(passage.heading_path)), vocab.idf),
            share(wanted, vocab.passage_terms[h.row], vocab.idf),
            doc_best[doc],
            docs.count(doc) / len(docs),
            h.dense - best_dense,
            1.0 / (1 + rank),
        ))
    return np.asarray(rows, np.float32)
