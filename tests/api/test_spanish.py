"""Spanish questions through the whole pipeline: Spanish passages, the English fallback with its
note, the Spanish no-answer, and English questions untouched."""

from __future__ import annotations

from api import responses
from api.pipeline import Pipeline


def test_a_spanish_question_is_answered_from_the_spanish_corpus(pipeline: Pipeline) -> None:
    result = pipeline.answer("¿El kratom daña el hígado?")
    assert result.kind == "answer" and result.lang == "es"
    assert result.passages[0].id == "es-kratom-higado#1"
    assert all(p.lang == "es" and p.doc_id.startswith("es-") for p in result.passages)
    assert result.note is None
    assert result.disclaimer.startswith(responses.text("disclaimer", "es"))
    assert result.citations and result.citations[0].doc_id.startswith("es-")


def test_a_short_spanish_question_without_marker_words_takes_the_spanish_path(
        pipeline: Pipeline) -> None:
    result = pipeline.answer("la naloxona viene en inyeccion o en spray")
    assert result.lang == "es"
    assert result.kind == "answer" and result.passages[0].id == "es-naloxona#2"


def test_english_questions_are_unchanged(pipeline: Pipeline) -> None:
    result = pipeline.answer("Can kratom damage your liver?")
    assert result.kind == "answer" and result.lang == "en"
    assert all(p.lang == "en" and not p.doc_id.startswith("es-") for p in result.passages)


def test_an_unanswerable_spanish_question_gets_the_spanish_no_answer(
        pipeline: Pipeline) -> None:
    result = pipeline.answer("¿el kratom es vegano?")
    assert result.kind == "no_answer" and result.lang == "es"
    assert result.answer == responses.text("no_answer", "es")
    assert all(r.doc_id is None or r.doc_id.startswith("es-") for r in result.related)


def test_the_english_fallback_says_the_source_is_in_english(pipeline: Pipeline) -> None:
    spanish = pipeline.spanish
    assert spanish is not None
    result = pipeline.answer("hubo un brote de salmonela por kratom")
    assert result.kind == "answer" and result.lang == "es"
    assert result.note == "source_in_english"
    assert result.note_text == responses.text("source_in_english", "es")
    assert len(result.passages) == 1 and result.passages[0].lang == "en"
    assert result.passages[0].id in spanish.index.english_ids


def test_spanish_documents_have_their_pages_and_sources(pipeline: Pipeline) -> None:
    assert pipeline.store_of("es-kratom-higado").documents["es-kratom-higado"].language == "es"
    assert pipeline.store_of("kratom-liver-injury") is pipeline.store
    documents = pipeline.all_documents()
    assert "es-kratom-higado" in documents and "kratom-liver-injury" in documents


def test_the_spanish_development_figures_hold(pipeline: Pipeline) -> None:
    """Floors a little under today's development figures (0.883, 0.918, 0.878 on 522
    questions, 156 unanswerable, in-sample; the issue's bars are 0.85, 0.90, 0.80): a change
    that loses Spanish answers or declines fails."""
    from api import evaluate_es

    report = evaluate_es.run(pipeline, modes=False)
    assert report["questions"] >= 360 and report["unanswerable_questions"] >= 150
    assert report["answer_at_1"] >= 0.85
    assert report["answered"] >= 0.89
    assert report["declined"] >= 0.84
