"""Retrieval evaluation over the labelled question set: recall@k, MRR, no-answer accuracy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from api import responses
from api.pipeline import Pipeline
from corpus.load import QUESTIONS_FILE
from index.search import Searcher

KS = (1, 3, 5)
MODES = ("dense", "lexical", "hybrid")
MIN_RECALL_AT_3 = 0.95  # the corpus issue's bar, on documents


def load_questions(path: Path | None = None) -> list[dict[str, Any]]:
    path = path or QUESTIONS_FILE
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _first_rank(ranked: list[str], wanted: set[str]) -> int | None:
    return next((i for i, item in enumerate(ranked) if item in wanted), None)


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def run(pipeline: Pipeline, path: Path | None = None) -> dict[str, Any]:
    questions = load_questions(path)
    answerable = [q for q in questions if q.get("passage_ids") or q.get("doc_ids")]
    unanswerable = [q for q in questions if q.get("expect") == "no_answer"]
    vectors = pipeline.embedder.encode([q["question"] for q in answerable])
    modes: dict[str, Any] = {}
    top_scores: list[float] = []
    for mode in MODES:
        searcher = Searcher(pipeline.store, pipeline.embedder, mode)  # type: ignore[arg-type]
        region = responses.normalise_region(pipeline.settings.region)
        doc_ranks: list[int | None] = []
        passage_ranks: list[int | None] = []
        for q, vector in zip(answerable, vectors, strict=True):
            hits = searcher.search(q["question"], k=10, query_vector=vector, region=region).hits
            if mode == pipeline.settings.retrieval:
                top_scores.append(hits[0].dense if hits else 0.0)
            docs = _unique([h.passage_id.split("#")[0] for h in hits])
            doc_ranks.append(_first_rank(docs, set(q.get("doc_ids") or [])))
            if q.get("passage_ids"):
                passage_ranks.append(
                    _first_rank([h.passage_id for h in hits], set(q["passage_ids"]))
                )
        modes[mode] = {"documents": _metrics(doc_ranks), "passages": _metrics(passage_ranks)}

    outcomes = {"answer": 0, "other": 0}
    first_right = labelled = 0
    for q in answerable:
        result = pipeline.answer(q["question"])
        outcomes["answer" if result.kind == "answer" else "other"] += 1
        if q.get("passage_ids"):
            labelled += 1
            first_right += bool(result.passages) and result.passages[0].id in q["passage_ids"]
    unanswered = [pipeline.answer(q["question"]) for q in unanswerable]
    unanswerable_scores = [
        pipeline.searcher.search(q["question"], k=1).hits[0].dense for q in unanswerable
    ]
    used = modes[pipeline.settings.retrieval]["documents"]
    return {
        "questions": len(answerable),
        "unanswerable_questions": len(unanswerable),
        "retrieval": pipeline.settings.retrieval,
        "model": pipeline.store.manifest.model_name,
        "modes": modes,
        "answered_rate": round(outcomes["answer"] / max(1, len(answerable)), 3),
        "answer_at_1": round(first_right / max(1, labelled), 3),
        "no_answer_rate_on_unanswerable": round(
            sum(r.kind == "no_answer" for r in unanswered) / max(1, len(unanswered)), 3
        ),
        "threshold": pipeline.settings.answer_threshold,
        "top_score_answerable": _spread(top_scores),
        "top_score_unanswerable": _spread(unanswerable_scores),
        "passed": used["recall@3"] >= MIN_RECALL_AT_3,
        "bar": {"documents recall@3": MIN_RECALL_AT_3},
    }


def _metrics(ranks: list[int | None]) -> dict[str, float]:
    n = max(1, len(ranks))
    out = {f"recall@{k}": round(sum(r is not None and r < k for r in ranks) / n, 3) for k in KS}
    out["mrr"] = round(sum(1 / (r + 1) for r in ranks if r is not None and r < 10) / n, 3)
    return out


def _spread(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    arr = np.asarray(values)
    return {name: round(float(np.percentile(arr, p)), 3)
            for name, p in (("min", 0), ("p10", 10), ("p50", 50), ("p90", 90), ("max", 100))}


def render(report: dict[str, Any]) -> str:
    lines = [
        f"{report['questions']} answerable questions, {report['unanswerable_questions']} "
        f"unanswerable; model {report['model']}; retrieval in use: {report['retrieval']}",
        "",
        f"{'mode':8} {'level':9} {'R@1':>6} {'R@3':>6} {'R@5':>6} {'MRR':>6}",
    ]
    for mode, levels in report["modes"].items():
        for level, m in levels.items():
            lines.append(f"{mode:8} {level:9} {m['recall@1']:6.3f} {m['recall@3']:6.3f} "
                         f"{m['recall@5']:6.3f} {m['mrr']:6.3f}")
    lines += [
        "",
        f"answered (kind=answer) on answerable questions: {report['answered_rate']:.3f}",
        f"answer@1 (the first quoted passage is a labelled one): {report['answer_at_1']:.3f}",
        f"no_answer on unanswerable questions: {report['no_answer_rate_on_unanswerable']:.3f}",
        f"answer threshold {report['threshold']}; best-passage cosine, answerable "
        f"{report['top_score_answerable']}, unanswerable {report['top_score_unanswerable']}",
        "",
        "PASS" if report["passed"] else f"FAIL: below {report['bar']}",
    ]
    return "\n".join(lines)
