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
    # A "char_wb" block: its n-grams found with numpy (see _CharGrams), and the lower-casing.
    char_grams: _CharGrams | None = None
    preprocess: Callable[[str], str] | None = None

    def column_counts(self, text: str) -> Counter[int] | dict[int, int]:
        if self.char_grams is None:
            return Counter(self.columns[t] for t in self.analyzer(text) if t in self.columns)
        return self.char_grams.counts(self.preprocess(text))  # type: ignore[misc]


class _CharGrams:
    """sklearn's `_char_wb_ngrams`, counted straight into columns with numpy.

    sklearn pads each word with a space each side and, for each n from low to high, takes
    every n-gram of it, or, once the padded word is no longer than n, the whole of it once and
    no more: exactly the windows of length n that lie inside one padded word. An n-gram is a
    column only if each of its characters occurs in some column, so each character becomes its
    index in that alphabet (0 for any other), a window becomes one integer (12 bits per
    character and 3 for its length), and the windows holding a 0 are dropped. Cutting 2,000
    characters into n-grams in Python took about 3 ms; this takes a small fraction of that."""

    BITS = 12

    def __init__(self, columns: dict[str, int], ngram_range: tuple[int, int]) -> None:
        self.low, self.high = ngram_range
        alphabet = sorted(set("".join(columns)))
        if len(alphabet) >= 1 << self.BITS or self.high * self.BITS + 3 > 63:
            raise ValueError("too many characters or too long n-grams to pack in 64 bits")
        self.codepoints = np.array([ord(c) for c in alphabet], np.int64)
        keys = np.array([self._key([alphabet.index(c) + 1 for c in gram]) for gram in columns],
                        np.int64)
        order = np.argsort(keys)
        self.keys = keys[order]
        self.column_of = np.fromiter(columns.values(), np.int64, len(columns))[order]

    def _key(self, ids: list[int]) -> int:
        key = 0
        for j, i in enumerate(ids):
            key |= i << (self.BITS * j)
        return (key << 3) | len(ids)

    def counts(self, text: str) -> dict[int, int]:
        words = text.split()
        if not words:
            return {}
        padded = "".join(f" {w} " for w in words)
        # surrogatepass: a lone surrogate (JSON allows "\ud800") is a character like any other
        points = np.frombuffer(padded.encode("utf-32-le", "surrogatepass"), np.uint32
                               ).astype(np.int64)
        at = np.searchsorted(self.codepoints, points)
        at[at == len(self.codepoints)] = 0
        ids = np.where(self.codepoints[at] == points, at + 1, 0)
        word = np.repeat(np.arange(len(words)), [len(w) + 2 for w in words])
        found = []
        for n in range(self.low, self.high + 1):
            if len(ids) < n:
                break
            starts = len(ids) - n + 1
            key = ids[:starts].copy()
            known = key > 0
            for j in range(1, n):
                part = ids[j:j + starts]
                key |= part << (self.BITS * j)
                known &= part > 0
            inside = known & (word[:starts] == word[n - 1:n - 1 + starts])
            found.append((key[inside] << 3) | n)
        keys, counts = np.unique(np.concatenate(found), return_counts=True)
        at = np.searchsorted(self.keys, keys)
        at[at == len(self.keys)] = 0
        hit = self.keys[at] == keys
        return dict(zip(self.column_of[at[hit]].tolist(), counts[hit].tolist(), strict=True))


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
            columns = dict(vectorizer.vocabulary_)
            char_wb = vectorizer.analyzer == "char_wb"
            blocks.append(_Block(
                analyzer=vectorizer.build_analyzer(),
                columns=columns,
                idf=idf,
                weights=(coef[:, offset:offset + n] * idf).T.copy(),
                sublinear=bool(vectorizer.sublinear_tf),
                char_grams=_CharGrams(columns, vectorizer.ngram_range) if char_wb else None,
                preprocess=vectorizer.build_preprocessor() if char_wb else None,
            ))
            offset += n
        if offset != coef.shape[1]:
            raise ValueError("the union's features do not match the classifier's coefficients")
        return cls(tuple(blocks), np.asarray(lr.intercept_, np.float64))

    def predict_proba(self, text: str) -> np.ndarray:
        scores = self.intercept.copy()
        for block in self.blocks:
            counts = block.column_counts(text)
            if not counts:
                continue
            rows = np.fromiter(counts, np.int64, len(counts))
            tf = np.fromiter(counts.values(), np.float64, len(counts))
            if block.sublinear:
                tf = 1.0 + np.log(tf)
            norm = math.sqrt(float(((tf * block.idf[rows]) ** 2).sum()))
            scores += (tf / norm) @ block.weights[rows]
        return _softmax(scores)
