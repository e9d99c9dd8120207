from __future__ import annotations

import re

import pytest

from api.errors import InvalidQuestion
from api.evaluate import load_questions
from api.pipeline import Pipeline, clean_question
from corpus.load import CORPUS_DIR


def passages_by_id(pipeline: Pipeline) -> dict[str, object]:
    return {p.id: p for p in pipeline.store.passages}


def source_text(doc_id: str) -> str:
    """The document's Markdown as a reader sees it: citation markers out, spacing collapsed."""
    raw = (CORPUS_DIR / f"{doc_id}.md").read_text(encoding="utf-8")
    return " ".join(re.sub(r"\[\^[^\]]+\]", " ", raw).split())


def test_every_answer_sentence_is_verbatim_and_cited(pipeline: Pipeline) -> None:
    """Over the whole question set: no sentence that is not corpus text, none uncited."""
    passages = passages_by_id(pipeline)
    answered = 0
    for q in load_questions():
        result = pipeline.answer(q["question"])
        if result.kind != "answer":
            assert result.sentences == []
            continue
        answered += 1
        assert 1 <= len(result.sentences) <= 5
        by_n = {c.n: c for c in result.citations}
        assert sorted(by_n) == list(range(1, len(by_n) + 1))
        for sentence in result.sentences:
            assert sentence.citations, sentence.text
            for n in sentence.citations:
                citation = by_n[n]
                passage = passages[citation.passage_id]
                assert sentence.text in passage.sentences  # type: ignore[attr-defined]
                assert sentence.text in source_text(citation.doc_id)  # verbatim in the file
                assert citation.source_key in passage.citations  # type: ignore[attr-defined]
                doc = pipeline.store.documents[citation.doc_id]
                source = doc["sources"][citation.source_key]
                assert (citation.title, citation.publisher, citation.url) == (
                    source["title"], source["publisher"], source["url"])
                assert citation.reviewed_on == doc["reviewed_on"]
        assert result.answer == " ".join(s.text for s in result.sentences)
        assert len({s.text for s in result.sentences}) == len(result.sentences)
    answerable = sum(1 for q in load_questions() if q.get("passage_ids"))
    assert answered / answerable >= 0.8  # and it still answers most answerable questions


def test_unanswerable_questions_get_no_answer_with_help(pipeline: Pipeline) -> None:
    questions = [q for q in load_questions() if q.get("expect") == "no_answer"]
    assert questions
    results = [pipeline.answer(q["question"]) for q in questions]
    share = sum(r.kind == "no_answer" for r in results) / len(results)
    # The calibrated answerability model says no_answer to most near-topic questions the
    # corpus does not answer (cross-validated: about three in five); see docs/calibration.md.
    assert share >= 0.55, [(q["question"], r.kind) for q, r in zip(questions, results, strict=True)]
    no_answer = next(r for r in results if r.kind == "no_answer")
    assert no_answer.helplines and no_answer.sentences == []
    assert "don't have vetted information" in no_answer.answer


@pytest.mark.parametrize(
    ("question", "message"),
    [("", "empty"), ("   \n ", "empty"), ("x" * 2001, "limit is 2000"),
     ("what is\x00 kratom", "control characters"), (None, "must be text")],
)
def test_bad_questions_are_refused_clearly(question: object, message: str) -> None:
    with pytest.raises(InvalidQuestion, match=message):
        clean_question(question)


def test_a_crisis_gets_emergency_numbers_first(pipeline: Pipeline) -> None:
    result = pipeline.answer("my friend took pills and is not breathing")
    assert result.kind == "crisis"
    assert result.helplines[0].kind == "emergency"
    assert result.sentences == [] and result.citations == []


def test_region_selects_helplines(pipeline: Pipeline) -> None:
    us = pipeline.answer("my friend took pills and is not breathing", region="us")
    uk = pipeline.answer("my friend took pills and is not breathing", region="uk")
    assert us.helplines[0].number != uk.helplines[0].number
    assert uk.region == "uk"
    assert pipeline.answer("my friend is not breathing", region="zz").region == "us"
