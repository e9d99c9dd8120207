"""api/compose.py over the real index: whole passages, which further passages are quoted,
highlights, one number per source, and the no_answer Result."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from api.compose import (
    EXTRA_FLOOR,
    EXTRA_MARGIN,
    NOVEL_TERMS,
    Limits,
    choose_passages,
    compose,
    novel_share,
)
from api.pipeline import Pipeline
from index.features import terms
from index.search import Retrieval


def retrieve(pipeline: Pipeline, question: str) -> Retrieval:
    return pipeline.searcher.search(question, k=5, region="us")


def answer(pipeline: Pipeline, question: str, limits: Limits | None = None, **kw: object):
    return compose(question, retrieve(pipeline, question), pipeline.store,
                   limits or pipeline.limits, region="us", **kw)  # type: ignore[arg-type]


def test_the_best_passage_comes_first_and_whole(pipeline: Pipeline) -> None:
    question = "how long do opioid withdraws last"
    retrieval = retrieve(pipeline, question)
    result = answer(pipeline, question)
    assert result.kind == "answer"
    best = pipeline.store.passages[retrieval.hits[0].row]
    assert result.passages[0].id == best.id and result.passages[0].text == best.text
    # The hedge is quoted with the sentence after it, which says where to ask.
    assert [s.text for s in result.passages[0].sentences] == list(best.sentences)
    assert len(best.sentences) > 1


def test_further_passages_match_strongly_are_related_and_add_something(
        pipeline: Pipeline) -> None:
    store = pipeline.store
    several = 0
    for question in ["what is naloxone", "can kratom hurt my liver", "is opioid withdrawal "
                     "dangerous", "Is there a hotline I can call about drug use?",
                     "what are opioid withdrawal symptoms", "is kratom legal"]:
        retrieval = retrieve(pipeline, question)
        chosen = choose_passages(retrieval, store, pipeline.limits)
        assert chosen[0] == retrieval.hits[0]
        assert len(chosen) <= pipeline.limits.max_passages
        first = store.documents[store.passages[chosen[0].row].doc_id]
        ranks = [retrieval.hits.index(h) for h in chosen]
        assert ranks == sorted(ranks)
        for hit in chosen[1:]:
            several += 1
            assert hit.dense >= EXTRA_FLOOR and hit.fused >= chosen[0].fused - EXTRA_MARGIN
            assert store.passages[hit.row].doc_id in first.related
    assert several


def test_max_passages_is_respected(pipeline: Pipeline) -> None:
    one = replace(pipeline.limits, max_passages=1)
    result = answer(pipeline, "is kratom legal", one)
    assert len(result.passages) == 1
    assert len(answer(pipeline, "is kratom legal").passages) > 1


def test_a_source_cited_by_several_passages_is_listed_once(pipeline: Pipeline) -> None:
    result = answer(pipeline, "can kratom hurt my liver")
    keys = [c.source_key for c in result.citations]
    assert len(keys) == len(set(keys))
    shared = [c for c in result.citations if len(c.passage_ids) > 1]
    assert shared, [(c.source_key, c.passage_ids) for c in result.citations]
    for c in shared:
        assert all(c.n in p.citations for p in result.passages if p.id in c.passage_ids)


def test_the_best_matching_sentences_are_highlighted_not_cut(pipeline: Pipeline) -> None:
    question = "how long do opioid withdraws last"
    result = answer(pipeline, question)
    first = result.passages[0]
    query = retrieve(pipeline, question).query_vector
    row = next(i for i, p in enumerate(pipeline.store.passages) if p.id == first.id)
    sims = pipeline.store.passage_sentences(row)[1] @ query
    assert first.sentences[int(np.argmax(sims))].highlight
    assert not all(s.highlight for s in first.sentences)  # the rest is quoted, not marked


def test_no_answer_is_a_result_with_help_and_nearby_topics(pipeline: Pipeline) -> None:
    question = "what is kratom"
    retrieval = retrieve(pipeline, question)
    strict = replace(pipeline.limits, answer_threshold=1.01)  # nothing clears it
    result = compose(question, retrieval, pipeline.store, strict, region="uk")
    assert result.kind == "no_answer"
    assert result.passages == [] and result.sentences == [] and result.citations == []
    assert "don't have vetted information" in result.answer
    assert result.helplines and result.region == "uk"
    assert result.related and result.related[0].doc_id == "kratom-what-it-is"
    assert result.corpus_version == pipeline.store.manifest.corpus_hash


def test_a_personal_question_gets_the_clinician_note(pipeline: Pipeline) -> None:
    plain = answer(pipeline, "what is methadone")
    personal = answer(pipeline, "what is methadone", personal=True)
    assert personal.disclaimer.endswith(plain.disclaimer)
    assert len(personal.disclaimer) > len(plain.disclaimer)


# Passage pairs that state one fact twice, in other words (their sentences embed below
# `NEW`): a further passage must add a fact, so an answer never quotes both.
SAME_FACT = [
    ({"kratom-myths#4", "kratom-dependence-withdrawal#1", "kratom-withdrawal-evidence#6"},
     ["how many people who use kratom end up with a kratom use disorder",
      "what share of kratom users get hooked according to surveys"]),
    ({"kratom-liver-injury#7", "kratom-myths#9"},
     ["livertox case kratom man bilirubin went up again after he quit",
      "how long until liver tests were normal after the daily kratom user stopped"]),
    ({"kratom-breastfeeding#3", "pregnancy-opioid-use-disorder#4"},
     ["is it safe to breastfeed while on methadone or bupe"]),
]


def test_a_further_passage_that_restates_a_quoted_fact_is_not_quoted(
        pipeline: Pipeline) -> None:
    for same, questions in SAME_FACT:
        for question in questions:
            quoted = {p.id for p in answer(pipeline, question).passages}
            assert quoted & same, (question, quoted)  # the fact is answered...
            assert len(quoted & same) == 1, (question, quoted)  # ...once


def test_novel_share_counts_rare_words_not_yet_said(pipeline: Pipeline) -> None:
    store = pipeline.store
    said = terms("about 2 percent met the criteria for a moderate or severe kratom use "
                 "disorder")
    assert novel_share("a moderate or severe kratom use disorder, 2 percent", said,
                       store) == 0.0
    assert novel_share("kratom products were contaminated with salmonella", said,
                       store) > NOVEL_TERMS
