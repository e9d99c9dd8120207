"""The whole "no vetted answer" decision: does a passage of the corpus answer the question?

A bi-encoder gives near-topic questions ("how long does kratom stay in urine?") scores as high
as answerable ones, so one cosine cannot decide. `decide()` is the only place the decision is
made (compose asks it; nothing else declines a question the guard passed):

1. no candidate, or a best cosine below the deployment's floor (`answer_threshold`): decline;
2. else the answerability model: a logistic regression over `SIGNALS` (the features of the
   best candidate, index/features.py, the best BM25 score, the margin between the first two
   candidates, how much of the question's vocabulary the top passages and the corpus lack,
   and the aspects it names that the chosen passage does not, see `Aspects`) and the
   question's embedding. It is fitted at index
   build time on the development questions (answerable ones against those marked
   `expect: no_answer`); its threshold is chosen on 5-fold cross-validated probabilities of
   the same questions (the lowest probability that keeps `TARGET_ANSWERED` of the answerable
   questions answered, see `choose_threshold`) and written with the weights to
   `answerability.json` next to the index. docs/calibration.md has the figures.

Without a fitted model (an index built without labelled questions) the floor alone decides.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import yaml

from index.features import FEATURES, features, terms
from index.scope import query_terms

if TYPE_CHECKING:
    from index.chunk import Passage
    from index.search import Retrieval
    from index.store import Store

# Beyond the best candidate's features: how much of the question the corpus does not cover.
# A near-topic question the corpus cannot answer usually asks about something it never names
# ("in dogs", "at walgreens", "hair test"): rare question terms missing from the top passages,
# or from every passage.
SIGNALS = (*FEATURES, "bm25_log", "coverage_top3", "margin", "missing_top1_idf",
           "missing_top3_idf", "unknown_terms", "unknown_share", "missing_top3_idf_sum",
           "question_terms", "aspects_named", "aspects_uncovered_top1",
           "aspects_uncovered_top3", "aspects_unknown")
# Then the question's own embedding: the kinds of question the corpus leaves unanswered
# (prices, drug tests, one state's law) sit in regions of the embedding space of their own.
TARGET_ANSWERED = 0.95  # share of answerable development questions the threshold keeps answered
C = 0.03  # inverse regularisation strength of the English model (5-fold CV on dev: 0.01 to
# 0.03 best, 0.1 declines 0.042 fewer at the same answered share; docs/calibration.md)
ASPECTS_FILE = Path(__file__).parent / "data" / "aspects.yaml"


class Aspects:
    """The reviewed aspect table (index/data/aspects.yaml): specific things a question can
    name (a substance, a place, a population, a test, a therapy, an organisation, a kind of
    figure). A question naming one that the chosen passage never names (its text, heading
    path and `Q:` lines, synonyms applied) is usually a near-topic question the corpus does
    not answer: "tramadol withdrawal", "kratom legal in ireland", "half-life in dogs"."""

    letters = "a-z0-9"  # a spelling matches as a whole word: no letter of these either side
    plural = "s?"  # what may follow a spelling

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.names: list[str] = []
        self.patterns: list[re.Pattern[str]] = []
        for entries in table.values():
            for entry in entries:
                spellings = sorted((self.normalise(w.strip()) for w in str(entry).split("|")
                                    if w.strip()), key=len, reverse=True)
                self.names.append(spellings[0])
                self.patterns.append(re.compile(
                    rf"(?<![{self.letters}])(?:" + "|".join(re.escape(w) for w in spellings)
                    + rf"){self.plural}(?![{self.letters}])"))

    def normalise(self, text: str) -> str:
        """What spellings and texts are matched as (the Spanish table folds accents too)."""
        return text.lower()

    def expand(self, text: str) -> str:
        """A passage's text with the synonym table applied, before `named`."""
        return query_terms().expand(text)

    def named(self, text: str) -> frozenset[int]:
        """The aspects `text` names (indexes into `names`)."""
        low = self.normalise(text)
        return frozenset(i for i, p in enumerate(self.patterns) if p.search(low))

    def of_passages(self, texts: Iterable[str]) -> list[frozenset[int]]:
        """The aspects each passage names (`texts`: passage text with heading path and `Q:`
        lines); the store keeps this as `passage_aspects`."""
        return [self.named(self.expand(t)) for t in texts]


@lru_cache(maxsize=4)
def aspects(path: Path = ASPECTS_FILE) -> Aspects:
    return Aspects(yaml.safe_load(path.read_text(encoding="utf-8")) or {})


class PassageAspects:
    """For an index with `passages`: the aspects each passage names (its text, heading path
    and `Q:` lines) and those any passage names, from `aspect_table()` (the English table;
    the Spanish index returns its own)."""

    passages: list[Passage]

    def aspect_table(self) -> Aspects:
        return aspects()

    @cached_property
    def passage_aspects(self) -> list[frozenset[int]]:
        return self.aspect_table().of_passages(
            " ".join((p.context, *p.questions)) for p in self.passages)

    @cached_property
    def corpus_aspects(self) -> frozenset[int]:
        return frozenset().union(*self.passage_aspects)


