"""index/spelling.py over the real corpus and the embedding model's word list."""

from __future__ import annotations

from functools import cache

from corpus.load import CORPUS_DIR, corpus_files, parse_document
from index.spelling import Speller, distance, english_words


@cache
def speller() -> Speller:
    texts = [" ".join((p.text, *p.questions)) for path in corpus_files(CORPUS_DIR)
             for p in parse_document(path)[0].paragraphs]
    return Speller(texts, english_words())


def test_distance_counts_one_edit_per_insertion_deletion_change_or_swap() -> None:
    assert distance("kratom", "kratom") == 0
    assert distance("kratum", "kratom") == 1  # a change
    assert distance("xannax", "xanax") == 1  # an extra letter
    assert distance("seizrues", "seizures") == 1  # two letters swapped
    assert distance("perscription", "prescription") == 1
    assert distance("metadne", "methadone") == 2


def test_misspelt_words_get_the_corpus_word() -> None:
    s = speller()
    assert s.correction("kratum") == "kratom"
    assert s.correction("symptons") == "symptoms"
    assert s.correction("nalaxone") == "naloxone"
    assert s.expand("is kratum legal") == "is kratum kratom legal"


def test_real_words_inflections_and_short_words_are_left_alone() -> None:
    s = speller()
    # Real English words one edit from a corpus word are not typos of it.
    for word in ("dogs", "thing", "heard", "fine"):
        assert s.correction(word) is None, word
    assert s.correction("relapsed") is None  # "relapse" is in the corpus: same stem
    assert s.correction("nicu") is None  # too short to guess
    assert s.correction("withdrawal") is None  # known
    assert s.expand("what does the fda say") == "what does the fda say"
