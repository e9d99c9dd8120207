"""Over the whole labelled set (every part of corpus/questions/), through the real pipeline:
every quoted passage is verbatim corpus text, and no answer mixes passages from unrelated
documents.

"Related" is read from the corpus itself, not from the index: two documents are related when
their front matter shares a topic, or when corpus/scope.yaml links them (`related:`). An
answer's further passages must come from documents related to its first passage's document.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from api.evaluate import load_questions
from api.pipeline import Pipeline
from corpus.load import CORPUS_DIR, QUESTIONS_DIR, corpus_files, parse_document

DOCS = {d.id: d for d in (parse_document(p)[0] for p in corpus_files(CORPUS_DIR))}
RAW = {d.id: re.sub(r"\s+", " ", d.path.read_text(encoding="utf-8")) for d in DOCS.values()}
PARTS = sorted(QUESTIONS_DIR.glob("*.jsonl"))


def related(a: str, b: str) -> bool:
    if a == b or set(DOCS[a].meta.get("topics") or ()) & set(DOCS[b].meta.get("topics") or ()):
        return True
    links = yaml.safe_load((CORPUS_DIR.parent / "scope.yaml").read_text(encoding="utf-8"))
    return any({a, b} == {x, y} for x, y in links.get("related") or [])


@pytest.fixture(scope="module")
def results(pipeline: Pipeline) -> list[tuple[str, object]]:
    questions = [q["question"] for part in PARTS for q in load_questions(Path(part))]
    assert len(questions) >= 900
    return [(q, pipeline.answer(q)) for q in questions]


def test_every_quoted_passage_is_verbatim_corpus_text(results: list) -> None:
    quoted = 0
    for question, result in results:
        for p in result.passages:
            doc_id, n = p.id.split("#")
            paragraph = DOCS[doc_id].paragraphs[int(n) - 1]
            assert p.text == paragraph.text, (question, p.id)
            assert p.text in RAW[doc_id], (question, p.id)  # as written in the file
            assert "".join(s.text for s in p.sentences).replace(" ", "") == p.text.replace(
                " ", ""), (question, p.id)  # the sentences are the passage, whole
            quoted += 1
        if result.kind == "answer":
            assert result.answer == "\n\n".join(p.text for p in result.passages)
    assert quoted >= 700


def test_no_answer_mixes_unrelated_documents(results: list) -> None:
    several = 0
    for question, result in results:
        docs = [p.doc_id for p in result.passages]
        if len(set(docs)) > 1:
            several += 1
        unrelated = [d for d in docs[1:] if not related(docs[0], d)]
        assert unrelated == [], (question, docs)
    assert several  # the check saw answers that quote more than one document's passages


def test_emergencies_are_counted_apart_and_must_get_the_crisis_reply(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    """`expect: crisis` rows are neither answerable nor unanswerable; a miss fails the report."""
    from api.evaluate import answers

    rows = [
        {"id": "e1", "question": "my dad is passed out and not breathing, what do i do",
         "passage_ids": ["opioid-overdose-signs#1"], "expect": "crisis"},
        {"id": "e2", "question": "what is kratom", "passage_ids": ["kratom-what-it-is#1"],
         "expect": "crisis"},  # mislabelled on purpose: it gets an answer, not the crisis
        {"id": "a1", "question": "what is kratom", "passage_ids": ["kratom-what-it-is#1"]},
    ]
    path = tmp_path / "part.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    report = answers(pipeline, path)
    assert report["answerable"] == 1 and report["unanswerable"] == 0
    assert report["emergencies"] == 2 and report["emergencies_missed"] == ["e2"]
    assert not report["passed"]
