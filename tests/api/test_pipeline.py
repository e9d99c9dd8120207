from __future__ import annotations

import re

import pytest
import yaml

from api.errors import InvalidQuestion
from api.evaluate import load_questions
from api.pipeline import Pipeline, clean_question
from corpus.load import CORPUS_DIR
from corpus.validate import load_corpus
from index.scope import SCOPE_FILE
from tests.api.test_confusable import CONFUSABLE_FILE


def passages_by_id(pipeline: Pipeline) -> dict[str, object]:
    return {p.id: p for p in pipeline.store.passages}


def source_text(doc_id: str) -> str:
    """The document's Markdown as a reader sees it: citation markers out, spacing collapsed."""
    raw = (CORPUS_DIR / f"{doc_id}.md").read_text(encoding="utf-8")
    return " ".join(re.sub(r"\[\^[^\]]+\]", " ", raw).split())


def related_by_corpus() -> dict[str, set[str]]:
    """Documents one answer may quote together, read from the corpus files themselves: the
    same document, a shared front-matter topic, or a link in corpus/scope.yaml."""
    docs = load_corpus(CORPUS_DIR)
    topics = {d.id: set(d.meta.get("topics") or ()) for d in docs}
    related = {a: {b for b in topics if a == b or topics[a] & topics[b]} for a in topics}
    for a, b in yaml.safe_load(SCOPE_FILE.read_text())["related"]:
        related[a].add(b)
        related[b].add(a)
    return related


def all_questions() -> list[str]:
    """The labelled question set and the confusable-pairs set."""
    confusable = yaml.safe_load(CONFUSABLE_FILE.read_text())["questions"]
    return [q["question"] for q in load_questions()] + [q["question"] for q in confusable]


def test_every_quoted_passage_is_a_whole_cited_corpus_passage(pipeline: Pipeline) -> None:
    """Over every labelled question: each quoted passage is a whole corpus passage, verbatim
    in its file; its sentences are the passage's own; every source it cites is listed once;
    and no answer mixes passages from unrelated documents."""
    passages = passages_by_id(pipeline)
    related = related_by_corpus()
    answered = several = 0
    for question in all_questions():
        result = pipeline.answer(question)
        if result.kind != "answer":
            assert result.sentences == [] and result.passages == []
            continue
        answered += 1
        assert 1 <= len(result.passages) <= 3
        several += len(result.passages) > 1
        by_n = {c.n: c for c in result.citations}
        assert sorted(by_n) == list(range(1, len(by_n) + 1))
        assert len({c.source_key for c in result.citations}) == len(result.citations)
        first_doc = result.passages[0].doc_id
        for quoted in result.passages:
            passage = passages[quoted.id]
            assert quoted.text == passage.text  # type: ignore[attr-defined]
            assert quoted.text in source_text(quoted.doc_id)  # verbatim in the file
            assert tuple(s.text for s in quoted.sentences) == passage.sentences  # type: ignore[attr-defined]
            assert quoted.doc_id in related[first_doc], (question, first_doc, quoted.doc_id)
            keys = [by_n[n].source_key for n in quoted.citations]
            assert keys == list(passage.citations)  # type: ignore[attr-defined]
            doc = pipeline.store.documents[quoted.doc_id]
            assert quoted.reviewed_on == doc.reviewed_on
            for n in quoted.citations:
                citation = by_n[n]
                assert quoted.id in citation.passage_ids
                source = doc.sources[citation.source_key]
                assert (citation.title, citation.publisher, citation.url) == (
                    source.title, source.publisher, source.url)
            for sentence in quoted.sentences:
                assert sentence.citations == quoted.citations and sentence.passage_id == quoted.id
        assert any(s.highlight for s in result.passages[0].sentences)
        assert result.sentences == [s for p in result.passages for s in p.sentences]
        assert result.answer == "\n\n".join(p.text for p in result.passages)
        assert len({p.id for p in result.passages}) == len(result.passages)
    answerable = sum(1 for q in load_questions() if q.get("passage_ids"))
    assert answered / answerable >= 0.8  # and it still answers most answerable questions
    assert several  # some answers quote more than one passage


def test_unanswerable_questions_get_no_answer_with_help(pipeline: Pipeline) -> None:
    questions = [q for q in load_questions() if q.get("expect") == "no_answer"]
    assert questions
    results = [pipeline.answer(q["question"]) for q in questions]
    share = sum(r.kind == "no_answer" for r in results) / len(results)
    # The calibrated answerability model says no_answer to most near-topic questions the
    # corpus does not answer (cross-validated: about three in five); see docs/calibration.md.
    assert share >= 0.55, [(q["question"], r.kind) for q, r in zip(questions, results, strict=True)]
    no_answer = next(r for r in results if r.kind == "no_answer")
    assert no_answer.helplines and no_answer.sentences == [] and no_answer.passages == []
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


def test_a_us_deployment_is_not_told_about_another_countrys_hotline(pipeline: Pipeline
                                                                    ) -> None:
    question = "Is there a hotline I can call about drug use?"
    regions = {p.id: p.region for p in pipeline.store.passages}
    us = pipeline.answer(question, region="us")
    assert us.kind == "answer"
    assert {regions[p.id] for p in us.passages} <= {"", "us"}, [p.id for p in us.passages]
    assert "Australia" not in us.answer and "1800 250 015" not in us.answer
    # The same question on an Australian deployment opens with Australia's hotline ...
    au = pipeline.answer(question, region="au")
    assert au.kind == "answer" and regions[au.passages[0].id] == "au"
    # ... and a US deployment quotes it when the question names the country.
    named = pipeline.answer("what is the drug hotline number in Australia?", region="us")
    assert named.kind == "answer" and "1800 250 015" in named.answer
