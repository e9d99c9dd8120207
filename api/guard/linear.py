"""The guard's fitted logistic regressions, evaluated for one message without sklearn's overhead.

sklearn's `predict_proba` on one message spends about 1.3 ms in input validation and sparse
matrix plumbing for a few hundred multiply-adds (measured on the question set). These classes
are compiled once from the fitted sklearn objects and give the same probabilities (to 1e-9
for the text model, 1e-6 for the embedding model, which sklearn multiplies in float32;
tests/api/test_guard_linear.py). The TF-IDF weights are folded into the coefficients, so one
message costs its n-gram lookups and a small sum. sklearn stays the trainer and the
reference; this is only the fast path at query time.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max())
    return shifted / shifted.sum()


def _check_multinomial(lr: Any) -> None:
    """The compiled forms reproduce a softmax over 3 or more classes, which is what
    LogisticRegression fits with its default solver; refuse anything else rather than
    give different probabilities."""
    if len(lr.classes_) < 3 or getattr(lr, "solver", "lbfgs") == "liblinear" \
            or getattr(lr, "multi_class", "auto") == "ovr":
        raise ValueError("only multinomial logistic regressions over 3 or more classes "
                         "can be compiled")


@dataclass(frozen=True)
class DenseLinear:
    """LogisticRegression over a dense vector (the sentence embedding)."""

    coef: np.ndarray  # (classes, dimension)
    intercept: np.ndarray

    @classmethod
    def compile(cls, lr: Any) -> DenseLinear:
        _check_multinomial(lr)
        return cls(np.asarray(lr.coef_, np.float64), np.asarray(lr.intercept_, np.float64))

    def predict_proba(self, vector: np.ndarray) -> np.ndarray:
        return _softmax(self.coef @ np.asarray(vector, np.float64) + self.intercept)


@dataclass(frozen=True)
class _Block:
    """One TfidfVectorizer of the union: its analyzer and, per term, idf x coefficients."""

    analyzer: Callable[[str], list[str]]
    columns: dict[str, int]
    idf: np.ndarray  # (terms,)
    weights: np.ndarray  # (terms, classes): idf * coef for the block's columns
    sublinear: bool


@dataclass(frozen=True)
class TfidfLinear:
    """make_pipeline(make_union(TfidfVectorizer, ...), LogisticRegression), for one text."""

    blocks: tuple[_Block, ...]
    intercept: np.ndarray

    @classmethod
    def compile(cls, pipeline: Any) -> TfidfLinear:
        union, lr = pipeline.steps[0][1], pipeline.steps[-1][1]
        _check_multinomial(lr)
        if len(pipeline.steps) != 2 or getattr(union, "transformer_weights", None):
            raise ValueError("only a weightless union of TF-IDF blocks, then the classifier")
        coef = np.asarray(lr.coef_, np.float64)
        blocks, offset = [], 0
        for _name, vectorizer in union.transformer_list:
            if (not hasattr(vectorizer, "idf_") or vectorizer.norm != "l2"
                    or not vectorizer.use_idf or vectorizer.binary):
                raise ValueError("only l2-normalised, counted TF-IDF blocks are supported")
            idf = np.asarray(vectorizer.idf_, np.float64)
            n = len(idf)
            blocks.append(_Block(
                analyzer=vectorizer.build_analyzer(),
                columns=dict(vectorizer.vocabulary_),
                idf=idf,
                weights=(coef[:, offset:offset + n] * idf).T.copy(),
                sublinear=bool(vectorizer.sublinear_tf),
            ))
            offset += n
        if offset != coef.shape[1]:
            raise ValueError("the union's features do not match the classifier's coefficients")
        return cls(tuple(blocks), np.asarray(lr.intercept_, np.float64))

    def predict_proba(self, text: str) -> np.ndarray:
        scores = self.intercept.copy()
        for block in self.blocks:
            counts = Counter(t for t in block.analyzer(text) if t in block.columns)
            if not counts:
                continue
            rows = np.fromiter((block.columns[t] for t in counts), np.int64, len(counts))
            tf = np.fromiter(counts.values(), np.float64, len(counts))
            if block.sublinear:
                tf = 1.0 + np.log(tf)
            norm = math.sqrt(float(((tf * block.idf[rows]) ** 2).sum()))
            scores += (tf / norm) @ block.weights[rows]
        return _softmax(scores)
