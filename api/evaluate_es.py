"""Spanish evaluation: retrieval by mode, then whole answers through the real pipeline.

`clearpath eval --lang es` runs it on corpus/questions_es.jsonl (the development part) or on
`--questions FILE` (the test part, corpus/questions_es_test.jsonl). Rows are in the format of
corpus/questions.jsonl; a row whose passages are English ones carries `"source_lang": "en"`
(the Spanish corpus does not cover it, the English one does).

Figures (the issue's bars in brackets):
- answer@1: the first quoted passage is a labelled one, over answerable questions [0.85];
- answered: answerable questions that got an answer [0.90];
- declined: unanswerable questions that got no answer [0.80];
- emergencies: questions describing an emergency now (`expect: crisis`) must get the crisis
  reply, or the run fails, as in English (`api.evaluate.missed_emergencies`); they count in
  neither share;
- retrieval recall@1/3/5 of the Spanish index by mode, and of the English model (MiniLM)
  on the Spanish passages, alone and fused with BM25, for comparison;
- per-question time of Spanish answers (whole pipeline, guard included), p50 and p95.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np

from api.evaluate import missed_emergencies
from api.pipeline import Pipeline
from index import spanish as es

QUESTIONS_FILE = Path(__file__).parent.parent / "corpus" / "questions_es.jsonl"
BARS = {"answer_at_1": 0.85, "answered": 0.90, "declined": 0.80}
KS = (1, 3, 5)


def load(path: Path | None = None) -> list[dict[str, Any]]:
    path = path or QUESTIONS_FILE
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _recall(ranks: list[int | None]) -> dict[str, float]:
    n = max(len(ranks), 1)
    out = {f"recall@{k}": round(sum(r is not None and r < k for r in ranks) / n, 3) for k in KS}
    out["mrr"] = round(sum(1 / (r + 1) for r in ranks if r is not None) / n, 3)
    return out


def _rank(ids: list[str], wanted: set[str]) -> int | None:
    return next((i for i, x in enumerate(ids) if x in wanted), None)


def retrieval(pipeline: Pipeline, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Recall of the Spanish passages, by ranking."""
    spanish = pipeline.spanish
    assert spanish is not None
    labelled = [r for r in rows if r.get("passage_ids") and r.get("source_lang", "es") == "es"]
    if not labelled:
        return {}
    e5_vectors = [spanish.embed(r["question"]) for r in labelled]
    report: dict[str, Any] = {}
    for mode in ("dense", "lexical", "hybrid"):
        ranks = [_rank([h.passage_id for h in spanish.search(
            r["question"], v, k=10, mode=mode).hits], set(r["passage_ids"]))  # type: ignore[arg-type]
            for r, v in zip(labelled, e5_vectors, strict=True)]
        report[f"e5 {mode}" if mode != "lexical" else "bm25-es"] = _recall(ranks)
    # The English model on the Spanish passages and Q: lines, alone and fused with BM25-es.
    index = spanish.index
    texts = [(row, t) for row, p in enumerate(index.passages) for t in (p.context, *p.questions)]
    mini = pipeline.embedder.encode([t for _, t in texts])
    owner = np.asarray([row for row, _ in texts])
    questions = pipeline.embedder.encode([r["question"] for r in labelled])
    for name, weight in (("minilm dense", None), ("minilm + bm25-es", es.LEXICAL_WEIGHT)):
        ranks = []
        for r, qv in zip(labelled, questions, strict=True):
            sims = mini @ qv
            dense: dict[int, float] = {}
            for row, s in zip(owner.tolist(), sims.tolist(), strict=True):
                dense[row] = max(dense.get(row, -1.0), s)
            if weight is not None:
                terms = es.tokens(es.query_terms().expand(r["question"]))
                scores = index.lexical.get_scores(terms) if terms else np.zeros(len(dense))
                top = float(scores.max()) or 1.0
                dense = {row: s + weight * float(scores[row]) / top for row, s in dense.items()}
            ranked = sorted(dense, key=lambda x: -dense[x])[:10]
            ranks.append(_rank([index.passages[x].id for x in ranked], set(r["passage_ids"])))
        report[name] = _recall(ranks)
    return report


