"""index/answerable.py: the one no-answer decision, its model and its threshold, over the real
model and index."""

from __future__ import annotations

import numpy as np

from api.pipeline import Pipeline
from index.answerable import SIGNALS, TARGET_ANSWERED, Answerability, choose_threshold, decide
from index.features import FEATURES


def test_the_build_fits_a_model_with_its_threshold_and_cv_figures(pipeline: Pipeline) -> None:
    model = pipeline.store.answerability
    assert model is not None
    dimension = pipeline.store.manifest.dimension
    assert len(model.coef) == len(SIGNALS) + dimension
    fit = pipeline.store.answerability_report or {}
    # The threshold written next to the index is the one chosen on cross-validated
    # probabilities of the development questions, keeping TARGET_ANSWERED of them answered.
    assert fit["threshold"] == round(model.threshold, 4)
    assert fit["cv_answered_rate"] >= TARGET_ANSWERED
    assert fit["unanswerable"] >= 150 and fit["answerable"] >= 600
    assert 0.0 < fit["cv_no_answer_rate"] < 1.0


def test_choose_threshold_keeps_the_target_share_answered() -> None:
    rng = np.random.default_rng(0)
    p = rng.random(200)
    answerable = np.arange(200) % 4 != 0
    threshold = choose_threshold(p, answerable, 0.9)
    assert (p[answerable] >= threshold).mean() >= 0.9
    # and no higher threshold would: the next answerable probability up drops below target
    above = np.sort(p[answerable])
    assert (p[answerable] >= above[above > threshold][0]).mean() < 0.9


def test_signals_have_one_value_per_name(pipeline: Pipeline) -> None:
    from index.answerable import signals

    question = "how long does kratom withdrawal last"
    retrieval = pipeline.searcher.search(question, k=5)
    x = signals(question, retrieval, pipeline.store)
    assert x.shape == (len(SIGNALS) + len(retrieval.query_vector),)
    assert x[FEATURES.index("dense")] == retrieval.hits[0].dense


def test_decide_answers_a_covered_question_and_declines_a_near_topic_one(
        pipeline: Pipeline) -> None:
    def decided(question: str) -> bool:
        retrieval = pipeline.searcher.search(question, k=5, region="us")
        return decide(question, retrieval, pipeline.store, pipeline.limits.answer_threshold)

    assert decided("how long does kratom withdrawal last")
    assert decided("What is kratom?")
    assert not decided("how much does kratom cost at a gas station in ohio")


def test_the_floor_declines_whatever_the_model_says(pipeline: Pipeline) -> None:
    question = "how long does kratom withdrawal last"
    retrieval = pipeline.searcher.search(question, k=5, region="us")
    assert not decide(question, retrieval, pipeline.store, floor=1.01)


def test_round_trip(tmp_path: object, pipeline: Pipeline) -> None:
    from pathlib import Path

    model = pipeline.store.answerability
    assert model is not None
    path = Path(str(tmp_path)) / "answerability.json"
    model.save(path, {"note": "test"})
    assert Answerability.load(path) == model


def test_the_aspect_table_reads_whole_words_and_every_spelling() -> None:
    from index.answerable import Aspects, aspects

    table = Aspects({"substances": ["tramadol | ultram"], "places": ["ireland | irish"]})
    assert table.named("Tramadol withdrawal?") == table.named("ultrams") == {0}
    assert table.named("is kratom legal in ireland") == {1}
    assert table.named("irishman") == frozenset()  # whole words only
    # The shipped table loads, and every entry has a spelling.
    assert len(aspects().names) > 100 and all(aspects().names)


def test_an_aspect_the_chosen_passage_never_names_is_counted(pipeline: Pipeline) -> None:
    from index.answerable import signals

    at = {name: i for i, name in enumerate(SIGNALS)}

    def uncovered(question: str) -> float:
        retrieval = pipeline.searcher.search(question, k=5)
        return float(signals(question, retrieval, pipeline.store)[at["aspects_uncovered_top1"]])

    # The corpus never names this country; its withdrawal passages never name a pet.
    assert uncovered("is kratom legal in japan") >= 1
    assert uncovered("how long does opioid withdrawal last in dogs") >= 1
    # A question in the corpus's own terms names nothing the passage lacks.
    assert uncovered("what is naloxone") == 0
