"""The guard's learned layer: logistic regression over the question's sentence embedding.

Trained on the development split (`api/guard/data/messages_dev.jsonl`, never on a test split),
cached under the data directory, keyed by a hash of the training data, this file, the text
cleaning (api/guard/text.py) and the model: editing a rule table does not retrain it. The
decision thresholds live in `api/guard/data/thresholds.json`, chosen on the development split
by `clearpath eval --guard --calibrate` (api/guard/calibrate.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from api.guard import linear, text
from api.guard.linear import DenseLinear, TfidfLinear
from api.guard.text import model_text
from index import writing
from index.embed import Embedder
from index.writing import plain_writing

DATA_DIR = Path(__file__).parent / "data"
DATA_FILE = DATA_DIR / "messages_dev.jsonl"  # the development split
TEST_FILE = DATA_DIR / "messages_test.jsonl"  # the test split
THRESHOLDS_FILE = DATA_DIR / "thresholds.json"
# The retrieval development questions (English and Spanish) are in-scope messages: the guard
# must let them through ("answer"), except those marked `"expect": "crisis"` (an emergency now).
# They are read from their own files (the single source) into the dev split. The retrieval test
# parts (corpus/questions/test.jsonl, corpus/questions_es_test.jsonl) are held out: never read.
_CORPUS = Path(__file__).resolve().parents[2] / "corpus"
QUESTION_FILES = (_CORPUS / "questions" / "dev.jsonl", _CORPUS / "questions_es.jsonl")
CLASSES = ("crisis", "dosing_refusal", "out_of_scope", "pass")
# Inverse regularisation strengths, chosen by 5-fold cross-validation on the dev split.
C_EMBEDDING = 4.0
C_TEXT = 16.0


def outcome(label: str) -> str:
    """Guard outcome of a labelled message: in-scope labels (answer, no_answer) pass."""
    return label if label in CLASSES[:3] else "pass"


def load_messages(split: str | None = None, path: Path | None = None) -> list[dict[str, Any]]:
    """Labelled messages: the development split (rules and model are fitted on it), the test
    split (written separately, never used for fitting), or both; or all rows of `path`."""
    paths = [path] if path else [DATA_FILE, TEST_FILE] if split is None else [
        TEST_FILE if split == "test" else DATA_FILE]
    rows: list[dict[str, Any]] = []
    for file in paths:
        if file.exists():
            with file.open(encoding="utf-8") as fh:
                rows += [json.loads(line) for line in fh if line.strip()]
    rows = [r for r in rows if split is None or path is not None or r["split"] == split]
    if path is None and split in (None, "dev"):
        rows += question_messages()
    return rows


def question_messages() -> list[dict[str, Any]]:
    """The retrieval development questions as labelled dev messages: "answer", or "crisis"
    where the question is marked as an emergency now. A question worded exactly as a message
    of the guard's test split is left out, so that the test split stays unseen."""
    with TEST_FILE.open(encoding="utf-8") as fh:
        held_out = {json.loads(line)["text"] for line in fh if line.strip()}
    rows: list[dict[str, Any]] = []
    for file in QUESTION_FILES:
        lang = "es" if file.name.startswith("questions_es") else "en"
        with file.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    q = json.loads(line)
                    if q["question"] in held_out:
                        continue
                    rows.append({"id": f"{file.stem}:{q['id']}", "text": q["question"],
                                 "label": "crisis" if q.get("expect") == "crisis" else "answer",
                                 "lang": lang, "split": "dev",
                                 "note": f"retrieval development question ({file.name})"})
    return rows


# Thresholds: one per outcome, and the crisis threshold for the end of a long message.
THRESHOLD_KEYS = (*CLASSES[:3], "crisis_tail")


def read_thresholds(path: Path = THRESHOLDS_FILE) -> dict[str, float]:
    raw = json.loads(path.read_text())
    return {k: float(raw[k]) for k in THRESHOLD_KEYS if k in raw}


def training_texts(rows: Sequence[dict[str, Any]]) -> tuple[list[str], list[str], list[str]]:
    """(texts to embed, texts for the text model, labels) to fit on: every message, and the end
    of every long message with its label (the deployed guard reads a long message's end too).
    The embedding model reads the raw text, as the pipeline embeds a question; the text model
    reads the guard's cleaned text, as guard.check gives it."""
    raw: list[str] = []
    labels: list[str] = []
    for r in rows:
        message = plain_writing(r["text"])  # as api/pipeline.py's clean_question gives it
        for t in (message, text.tail(message)):
            if t:
                raw.append(t)
                labels.append(r["label"])
    return raw, [model_text(t) for t in raw], labels


@dataclass
class GuardModel:
    """Two logistic regressions whose probabilities are averaged: one over the sentence
    embedding (meaning), one over TF-IDF word and character n-grams (slang, typos, Spanish).
    Together they beat either alone in 5-fold cross-validation on the dev split."""

    embedding_lr: Any  # sklearn LogisticRegression over the sentence embedding
    text_lr: Any  # sklearn Pipeline: TF-IDF features -> LogisticRegression
    thresholds: dict[str, float]
    # The same regressions compiled for one message at a time (api/guard_linear.py).
    _dense: DenseLinear = field(init=False, repr=False)
    _text: TfidfLinear = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._dense = DenseLinear.compile(self.embedding_lr)
        self._text = TfidfLinear.compile(self.text_lr)

    def probabilities(self, vector: np.ndarray, text: str) -> dict[str, float]:
        probs = (self._dense.predict_proba(vector) + self._text.predict_proba(text)) / 2
        return {c: float(p) for c, p in zip(CLASSES, probs, strict=True)}

    @classmethod
    def fit(cls, vectors: np.ndarray, texts: Sequence[str], labels: Sequence[str],
            thresholds: dict[str, float]) -> GuardModel:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline, make_union

        y = np.array([CLASSES.index(outcome(label)) for label in labels])
        embedding_lr = LogisticRegression(C=C_EMBEDDING, class_weight="balanced", max_iter=5000)
        embedding_lr.fit(vectors, y)
        features = make_union(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True),
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
        )
        text_lr = make_pipeline(
            features, LogisticRegression(C=C_TEXT, class_weight="balanced", max_iter=5000))
        text_lr.fit(list(texts), y)
        return cls(embedding_lr, text_lr, thresholds)


def _cache_key(embedder: Embedder) -> str:
    """Changes with the data, the model, this file, the guard's text cleaning (text.py and
    index/writing.py) and sklearn."""
    import sklearn

    digest = hashlib.sha256(DATA_FILE.read_bytes())
    for file in QUESTION_FILES:
        digest.update(file.read_bytes())
    digest.update(f"{embedder.name}|{embedder.version}|{C_EMBEDDING}|{C_TEXT}".encode())
    digest.update(f"sklearn={sklearn.__version__}".encode())
    digest.update(Path(__file__).read_bytes())
    for module in (linear, text, writing):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


def load_or_train(data_dir: Path, embedder: Embedder) -> GuardModel:
    """The model trained on the dev split, from cache when the data and model are unchanged."""
    import joblib

    thresholds = read_thresholds()
    path = data_dir / "guard" / f"model-{_cache_key(embedder)}.joblib"
    if path.exists():
        embedding_lr, text_lr = joblib.load(path)
        return GuardModel(embedding_lr, text_lr, thresholds)
    raw, texts, labels = training_texts(load_messages("dev"))
    model = GuardModel.fit(embedder.encode(raw), texts, labels, thresholds)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, suffix=".partial")  # one per writer
    os.close(handle)
    joblib.dump((model.embedding_lr, model.text_lr), tmp)
    os.replace(tmp, path)
    return model
