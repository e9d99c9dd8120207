"""Spanish documents: each names its English document; corpus check warns when a pair's
reviews drift; the Spanish rules for dangling openings and dose-like amounts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from corpus.load import CORPUS_DIR, corpus_files, parse_document
from corpus.validate import PAIR_DRIFT_DAYS, check_corpus
from index.spanish import QUESTIONS_FILE
from tests.corpus.test_validate import GOOD, TODAY, write

SPANISH = """\
---
id: {id}
title: Un buen documento
language: es
{translation}topics: [kratom-basics]
summary: Un documento de prueba.
sources:
  - key: nida-kratom
    title: Kratom
    publisher: National Institute on Drug Abuse
    url: https://nida.nih.gov/research-topics/kratom
    accessed: 2026-11-25
reviewed_by: Content editor (source check)
reviewed_on: {reviewed}
review_due: 2027-05-20
---

# Un buen documento

## Sección

{text} [^nida-kratom]
Q: que es el kratom
"""
PLAIN = "El kratom viene de un árbol que crece en el sudeste de Asia."


def spanish(folder: Path, translation: str | None = "good", reviewed: str = "2026-11-20",
            text: str = PLAIN) -> None:
    line = f"translation_of: {translation}\n" if translation else ""
    write(folder, "es-good", SPANISH.format(id="es-good", translation=line, reviewed=reviewed,
                                            text=text))


def problems(folder: Path) -> list[tuple[str, str, str]]:
    _docs, found = check_corpus(folder, today=TODAY)
    return [(p.path.name, p.severity, p.message) for p in found]


def test_a_spanish_document_naming_its_english_one_passes(tmp_path: Path) -> None:
    write(tmp_path, "good", GOOD.format(id="good"))
    spanish(tmp_path)
    assert problems(tmp_path) == []


def test_a_spanish_document_must_name_an_english_document(tmp_path: Path) -> None:
    write(tmp_path, "good", GOOD.format(id="good"))
    spanish(tmp_path, translation=None)
    assert [(n, s) for n, s, m in problems(tmp_path) if "translation_of" in m] == [
        ("es-good.md", "error")]
    spanish(tmp_path, translation="missing-doc")
    assert any("'missing-doc'" in m and s == "error" for _n, s, m in problems(tmp_path))


def test_a_translation_reviewed_before_its_english_document_is_warned(tmp_path: Path) -> None:
    write(tmp_path, "good", GOOD.format(id="good"))  # reviewed 2026-11-20
    spanish(tmp_path, reviewed="2026-11-01")
    found = problems(tmp_path)
    assert [(n, s) for n, s, _m in found] == [("es-good.md", "warning")]
    assert "review this document against it" in found[0][2]


def test_review_dates_drifting_apart_are_warned(tmp_path: Path) -> None:
    write(tmp_path, "good", GOOD.format(id="good").replace("reviewed_on: 2026-11-20",
                                                           "reviewed_on: 2026-06-01"))
    late = dt.date(2026, 6, 1) + dt.timedelta(days=PAIR_DRIFT_DAYS + 1)
    spanish(tmp_path, reviewed=late.isoformat())
    found = problems(tmp_path)
    assert [(n, s) for n, s, _m in found] == [("good.md", "warning")]
    spanish(tmp_path, reviewed="2026-06-20")
    assert problems(tmp_path) == []


def test_spanish_passages_get_the_spanish_rules(tmp_path: Path) -> None:
    write(tmp_path, "good", GOOD.format(id="good"))
    spanish(tmp_path, text="Además, el kratom viene de un árbol.")
    assert any("Además" in m for _n, _s, m in problems(tmp_path))
    spanish(tmp_path, text="Algunas personas toman dos gramos de kratom.")
    assert any("dos gramos" in m for _n, _s, m in problems(tmp_path))


DOCS = [parse_document(path)[0] for path in corpus_files(CORPUS_DIR)]
ES = [d for d in DOCS if d.meta.get("language") == "es"]


def test_the_spanish_corpus_covers_the_issue_topics() -> None:
    english = {d.id for d in DOCS if d.meta.get("language") == "en"}
    pairs = {d.meta["translation_of"] for d in ES}
    assert len(ES) >= 12 and pairs <= english
    for topic in ("opioid-withdrawal-symptoms-timeline", "opioid-withdrawal-dangers",
                  "opioid-overdose-signs", "naloxone-overdose-reversal",
                  "medications-for-opioid-use-disorder", "kratom-what-it-is",
                  "kratom-liver-injury", "kratom-dependence-withdrawal",
                  "kratom-us-legal-status", "liver-injury-warning-signs",
                  "talking-to-clinician-about-kratom", "getting-help-us"):
        assert topic in pairs, topic


def test_the_spanish_development_set_names_real_passages() -> None:
    rows = [json.loads(line) for line in QUESTIONS_FILE.read_text().splitlines() if line]
    passages = {f"{d.id}#{p.n}" for d in DOCS for p in d.paragraphs}
    assert len(rows) >= 160 and sum(r.get("expect") == "no_answer" for r in rows) >= 30
    for r in rows:
        assert set(r.get("passage_ids", [])) <= passages, r["id"]
        assert {x.split("#")[0] for x in r.get("passage_ids", [])} <= set(r.get("doc_ids", []))
        assert r.get("source_lang", "es") == "es" or all(
            not x.startswith("es-") for x in r["passage_ids"])
    questions = {q.lower() for d in ES for p in d.paragraphs for q in p.questions}
    assert [r["id"] for r in rows if r["question"].lower() in questions] == []
