from __future__ import annotations

from pathlib import Path

from corpus.load import parse_document
from index.chunk import chunk, split_sentences


def test_split_sentences_keeps_text_verbatim() -> None:
    text = ('Kratom is a tree. Its leaves contain "mitragynine." 7-OH is stronger? '
            "Yes! In 2018, 199 people got sick.")
    parts = split_sentences(text)
    assert parts == ["Kratom is a tree.", 'Its leaves contain "mitragynine."',
                     "7-OH is stronger?", "Yes!", "In 2018, 199 people got sick."]
    assert " ".join(parts) == text


def test_split_does_not_break_inside_numbers_or_lowercase() -> None:
    assert split_sentences("Levels rose 2.5 times. then fell.") == [
        "Levels rose 2.5 times. then fell."]


def test_chunk_keeps_heading_path_citations_and_questions(tmp_path: Path) -> None:
    path = tmp_path / "doc.md"
    path.write_text(
        "---\nid: doc\ntitle: Doc title\n---\n\n# Doc title\n\n## Part one\n\n"
        "First para. Second sentence. [^a] [^b]\nQ: what is it\nQ: and why\n\n"
        "### Deeper\n\nThird. [^a]\n\n## Part two\n\nFourth. [^b]\n"
    )
    doc, problems = parse_document(path)
    assert problems == []
    passages = chunk(doc)
    assert [p.id for p in passages] == ["doc#1", "doc#2", "doc#3"]
    first, second, third = passages
    assert first.heading_path == ("Doc title", "Part one")
    assert first.citations == ("a", "b")
    assert first.questions == ("what is it", "and why")
    assert first.sentences == ("First para.", "Second sentence.")
    assert second.heading_path == ("Doc title", "Part one", "Deeper")
    assert third.heading_path == ("Doc title", "Part two")
    assert first.context == "Doc title > Part one: First para. Second sentence."
