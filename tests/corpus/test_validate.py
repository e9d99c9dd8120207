from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from corpus.validate import DOSE_LIKE, CorpusError, check_corpus, load_corpus

TODAY = dt.date(2026, 11, 25)

GOOD = """\
---
id: {id}
title: A good document
language: en
topics: [kratom-basics]
summary: A test document.
sources:
  - key: nida-kratom
    title: Kratom
    publisher: National Institute on Drug Abuse
    url: https://nida.nih.gov/research-topics/kratom
    accessed: 2026-11-25
reviewed_by: Content editor (source check)
reviewed_on: 2026-11-20
review_due: 2027-05-20
---

# A good document

## Section

Kratom comes from a tree that grows in Southeast Asia. [^nida-kratom]
Q: what is kratom
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.md"
    path.write_text(textwrap.dedent(text))
    return path


def messages(folder: Path, **kwargs: object) -> list[str]:
    _docs, problems = check_corpus(folder, today=TODAY, **kwargs)  # type: ignore[arg-type]
    return [str(p) for p in problems]


def test_the_shipped_corpus_has_no_problems() -> None:
    docs, problems = check_corpus()
    assert docs, "the corpus ships documents"
    assert [str(p) for p in problems] == []


def test_a_good_document_passes(tmp_path: Path) -> None:
    write(tmp_path, "good", GOOD.format(id="good"))
    assert messages(tmp_path) == []


def test_missing_and_malformed_fields_name_file_and_line(tmp_path: Path) -> None:
    text = GOOD.format(id="Bad_Id").replace("language: en\n", "").replace(
        "review_due: 2027-05-20", "review_due: someday")
    path = write(tmp_path, "bad", text)
    found = messages(tmp_path)
    assert f"{path}:1: missing field 'language'" in found
    assert f"{path}:2: 'id' must be lowercase letters, digits and hyphens" in found
    assert any(m.startswith(f"{path}:14: 'review_due' must be a date") for m in found)


def test_paragraph_without_citation_and_unknown_key(tmp_path: Path) -> None:
    text = GOOD.format(id="cites") + "\nA paragraph with no citation.\n\nAnother one. [^nobody]\n"
    path = write(tmp_path, "cites", text)
    found = messages(tmp_path)
    assert f"{path}:25: paragraph has no citation (end it with [^key])" in found
    assert f"{path}:27: unknown source key 'nobody'" in found


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    write(tmp_path, "one", GOOD.format(id="one"))
    second = write(tmp_path, "two", GOOD.format(id="one"))
    found = messages(tmp_path)
    assert any(m.startswith(f"{second}:2: duplicate id 'one'") for m in found)


def test_overdue_review_is_an_error_unless_allowed(tmp_path: Path) -> None:
    text = GOOD.format(id="old").replace("2027-05-20", "2026-01-01").replace(
        "reviewed_on: 2026-11-20", "reviewed_on: 2025-06-01")
    path = write(tmp_path, "old", text)
    assert any(m.startswith(f"{path}:15: review was due on 2026-01-01") for m in messages(tmp_path))
    relaxed = messages(tmp_path, allow_overdue=True)
    assert relaxed == [f"{path}:15: warning: review was due on 2026-01-01"]


@pytest.mark.parametrize(
    "amount",
    ["5 g", "2 grams", "10mg", "0.5 ml", "two tablets", "3 capsules", "a half teaspoon",
     "4-6 g", "1 tsp", "30 mg"],
)
def test_dose_like_amounts_are_rejected_unless_marked(tmp_path: Path, amount: str) -> None:
    body = f"\nSome people take {amount} of it. [^nida-kratom]\n"
    path = write(tmp_path, "dose", GOOD.format(id="dose") + body)
    assert any(f"{path}:25: dose-like amount" in m for m in messages(tmp_path))
    marked = body + "Factual-report: an amount measured in a published study, not advice\n"
    write(tmp_path, "dose", GOOD.format(id="dose") + marked)
    assert messages(tmp_path) == []


@pytest.mark.parametrize(
    "text",
    ["In 2018, 199 people got sick in 41 states.", "About 38% were in hospital.",
     "Symptoms began 2 to 49 days after starting.", "Call 1-800-662-4357.", "Gummies are sold."],
)
def test_counts_dates_and_phone_numbers_are_not_doses(text: str) -> None:
    assert DOSE_LIKE.search(text) is None


def test_load_corpus_raises_with_every_error(tmp_path: Path) -> None:
    write(tmp_path, "nocite", GOOD.format(id="nocite").replace(" [^nida-kratom]", ""))
    with pytest.raises(CorpusError) as info:
        load_corpus(tmp_path)
    assert "paragraph has no citation" in str(info.value)


def test_prose_only_and_question_lines_must_follow_a_paragraph(tmp_path: Path) -> None:
    text = GOOD.format(id="shape") + "\n- a list item [^nida-kratom]\n\nQ: orphan question\n"
    path = write(tmp_path, "shape", text)
    found = messages(tmp_path)
    assert f"{path}:25: write prose: lists, tables, quotes and HTML are not passages" in found
    orphan = "'Q:'/'Factual-report:' lines must sit directly under their paragraph"
    assert f"{path}:27: {orphan}" in found


def test_same_source_key_must_match_across_documents(tmp_path: Path) -> None:
    write(tmp_path, "a", GOOD.format(id="a"))
    other = write(tmp_path, "b", GOOD.format(id="b").replace("title: Kratom\n", "title: Other\n"))
    assert any(m.startswith(f"{other}:7: source 'nida-kratom' differs") for m in messages(tmp_path))