def signals(question: str, retrieval: Retrieval, store: Store) -> np.ndarray:
    """`SIGNALS` of one retrieval (the question as typed; synonyms are applied here)."""
    hits = retrieval.hits
    if not hits:
        return np.zeros(len(SIGNALS) + len(retrieval.query_vector), np.float32)
    expanded = query_terms().expand(question)
    x = features(expanded, retrieval.query_vector, hits, store)
    coverage_top3 = max(store.vocabulary.coverage(expanded, [h.row]) for h in hits[:3])
    margin = hits[0].fused - (hits[1].fused if len(hits) > 1 else 0.0)
    vocab = store.vocabulary
    wanted = terms(expanded)
    top1 = vocab.passage_terms[hits[0].row]
    top3 = set().union(*(vocab.passage_terms[h.row] for h in hits[:3]))
    missing1 = [vocab.idf(t) for t in wanted if t not in top1]
    missing3 = [vocab.idf(t) for t in wanted if t not in top3]
    unknown = sum(1 for t in wanted if not vocab.df.get(t))
    asked = aspects().named(expanded)
    by_passage = store.passage_aspects
    near = frozenset().union(*(by_passage[h.row] for h in hits[:3]))
    named = [math.log1p(max(hits[0].lexical, 0.0)), coverage_top3, margin,
             max(missing1, default=0.0), max(missing3, default=0.0), unknown,
             unknown / max(1, len(wanted)), sum(missing3), len(wanted),
             len(asked), len(asked - by_passage[hits[0].row]), len(asked - near),
             len(asked - store.corpus_aspects)]
    return np.concatenate([x[0], named, retrieval.query_vector]).astype(np.float32)


def decide(question: str, retrieval: Retrieval, store: Store, floor: float) -> bool:
    """True when the corpus answers the question well enough to quote (see the module
    docstring): the one no-answer decision."""
    if not retrieval.hits or retrieval.hits[0].dense < floor:
        return False
    model = store.answerability
    return model is None or model.probability(
        signals(question, retrieval, store)) >= model.threshold


def choose_threshold(p: np.ndarray, answerable: np.ndarray,
                     target: float = TARGET_ANSWERED) -> float:
    """The highest threshold that keeps at least `target` of the answerable questions
    answered (so it declines as many unanswerable ones as that allows)."""
    scores = np.sort(p[answerable])
    keep = math.ceil(target * len(scores))
    return float(scores[len(scores) - keep]) if keep else 0.5


@dataclass(frozen=True)
class Answerability:
    coef: tuple[float, ...]
    intercept: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    threshold: float

    def probability(self, x: np.ndarray) -> float:
        z = float(((x - np.asarray(self.mean)) / np.asarray(self.scale)) @ np.asarray(self.coef)
                  + self.intercept)
        return 1.0 / (1.0 + math.exp(-z))

    def save(self, path: Path, report: dict[str, Any],
             names: tuple[str, ...] = SIGNALS) -> None:
        """Weights, threshold and the fit's report, under the names of the signals it reads
        (`SIGNALS`; the Spanish model passes its own)."""
        path.write_text(json.dumps({
            "signals": list(names), "coef": list(self.coef), "intercept": self.intercept,
            "mean": list(self.mean), "scale": list(self.scale), "threshold": self.threshold,
            "fit": report}, indent=2))

    @classmethod
    def load(cls, path: Path, names: tuple[str, ...] = SIGNALS) -> Answerability | None:
        """The saved model, or None when there is none or it reads other signals than `names`."""
        try:
            raw = json.loads(path.read_text())
        except (OSError, ValueError):
            return None
        if tuple(raw.get("signals") or ()) != names:
            return None
        return cls(tuple(raw["coef"]), float(raw["intercept"]), tuple(raw["mean"]),
                   tuple(raw["scale"]), float(raw["threshold"]))

    @staticmethod
    def load_report(path: Path) -> dict[str, Any] | None:
        """The fit's cross-validated figures written with the model, or None."""
        try:
            return dict(json.loads(path.read_text()).get("fit") or {})
        except (OSError, ValueError):
            return None

    @classmethod
    def fit(cls, x: np.ndarray, answerable: np.ndarray, c: float = C,
            target: float = TARGET_ANSWERED) -> tuple[Answerability, dict[str, Any]]:
        """Fit on all rows; the threshold and the reported rates come from 5-fold
        cross-validated probabilities (deterministic folds: every fifth row). `c`: inverse
        regularisation strength; `target`: the answered share the threshold keeps (the
        Spanish model passes its own, index/spanish.py)."""
        from sklearn.linear_model import LogisticRegression

        def fitted(rows: np.ndarray) -> tuple[Any, np.ndarray, np.ndarray]:
            mean, scale = x[rows].mean(axis=0), x[rows].std(axis=0)
            scale[scale < 1e-6] = 1.0
            clf = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
            return clf.fit((x[rows] - mean) / scale, answerable[rows]), mean, scale

        n = len(x)
        p = np.zeros(n)
        index = np.arange(n)
        for fold in range(5):
            test = index % 5 == fold
            clf, mean, scale = fitted(index[~test])
            p[test] = clf.predict_proba((x[test] - mean) / scale)[:, 1]
        threshold = choose_threshold(p, answerable, target)
        report: dict[str, Any] = {
            "answerable": int(answerable.sum()), "unanswerable": int((~answerable).sum()),
            "target_answered": target, "threshold": round(threshold, 4), "c": c,
            "cv_answered_rate": round(float((p[answerable] >= threshold).mean()), 3),
            "cv_no_answer_rate": round(float((p[~answerable] < threshold).mean()), 3),
        }
        clf, mean, scale = fitted(index)
        return cls(tuple(float(c) for c in clf.coef_[0]), float(clf.intercept_[0]),
                   tuple(float(m) for m in mean), tuple(float(s) for s in scale),
                   threshold), report