def run(pipeline: Pipeline, path: Path | None = None, *, modes: bool = True) -> dict[str, Any]:
    rows = load(path)
    answerable = [r for r in rows if r.get("passage_ids") and r.get("expect") != "crisis"]
    unanswerable = [r for r in rows if r.get("expect") == "no_answer"]
    emergencies, emergency_missed = missed_emergencies(pipeline, rows)
    timings: list[float] = []
    first_right = answered = english_notes = 0
    misses: list[dict[str, Any]] = []
    for r in answerable:
        started = time.perf_counter()
        result = pipeline.answer(r["question"])
        timings.append(time.perf_counter() - started)
        got = result.passages[0].id if result.passages else None
        answered += result.kind == "answer"
        english_notes += result.note == "source_in_english"
        ok = got in r["passage_ids"]
        first_right += ok
        if not ok:
            misses.append({"id": r["id"], "kind": result.kind, "got": got,
                           "want": r["passage_ids"][:2]})
    declined = 0
    wrongly: list[dict[str, Any]] = []
    for r in unanswerable:
        started = time.perf_counter()
        result = pipeline.answer(r["question"])
        timings.append(time.perf_counter() - started)
        if result.kind != "answer":
            declined += 1
        else:
            wrongly.append({"id": r["id"], "got": result.passages[0].id,
                            "english": result.note == "source_in_english"})
    n_a, n_u = max(len(answerable), 1), max(len(unanswerable), 1)
    ms = sorted(t * 1000 for t in timings)
    figures = {
        "answer_at_1": round(first_right / n_a, 3),
        "answered": round(answered / n_a, 3),
        "declined": round(declined / n_u, 3),
    }
    report: dict[str, Any] = {
        "file": str(path or QUESTIONS_FILE),
        "questions": len(answerable),
        "english_labelled": sum(r.get("source_lang") == "en" for r in answerable),
        "unanswerable_questions": len(unanswerable),
        **figures,
        "answered_from_english": english_notes,
        "emergencies": emergencies, "emergencies_missed": emergency_missed,
        "ms_p50": round(statistics.median(ms), 1) if ms else None,
        "ms_p95": round(ms[int(0.95 * (len(ms) - 1))], 1) if ms else None,
        "bars": BARS,
        "passed": all(figures[k] >= v for k, v in BARS.items()) and not emergency_missed,
        "misses": misses,
        "answered_unanswerable": wrongly,
    }
    if modes:
        report["retrieval"] = retrieval(pipeline, rows)
    return report


def render(report: dict[str, Any]) -> str:
    lines = [f"Spanish questions: {report['file']}",
             f"  {report['questions']} answerable ({report['english_labelled']} labelled with "
             f"English passages), {report['unanswerable_questions']} unanswerable"]
    for key, bar in BARS.items():
        mark = "ok" if report[key] >= bar else "BELOW"
        lines.append(f"  {key:<12} {report[key]:.3f}  (bar {bar:.2f}, {mark})")
    lines.append(f"  answered from an English passage: {report['answered_from_english']}")
    if report["emergencies"]:
        lines.append(f"  emergencies given the crisis reply: "
                     f"{report['emergencies'] - len(report['emergencies_missed'])} of "
                     f"{report['emergencies']}"
                     + (f" (missed: {', '.join(report['emergencies_missed'])})"
                        if report["emergencies_missed"] else ""))
    lines.append(f"  time per question: p50 {report['ms_p50']} ms, p95 {report['ms_p95']} ms")
    for name, figures in (report.get("retrieval") or {}).items():
        lines.append(f"  retrieval {name:<18} " + "  ".join(
            f"{k} {v:.3f}" for k, v in figures.items()))
    if report["misses"]:
        lines.append(f"  misses ({len(report['misses'])}): " + "; ".join(
            f"{m['id']} {m['kind']} got {m['got']}" for m in report["misses"]))
    if report["answered_unanswerable"]:
        lines.append("  unanswerable but answered: " + "; ".join(
            f"{m['id']} -> {m['got']}{' (en)' if m['english'] else ''}"
            for m in report["answered_unanswerable"]))
    return "\n".join(lines)
