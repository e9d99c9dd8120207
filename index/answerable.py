"""Is there a passage that answers the question? A small calibrated model, not one cosine.

A bi-encoder gives near-topic questions ("how long does kratom stay in urine?") scores as high
as answerable ones, so the decision combines four signals of the retrieval:

1. the best dense cosine (passage or one of its questions),
2. the best cosine between the question and a sentence of the top passages,
3. the top BM25 score (log), and
4. IDF-weighted coverage: how much of the question's rare vocabulary the top passages contain.

A logistic regression over these, fitted at index build time on `corpus/questions.jsonl`
(answerable questions against those marked `expect: no_answer`), gives a probability; below
`THRESHOLD` the outcome is no_answer. `clearpath eval` reports the figures.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN

if TYPE_CHECKING:
    from index.search import Retrieval
    from index.store import Store

THRESHOLD = 0.35  # chosen from 5-fold cross-validated figures on the question set
_STEMMER = Stemmer.Stemmer("english")
_STOP = frozenset(STOPWORDS_EN)
_WORD = re.compile(r"[a-z0-9]+")


def terms(text: str) -> set[str]:
    return {_STEMMER.stemWord(w) for w in _WORD.findall(text.lower())
            if w not in _STOP and len(w) > 1}


class Vocabulary:
    """Term sets per passage and document frequencies, for the coverage signal."""

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
        wanted = terms(question)
        total = sum(self.idf(t) for t in wanted)
        if not total:
            return 0.0
        found = set().union(*(self.passage_terms[r] for r in rows)) if rows else set()
        return sum(self.idf(t) for t in wanted if t in found) / total


def signals(question: str, retrieval: Retrieval, store: Store, top: int = 3) -> np.ndarray:
    """The four signals of one retrieval (see the module docstring)."""
    hits = retrieval.hits[:top]
    if not hits:
        return np.zeros(4)
    best_sentence = max(
        (float((store.passage_sentences(h.row)[1] @ retrieval.query_vector).max(initial=-1.0))
         for h in hits), default=-1.0)
    coverage = store.vocabulary.coverage(question, [h.row for h in hits])
    return np.array([hits[0].dense, best_sentence, math.log1p(max(hits[0].lexical, 0.0)),
                     coverage])


@dataclass(frozen=True)
class Answerability:
    coef: tuple[float, ...]
    intercept: float
    threshold: float = THRESHOLD

    def probability(self, x: np.ndarray) -> float:
        z = float(np.dot(self.coef, x) + self.intercept)
        return 1.0 / (1.0 + math.exp(-z))

    def save(self, path: Path, report: dict[str, Any]) -> None:
        path.write_text(json.dumps({"coef": list(self.coef), "intercept": self.intercept,
                                    "threshold": self.threshold, "fit": report}, indent=2))

    @classmethod
    def load(cls, path: Path) -> Answerability | None:
        try:
            raw = json.loads(path.read_text())
        except (OSError, ValueError):
            return None
        return cls(tuple(raw["coef"]), float(raw["intercept"]), float(raw["threshold"]))

    @classmethod
    def fit(cls, x: np.ndarray, answerable: np.ndarray) -> tuple[Answerability, dict[str, Any]]:
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold, cross_val_predict

        clf = LogisticRegression(class_weight="balanced")
        report: dict[str, Any] = {"answerable": int(answerable.sum()),
                                  "unanswerable": int((~answerable).sum())}
        if report["unanswerable"] >= 5:
            folds = StratifiedKFold(5, shuffle=True, random_state=0)
            p = cross_val_predict(clf, x, answerable, cv=folds, method="predict_proba")[:, 1]
            report["cv_answered_rate"] = round(float((p[answerable] >= THRESHOLD).mean()), 3)
            report["cv_no_answer_rate"] = round(float((p[~answerable] < THRESHOLD).mean()), 3)
        clf.fit(x, answerable)
        return cls(tuple(float(c) for c in clf.coef_[0]), float(clf.intercept_[0])), report
