"""The compiled guard regressions give sklearn's probabilities, message by message."""

from __future__ import annotations

import numpy as np
import pytest

from api.guard.linear import DenseLinear, TfidfLinear
from api.guard.model import load_messages
from api.guard.text import model_text
from api.pipeline import Pipeline


def test_compiled_regressions_match_sklearn(pipeline: Pipeline) -> None:
    model = pipeline.guard_model
    rows = load_messages()  # dev and test splits: seen and unseen wording
    texts = [model_text(r["text"]) for r in rows]
    vectors = pipeline.embedder.encode([r["text"] for r in rows])
    dense, text = DenseLinear.compile(model.embedding_lr), TfidfLinear.compile(model.text_lr)

    want_dense = model.embedding_lr.predict_proba(vectors)
    want_text = model.text_lr.predict_proba(texts)
    got_dense = np.vstack([dense.predict_proba(v) for v in vectors])
    got_text = np.vstack([text.predict_proba(t) for t in texts])

    # sklearn multiplies float32 vectors in float32; the compiled form works in float64, so
    # they differ in the sixth decimal (1.03e-6 seen); thresholds move in steps of 0.01.
    np.testing.assert_allclose(got_dense, want_dense, rtol=0, atol=1e-5)
    np.testing.assert_allclose(got_text, want_text, rtol=0, atol=1e-9)
    assert len(rows) > 2000


@pytest.mark.parametrize("text", ["", "zzzzqqqq", "¿?", "a", "\ud800 lone surrogate"])
def test_texts_without_known_ngrams_give_the_intercept_only(pipeline: Pipeline,
                                                           text: str) -> None:
    compiled = TfidfLinear.compile(pipeline.guard_model.text_lr)
    np.testing.assert_allclose(compiled.predict_proba(text),
                               pipeline.guard_model.text_lr.predict_proba([text])[0],
                               rtol=0, atol=1e-9)


def test_models_it_cannot_reproduce_are_refused() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    texts, labels = ["alpha beta", "beta gamma", "gamma delta", "delta alpha"], [0, 1, 2, 2]
    binary = LogisticRegression().fit(np.eye(4), [0, 1, 0, 1])
    with pytest.raises(ValueError, match="3 or more classes"):
        DenseLinear.compile(binary)
    counted = make_pipeline(make_union(TfidfVectorizer(binary=True)), LogisticRegression())
    with pytest.raises(ValueError, match="counted TF-IDF"):
        TfidfLinear.compile(counted.fit(texts, labels))
