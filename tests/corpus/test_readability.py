"""Plain words: every document's passages average Flesch-Kincaid grade 8 or below, none over 10.

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
DOCS = [parse_document(path)[0] for path in corpus_files(CORPUS_DIR)]


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
