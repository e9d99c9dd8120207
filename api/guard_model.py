"""The guard's learned layer: logistic regression over the question's sentence embedding.

Trained on the development split of `api/data/guard_messages.jsonl` (never on the test split),
cached under the data directory, keyed by a hash of the training data and the model. The
decision thresholds live in `api/data/guard_thresholds.json`, chosen on the development split
by `clearpath eval --guard --calibrate` (out-of-fold probabilities, see `calibrate()`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.embed import Embedder

DATA_FILE = Path(__file__).parent / "data" / "guard_messages.jsonl"
THRESHOLDS_FILE = Path(__file__).parent / "data" / "guard_thresholds.json"
CLASSES = ("crisis", "dosing_refusal", "out_of_scope", "pass")
C = 4.0  # inverse regularisation strength; chosen on the dev split (see calibrate output)


def outcome(label: str) -> str:
    """Guard outcome of a labelled message: in-scope labels (answer, no_answer) pass."""
    return label if label in CLASSES[:3] else "pass"


def load_messages(split: str | None = None, path: Path = DATA_FILE) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return [r for r in rows if split is None or r["split"] == split]


def read_thresholds(path: Path = THRESHOLDS_FILE) -> dict[str, float]:
    raw = json.loads(path.read_text())
    return {k: float(raw[k]) for k in CLASSES[:3]}


@dataclass
class GuardModel:
    coef: np.ndarray  # (classes, dimension)
    intercept: np.ndarray  # (classes,)
    thresholds: dict[str, float]

    def probabilities(self, vector: np.ndarray) -> dict[str, float]:
        logits = self.coef @ vector + self.intercept
        exp = np.exp(logits - logits.max())
        probs = exp / exp.sum()
        return {c: float(p) for c, p in zip(CLASSES, probs, strict=True)}

    @classmethod
    def fit(cls, vectors: np.ndarray, labels: Sequence[str],
            thresholds: dict[str, float]) -> GuardModel:
        from sklearn.linear_model import LogisticRegression

        y = np.array([CLASSES.index(outcome(label)) for label in labels])
        clf = LogisticRegression(C=C, class_weight="balanced", max_iter=5000)
        clf.fit(vectors, y)
        order = [list(clf.classes_).index(i) for i in range(len(CLASSES))]
        return cls(clf.coef_[order].astype(np.float32),
                   clf.intercept_[order].astype(np.float32), thresholds)


def _cache_key(embedder: Embedder) -> str:
    digest = hashlib.sha256(DATA_FILE.read_bytes())
    digest.update(f"{embedder.name}|{embedder.version}|C={C}".encode())
    return digest.hexdigest()[:16]


def load_or_train(data_dir: Path, embedder: Embedder) -> GuardModel:
    """The model trained on the dev split, from cache when the data and model are unchanged."""
    thresholds = read_thresholds()
    path = data_dir / "guard" / f"model-{_cache_key(embedder)}.npz"
    if path.exists():
        saved = np.load(path)
        return GuardModel(saved["coef"], saved["intercept"], thresholds)
    dev = load_messages("dev")
    model = GuardModel.fit(embedder.encode([r["text"] for r in dev]),
                           [r["label"] for r in dev], thresholds)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, coef=model.coef, intercept=model.intercept)
    tmp.replace(path)
    return model
