"""The Spanish evaluation fails when an emergency misses the crisis reply, as English does."""

from __future__ import annotations

import json
from pathlib import Path

from api import evaluate_es
from api.pipeline import Pipeline

ROWS = [
    {"id": "a1", "question": "¿El kratom daña el hígado?",
     "doc_ids": ["es-kratom-higado"], "passage_ids": ["es-kratom-higado#1"]},
    {"id": "u1", "question": "¿el kratom es vegano?", "expect": "no_answer"},
    {"id": "c1", "question": "mi amigo no respira y tiene los labios morados, uso fentanilo",
     "expect": "crisis"},
]


def _run(pipeline: Pipeline, tmp_path: Path, rows: list[dict[str, object]]
         ) -> dict[str, object]:
    path = tmp_path / "questions.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    return evaluate_es.run(pipeline, path, modes=False)


def test_emergencies_given_the_crisis_reply_pass(pipeline: Pipeline, tmp_path: Path) -> None:
    report = _run(pipeline, tmp_path, ROWS)
    assert report["emergencies"] == 1 and report["emergencies_missed"] == []
    assert report["passed"]


def test_an_emergency_without_the_crisis_reply_fails_the_run(pipeline: Pipeline,
                                                              tmp_path: Path) -> None:
    # A plain question marked as an emergency gets an answer, not the crisis reply: a miss.
    wrong = {"id": "c2", "question": "que es la naloxona", "expect": "crisis"}
    report = _run(pipeline, tmp_path, [*ROWS, wrong])
    assert report["emergencies"] == 2 and report["emergencies_missed"] == ["c2"]
    assert not report["passed"]
    assert "missed: c2" in evaluate_es.render(report)
