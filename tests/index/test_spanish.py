"""The Spanish index: language routing, Spanish tokens, the e5 model, build and load."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from api.guard.text import read
from corpus.load import CORPUS_DIR, QUESTIONS_FILE, corpus_files, parse_document
from index import spanish as es

GUARD_DATA = Path(__file__).parent.parent.parent / "api" / "guard" / "data"


def labelled_messages() -> list[tuple[str, str]]:
    rows = [json.loads(line) for f in sorted(GUARD_DATA.glob("messages_*.jsonl"))
            for line in f.read_text().splitlines() if line.strip()]
    return [(r["text"], r["lang"]) for r in rows if r.get("lang") in ("en", "es")]


def test_english_questions_are_never_routed_to_spanish() -> None:
    english = [json.loads(line)["question"] for line in QUESTIONS_FILE.read_text().splitlines()
               if line.strip()]
    english += [t for t, lang in labelled_messages() if lang == "en"]
    assert len(english) > 2000
    assert [q for q in english if es.looks_spanish(q)] == []


def test_short_spanish_questions_are_recognised_where_the_guard_misses_them() -> None:
    spanish = [t for t, lang in labelled_messages() if lang == "es"]
    found = sum(es.looks_spanish(t) for t in spanish) / len(spanish)
    guard = sum(read(t)[2] == "es" for t in spanish) / len(spanish)
    assert found >= 0.99 > guard
    assert es.looks_spanish("la naloxona viene en inyeccion o en spray")
    assert read("la naloxona viene en inyeccion o en spray")[2] == "en"


def test_tokens_fold_accents_and_stem() -> None:
    assert es.tokens("¿El hígado?") == es.tokens("el higado")
    assert es.tokens("los síntomas") == es.tokens("sintoma")
    assert es.tokens("la de los que") == []  # stop words only
    assert "abstinencia" in es.query_terms().expand("cuanto dura la malilla")


def test_e5_vectors_are_unit_length_and_match_across_languages() -> None:
    """No fp32 reference model can be loaded offline; instead each Spanish passage's nearest
    English passage, by e5 alone, must come from the English document it translates for
    most passages (a model that did not map both languages together would fail this)."""
    model = es.e5()
    docs = [parse_document(p)[0] for p in corpus_files(CORPUS_DIR)]
    pairs = {d.id: d.meta["translation_of"] for d in docs if d.meta.get("language") == "es"}
    english = [(d.id, p.text) for d in docs if d.id in set(pairs.values()) for p in d.paragraphs]
    spanish = [(d.id, p.text) for d in docs if d.id in pairs for p in d.paragraphs]
    ev = model.passage([t for _, t in english])
    sv = model.passage([t for _, t in spanish])
    assert np.allclose(np.linalg.norm(ev, axis=1), 1, atol=1e-3)
    nearest = (sv @ ev.T).argmax(axis=1)
    right = np.mean([english[j][0] == pairs[doc] for (doc, _), j in zip(spanish, nearest,
                                                                          strict=True)])
    assert right >= 0.8
    q = model.query(["¿El kratom daña el hígado?"])[0]
    assert model.query(["¿El kratom daña el hígado?"])[0] @ q == pytest.approx(1, abs=1e-5)


@pytest.fixture(scope="module")
def index(settings):  # type: ignore[no-untyped-def]
    from index import store

    found = es.load(settings.data_dir, store.read_manifest(settings.data_dir).corpus_hash)
    assert found is not None
    return found


def test_the_build_writes_the_spanish_index_under_the_corpus_version(index, settings) -> None:  # type: ignore[no-untyped-def]
    assert len(index.passages) == len(index.sentence_start) - 1 >= 80
    assert all(p.id.startswith("es-") for p in index.passages)
    assert len(index.vectors) == len(index.vector_owner)
    assert index.answerability is not None
    assert es.load(settings.data_dir, "0000000000000000") is None
    # The fallback holds English passages of documents with no Spanish version only.
    translated = {str(d.meta.get("translation_of")) for d in (
        parse_document(p)[0] for p in corpus_files(CORPUS_DIR))}
    assert index.english_ids and not {i.split("#")[0] for i in index.english_ids} & translated


def test_search_finds_the_liver_passage(index) -> None:  # type: ignore[no-untyped-def]
    question = "¿El kratom daña el hígado?"
    hits = es.search(index, question, es.e5().query([question])[0])
    assert hits[0].passage_id == "es-kratom-higado#1"
    lexical = es.search(index, question, es.e5().query([question])[0], mode="lexical")
    assert lexical[0].passage_id.startswith("es-kratom-higado")


def test_fillers_are_dropped_before_the_lexical_signals() -> None:
    terms = es.query_terms()
    assert es.tokens(terms.expand("Oiga, ¿me explicas qué es la mitraginina exactamente?")) \
        == es.tokens(terms.expand("que es la mitraginina"))
    # A filler is matched as a whole word: "lo de" does not eat "lo demás".
    assert "demas" in terms.expand("todo lo demás")
    assert "kratom" in terms.expand("que es el kraton")


def _signals(index: es.SpanishIndex, question: str) -> dict[str, float]:
    hits = es.search(index, question, es.e5().query([question])[0])
    return dict(zip(es.SIGNALS, es.signals(index, question, hits).tolist(), strict=True))


def test_missing_vocabulary_signals_see_words_the_corpus_never_uses(index) -> None:  # type: ignore[no-untyped-def]
    near = _signals(index, "el kratom da acne en la espalda")
    covered = _signals(index, "el kratom daña el higado")
    assert near["unknown_terms"] >= 1 and covered["unknown_terms"] == 0
    assert near["missing_top1_idf"] > covered["missing_top1_idf"]


def test_the_answerability_threshold_comes_from_cross_validation(index, settings) -> None:  # type: ignore[no-untyped-def]
    """Written with the model: the threshold is the cross-validated one, not a constant, and
    the cross-validated rates it was chosen with are stored beside it."""
    from index import store

    folder = settings.data_dir / es.FOLDER / store.read_manifest(settings.data_dir).corpus_hash
    fit = json.loads((folder / "answerability.json").read_text())
    assert fit["signals"] == list(es.SIGNALS)
    assert index.answerability.threshold == pytest.approx(fit["fit"]["threshold"], abs=1e-4)
    assert fit["fit"]["cv_answered_rate"] >= es.TARGET_ANSWERED
    assert fit["fit"]["unanswerable"] >= 60
    # Every English fallback passage has its text vector and its Q: line vectors.
    assert len(index.english_owner) == len(index.english_vectors) > len(index.english_ids)
    assert set(index.english_owner.tolist()) == set(range(len(index.english_ids)))


def test_the_spanish_aspect_table_reads_accents_plurals_and_spanglish() -> None:
    table = es.aspects()
    expand = es.query_terms().expand

    def named(question: str) -> set[str]:
        return {table.names[i] for i in table.named(expand(question))}

    # With or without accents, singular or plural ("riñón", "rinones"), as one aspect.
    assert named("¿el kratom daña el riñón?") == named("el kratom dana los rinones") != set()
    assert named("el kratom sale en el drug test") == named("sale en la prueba de drogas")
    assert named("es legal en Florida") == named("y en texas?")
    assert named("el kratom daña el hígado") == set()
    # Whole words only: "pelota" is not "pelo", "cocacola" not cocaine.
    assert named("me duele la pelota del pie") == set()


def test_aspect_signals_see_what_the_chosen_passage_never_names(index) -> None:  # type: ignore[no-untyped-def]
    near = _signals(index, "el kratom es legal en Florida")
    covered = _signals(index, "el kratom es legal en Estados Unidos")
    assert near["aspects_named"] >= 1 and near["aspects_uncovered_top1"] >= 1
    assert covered["aspects_uncovered_top1"] == 0
    # Every Spanish passage's aspects are read from its text and Q: lines.
    assert len(index.passage_aspects) == len(index.passages)
    assert index.corpus_aspects
