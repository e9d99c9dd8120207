"""Plain words: every English document's passages average Flesch-Kincaid grade 8 or below, none
over 10; every Spanish document's average 65 or more on the Szigriszt-Pazos (INFLESZ) scale,
"bastante fácil", none under 45.

Measured with textstat 0.7.3 (pinned in pyproject: it counts syllables with pyphen; later
versions load cmudict through nltk at run time, which fails offline), on each passage's text
without its citation markers.
"""

from __future__ import annotations

import re
import statistics
import warnings

import pytest

from corpus.load import CORPUS_DIR, corpus_files, parse_document

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # textstat 0.7.3 imports the deprecated pkg_resources
    import textstat

MAX_MEAN_GRADE = 8.0
MAX_PASSAGE_GRADE = 10.0
_CITES = re.compile(r"\s*\[\^[^\]]+\]")
ALL_DOCS = [parse_document(path)[0] for path in corpus_files(CORPUS_DIR)]
DOCS = [d for d in ALL_DOCS if d.meta.get("language") == "en"]
SPANISH = [d for d in ALL_DOCS if d.meta.get("language") == "es"]
MIN_MEAN_INFLESZ = 65.0
MIN_PASSAGE_INFLESZ = 45.0


def grade(text: str) -> float:
    return float(textstat.flesch_kincaid_grade(_CITES.sub("", text).strip()))


def test_the_grade_tracks_harder_wording() -> None:
    plain = "Kratom comes from a tree. The tree grows in Asia. Some people use the leaves."
    hard = ("Pharmacokinetic interactions attributable to mitragynine necessitate comprehensive "
            "consideration of concomitant medications metabolized predominantly by CYP3A.")
    assert grade(plain) < 4 < MAX_PASSAGE_GRADE < grade(hard)


@pytest.mark.parametrize("doc", DOCS, ids=[d.id for d in DOCS])
def test_each_document_reads_at_grade_eight_or_below(doc) -> None:  # type: ignore[no-untyped-def]
    grades = {f"{doc.id}#{p.n}": grade(p.text) for p in doc.paragraphs}
    too_hard = {pid: g for pid, g in grades.items() if g > MAX_PASSAGE_GRADE}
    assert too_hard == {}, f"passages over grade {MAX_PASSAGE_GRADE}"
    assert statistics.mean(grades.values()) <= MAX_MEAN_GRADE


def inflesz(text: str) -> float:
    """Szigriszt-Pazos readability with Spanish syllable counts (textstat's language is a
    module-wide setting: set for this call only)."""
    textstat.set_lang("es")
    try:
        return float(textstat.szigriszt_pazos(_CITES.sub("", text).strip()))
    finally:
        textstat.set_lang("en_US")


def test_the_spanish_score_tracks_harder_wording() -> None:
    plain = "El kratom viene de un árbol. El árbol crece en Asia. Hay gente que usa sus hojas."
    hard = ("Las interacciones farmacocinéticas atribuibles a la mitraginina requieren una "
            "consideración exhaustiva de los medicamentos concomitantes metabolizados.")
    assert inflesz(hard) < MIN_PASSAGE_INFLESZ < MIN_MEAN_INFLESZ < inflesz(plain)


def test_there_are_spanish_documents() -> None:
    assert len(SPANISH) >= 12


@pytest.mark.parametrize("doc", SPANISH, ids=[d.id for d in SPANISH])
def test_each_spanish_document_reads_plainly(doc) -> None:  # type: ignore[no-untyped-def]
    scores = {f"{doc.id}#{p.n}": inflesz(p.text) for p in doc.paragraphs}
    too_hard = {pid: s for pid, s in scores.items() if s < MIN_PASSAGE_INFLESZ}
    assert too_hard == {}, f"passages under {MIN_PASSAGE_INFLESZ}"
    assert statistics.mean(scores.values()) >= MIN_MEAN_INFLESZ
