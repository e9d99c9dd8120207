"""Confusable topics never swap (corpus/confusable_pairs.yaml): a question about one topic of
a pair is never answered with a passage about the other, over the real model and index."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from api.pipeline import Pipeline
from corpus.load import CORPUS_DIR

CONFUSABLE_FILE = CORPUS_DIR.parent / "confusable_pairs.yaml"


def load() -> dict[str, Any]:
    return yaml.safe_load(Path(CONFUSABLE_FILE).read_text(encoding="utf-8"))


DATA = load()
TOPICS: dict[str, dict[str, Any]] = DATA["topics"]
OTHER = {a: b for a, b in DATA["pairs"]} | {b: a for a, b in DATA["pairs"]}


def cases() -> list[Any]:
    """Every question, with its reviewed expected-failure mark when it has one."""
    return [pytest.param(q["question"], q["topic"], id=q["question"],
                         marks=[pytest.mark.xfail(reason=q["xfail"], strict=True)]
                         if q.get("xfail") else [])
            for q in DATA["questions"]]


def test_the_set_is_consistent(pipeline: Pipeline) -> None:
    ids = {p.id for p in pipeline.store.passages}
    for name, topic in TOPICS.items():
        assert set(topic["passages"]) <= ids, name  # a renumbered passage must be relabelled
        assert name in OTHER, name
    for a, b in DATA["pairs"]:
        assert not set(TOPICS[a]["passages"]) & set(TOPICS[b]["passages"])
    per_topic = {t: sum(q["topic"] == t for q in DATA["questions"]) for t in TOPICS}
    assert min(per_topic.values()) >= 3, per_topic
    for topic in TOPICS.values():
        assert topic["passages"] or topic.get("missing"), "say which passage is missing"


@pytest.mark.parametrize(("question", "topic"), [
    pytest.param(q["question"], q["topic"], id=q["question"]) for q in DATA["questions"]])
def test_no_swap(pipeline: Pipeline, question: str, topic: str) -> None:
    """Never a passage of the other topic of the pair, on any deployment region."""
    wrong = set(TOPICS[OTHER[topic]]["passages"])
    result = pipeline.answer(question)
    quoted = [p.id for p in result.passages]
    assert not wrong & set(quoted), (result.kind, quoted)


@pytest.mark.parametrize(("question", "topic"), cases())
def test_answered_from_its_own_topic_or_declined(pipeline: Pipeline, question: str,
                                                 topic: str) -> None:
    """The first quoted passage is of the question's own topic, or the outcome is no_answer
    (or a crisis reply). A topic without passages yet can only be declined."""
    result = pipeline.answer(question)
    if result.kind in ("no_answer", "crisis"):
        return
    assert result.kind == "answer", result.kind
    assert result.passages[0].id in TOPICS[topic]["passages"], [p.id for p in result.passages]
