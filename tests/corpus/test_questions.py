"""Question lines and the labelled questions (every part of corpus/questions/) stay consistent
with the corpus."""

from __future__ import annotations

import json
import re

from corpus.load import CORPUS_DIR, QUESTIONS_DIR, corpus_files, parse_document

MIN_QUESTIONS = 5
DOCS = [parse_document(path)[0] for path in corpus_files(CORPUS_DIR)]
LABELLED = [json.loads(line) for part in sorted(QUESTIONS_DIR.glob("*.jsonl"))
            for line in part.read_text().splitlines() if line.strip()]


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def test_every_passage_has_enough_question_lines() -> None:
    short = {f"{d.id}#{p.n}": len(p.questions) for d in DOCS for p in d.paragraphs
             if len(p.questions) < MIN_QUESTIONS}
    assert short == {}


def test_no_question_line_copies_a_held_out_question() -> None:
    held_out = {_norm(q["question"]): q["id"] for q in LABELLED}
    copied = {q: held_out[_norm(q)] for d in DOCS for p in d.paragraphs for q in p.questions
              if _norm(q) in held_out}
    assert copied == {}


def test_labelled_ids_name_existing_documents_and_passages() -> None:
    docs = {d.id for d in DOCS}
    passages = {f"{d.id}#{p.n}" for d in DOCS for p in d.paragraphs}
    unknown = [(q["id"], x) for q in LABELLED for x in q.get("doc_ids", []) if x not in docs]
    unknown += [(q["id"], x) for q in LABELLED for x in q.get("passage_ids", [])
                if x not in passages]
    assert unknown == []
    for q in LABELLED:  # a labelled passage belongs to one of the labelled documents
        assert {x.split("#")[0] for x in q.get("passage_ids", [])} <= set(q.get("doc_ids", []))


def test_parts_do_not_share_a_question_or_an_id() -> None:
    texts = [_norm(q["question"]) for q in LABELLED]
    ids = [q["id"] for q in LABELLED]
    assert len(set(ids)) == len(ids)
    assert len(set(texts)) == len(texts)
