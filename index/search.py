"""search(query, k) -> hits: dense (FAISS) and lexical (BM25) scores fused, then scoped.

Fusion is convex: cosine + LEXICAL_WEIGHT * (BM25 / best BM25 for this query). On the labelled
question set this beat reciprocal-rank fusion (k=10, 30, 60) and dense alone: passage
recall@1 0.734 against 0.709 (RRF k=60) and 0.673 (dense); see docs/calibration.md.

BM25 reads the question with the synonym table applied (index/scope.py); the dense vector is
the question's own. Hits are then scoped (index/scope.py): no passage of the confusable other
topic, and, when a region is given, no passage about another country's services unless the
question names that country.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import Literal

import faiss
import numpy as np

from index.embed import Embedder
from index.scope import QuestionScope, query_terms
from index.store import Store

Mode = Literal["hybrid", "dense", "lexical"]
LEXICAL_WEIGHT = 0.2  # chosen on corpus/questions.jsonl: 0.15 to 0.3 were all within 0.005


@dataclass(frozen=True)
class Hit:
    row: int  # passage row in the store
    passage_id: str
    dense: float  # best cosine between the query and the passage or one of its questions
    lexical: float  # BM25 score, 0 when the passage has no query term
    fused: float


@dataclass(frozen=True)
class Retrieval:
    query_vector: np.ndarray
    hits: list[Hit]


class Searcher:
    def __init__(self, store: Store, embedder: Embedder, mode: Mode = "hybrid") -> None:
        self.store = store
        self.embedder = embedder
        self.mode = mode

    def embed(self, query: str) -> np.ndarray:
        return self.embedder.encode([query])[0]

    def search(self, query: str, k: int = 5, query_vector: np.ndarray | None = None,
               region: str | None = None) -> Retrieval:
        """The k best passages that may answer `query`; `region` None scopes no region out."""
        vector = self.embed(query) if query_vector is None else query_vector
        expanded = query_terms().expand(query)
        dense = self._dense(vector)
        lexical = (dict(self.store.lexical.search(expanded, k=50)) if self.mode != "dense"
                   else {})
        top_lexical = max(lexical.values(), default=0.0) or 1.0
        fused: dict[int, float] = {}
        for row in set(dense) | set(lexical):
            if self.mode == "lexical":
                if row in lexical:
                    fused[row] = lexical[row]
            elif self.mode == "dense":
                fused[row] = dense[row]
            else:
                boost = LEXICAL_WEIGHT * lexical.get(row, 0.0) / top_lexical
                fused[row] = dense.get(row, 0.0) + boost
        scope = QuestionScope.of(expanded, region)
        passages = self.store.passages
        ranked = (r for r in sorted(fused, key=lambda r: (-fused[r], -dense.get(r, 0.0)))
                  if scope.allows(passages[r].context, passages[r].region))
        best = list(islice(ranked, k))
        hits = [
            Hit(
                row=row,
                passage_id=self.store.passages[row].id,
                dense=dense.get(row, self._cosine(vector, row)),
                lexical=lexical.get(row, 0.0),
                fused=fused[row],
            )
            for row in best
        ]
        return Retrieval(query_vector=vector, hits=hits)

    def _dense(self, vector: np.ndarray, depth: int = 100) -> dict[int, float]:
        """Best score per passage over its passage and question vectors."""
        depth = min(depth, self.store.dense.ntotal)
        # One query at a time: FAISS's OpenMP threads only add overhead (a flat search over
        # 60,000 vectors on 2 cores: p50 5.1 ms with one thread, 9.2 ms with two). OpenMP keeps
        # this setting per calling thread, and the server searches from a thread pool, so it is
        # set on every call; set once at start-up, worker threads kept two spinning threads.
        faiss.omp_set_num_threads(1)
        scores, rows = self.store.dense.search(vector.reshape(1, -1), depth)
        best: dict[int, float] = {}
        for score, vec_row in zip(scores[0], rows[0], strict=True):
            if vec_row < 0:
                continue
            row = int(self.store.vector_owner[vec_row])
            if float(score) > best.get(row, -1.0):
                best[row] = float(score)
        return best

    def _cosine(self, vector: np.ndarray, row: int) -> float:
        """Dense score of a passage that only the lexical ranking found."""
        return float((self.store.passage_vectors(row) @ vector).max())
