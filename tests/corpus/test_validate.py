from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from corpus.validate import DOSE_LIKE, CorpusError, add_months, check_corpus, load_corpus

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


@pytest.mark.parametrize("opening", [
    "This tree grows in Southeast Asia.",
    "These leaves come from a tree.",
    "It grows in Southeast Asia.",
    "They grow in Southeast Asia.",
    "The review found that kratom comes from a tree.",
    "The researchers say kratom comes from a tree.",
    "The Helpline says kratom comes from a tree.",
    "In that survey, people said kratom comes from a tree.",
    "In the same survey, people said kratom comes from a tree.",
    "However, kratom comes from a tree.",
    "Another case describes a tree.",
])
def test_a_passage_may_not_open_by_pointing_at_another(tmp_path: Path, opening: str) -> None:
    text = GOOD.format(id="opens").replace(
        "Kratom comes from a tree that grows in Southeast Asia.", opening)
    path = write(tmp_path, "opens", text)
    first = " ".join(opening.split()[:3]).rstrip(",")
    assert messages(tmp_path) == [
        f"{path}:22: paragraph opens with '{first}', which points at another passage: "
        "name the subject so the passage reads alone"
    ]


@pytest.mark.parametrize("opening", [
    "Itching can be a sign of liver injury.",
    "Thailand removed kratom from its narcotics list.",
    "The FDA says kratom comes from a tree.",
    "The 2017 online survey asked kratom users about a tree.",
    "In the 2018 outbreak, kratom came from a tree.",
    "Theories about kratom differ.",
])
def test_a_passage_that_names_its_subject_passes(tmp_path: Path, opening: str) -> None:
    text = GOOD.format(id="names").replace(
        "Kratom comes from a tree that grows in Southeast Asia.", opening)
    write(tmp_path, "names", text)
    assert messages(tmp_path) == []


def test_fast_changing_topics_must_be_volatile(tmp_path: Path) -> None:
    text = GOOD.format(id="law").replace("topics: [kratom-basics]",
                                         "topics: [kratom-basics, kratom-regulation]")
    path = write(tmp_path, "law", text)
    assert messages(tmp_path) == [
        f"{path}:5: a document on legal status (topic 'kratom-regulation') must carry "
        "'volatile: true'"
    ]
    write(tmp_path, "law", text.replace("summary:", "volatile: true\nsummary:"))
    assert messages(tmp_path) == []


def test_a_volatile_document_is_reviewed_within_six_months(tmp_path: Path) -> None:
    text = GOOD.format(id="fast").replace("summary:", "volatile: true\nsummary:")
    write(tmp_path, "fast", text)  # reviewed 2026-11-20, due 2027-05-20: exactly six months
    assert messages(tmp_path) == []
    path = write(tmp_path, "fast", text.replace("review_due: 2027-05-20",
                                                "review_due: 2027-05-21"))
    assert messages(tmp_path) == [
        f"{path}:16: a volatile document is reviewed within 6 months: 'review_due' must be "
        "on or before 2027-05-20"
    ]
    path = write(tmp_path, "fast", text.replace("volatile: true", "volatile: soon"))
    assert messages(tmp_path) == [f"{path}:6: 'volatile' must be true or false"]


def test_add_months_keeps_the_day_or_takes_the_last_of_the_month() -> None:
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 12, 1), 6) == dt.date(2027, 6, 1)
    assert add_months(dt.date(2027, 8, 31), 6) == dt.date(2028, 2, 29)
