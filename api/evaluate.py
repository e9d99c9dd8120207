"""Evaluation over the labelled questions (corpus/questions/): retrieval and answers.

Two reports:

- `run()`: retrieval recall@1/3/5 and MRR by mode (dense, lexical, hybrid), on documents and
  passages, plus the answer figures; by default on the development part.
- `answers()`: what people get, through `Pipeline.answer` on the deployment's region, with the
  bars of issue 12 (`BARS`). `clearpath eval --part test` reports it on the test part:

    answer@1   the first quoted passage is a labelled one (a no_answer counts as a miss)
    answer@3   a labelled passage is among the top 3 candidates the answer was chosen from
               (hybrid retrieval, region-scoped), for answered questions; a miss otherwise
    MRR        reciprocal rank of the first labelled passage among those candidates (top 10),
               0 for a no_answer
    answered   share of answerable questions answered (kind=answer)
    declined   share of unanswerable questions (expect: no_answer) not answered
    swaps      labelled questions whose passages all lie in one topic of a confusable pair
               (corpus/confusable_pairs.yaml) answered with a passage of the pair's other topic

A question that describes an emergency happening now (`expect: crisis`, e.g. "my roommate is
passed out and barely breathing what do i do") must get the crisis reply first (POLICY.md,
order 1): it is counted apart, as "emergencies given the crisis reply", and in neither the
answerable nor the unanswerable share.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from api import responses
from api.pipeline import Pipeline
from corpus.load import CORPUS_DIR, QUESTIONS_FILE
from index.search import Searcher

CONFUSABLE_FILE = CORPUS_DIR.parent / "confusable_pairs.yaml"
# Issue 12's bars, on the test part: (figure, least value) except swaps (most value).
BARS = {"answer_at_1": 0.90, "answered": 0.95, "declined": 0.85, "swaps": 0}

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


def _confusables() -> tuple[dict[str, set[str]], dict[str, str]]:
    raw = yaml.safe_load(CONFUSABLE_FILE.read_text(encoding="utf-8"))
    topics = {name: set(topic["passages"]) for name, topic in raw["topics"].items()}
    other = {a: b for a, b in raw["pairs"]} | {b: a for a, b in raw["pairs"]}
    return topics, other


def swapped(labels: set[str], quoted: list[str]) -> bool:
    """The labelled passages all lie in one topic of a confusable pair and an answer quotes a
    passage of the other topic."""
    topics, other = _confusables()
    return any(labels <= passages and set(quoted) & topics[other[name]]
               for name, passages in topics.items() if labels)


def missed_emergencies(pipeline: Pipeline, questions: list[dict[str, Any]]
                       ) -> tuple[int, list[str]]:
    """How many questions are marked `expect: crisis`, and the ids of those that did not get
    the crisis reply (a miss fails the run, in English and Spanish alike)."""
    emergencies = [q for q in questions if q.get("expect") == "crisis"]
    return len(emergencies), [q["id"] for q in emergencies
                              if pipeline.answer(q["question"]).kind != "crisis"]


def answers(pipeline: Pipeline, path: Path | None = None) -> dict[str, Any]:
    """What people get on the deployment's region (see the module docstring), with the bars."""
    questions = load_questions(path)
    region = responses.normalise_region(pipeline.settings.region)
    at1 = at3 = answered = declined = 0
    rr = 0.0
    swaps: list[str] = []
    misses: list[dict[str, Any]] = []
    answerable = [q for q in questions if q.get("expect") not in ("no_answer", "crisis")]
    unanswerable = [q for q in questions if q.get("expect") == "no_answer"]
    emergencies, emergency_missed = missed_emergencies(pipeline, questions)
    for q in answerable:
        labels = set(q.get("passage_ids") or [])
        result = pipeline.answer(q["question"])
        quoted = [p.id for p in result.passages]
        if result.kind != "answer":
            misses.append({"id": q["id"], "kind": result.kind, "want": sorted(labels)})
            continue
        answered += 1
        hits = pipeline.searcher.search(q["question"], k=10, region=region).hits
        ranked = [h.passage_id for h in hits]
        first = _first_rank(ranked, labels)
        at1 += bool(quoted) and quoted[0] in labels
        at3 += first is not None and first < 3
        rr += 1 / (first + 1) if first is not None else 0.0
        if quoted and quoted[0] not in labels:
            misses.append({"id": q["id"], "kind": "answer", "want": sorted(labels),
                           "got": quoted})
        if swapped(labels, quoted):
            swaps.append(q["id"])
    for q in unanswerable:
        result = pipeline.answer(q["question"])
        if result.kind != "answer":
            declined += 1
        else:
            misses.append({"id": q["id"], "kind": "answer", "want": [],
                           "got": [p.id for p in result.passages]})
    n = max(1, len(answerable))
    figures = {
        "answer_at_1": round(at1 / n, 3),
        "answer_at_3": round(at3 / n, 3),
        "mrr": round(rr / n, 3),
        "answered": round(answered / n, 3),
        "declined": round(declined / max(1, len(unanswerable)), 3),
        "swaps": len(swaps),
    }
    bars = {name: {"bar": bar, "value": figures[name],
                   "met": figures[name] <= bar if name == "swaps" else figures[name] >= bar}
            for name, bar in BARS.items()}
    return {"questions": str(path or QUESTIONS_FILE), "answerable": len(answerable),
            "unanswerable": len(unanswerable), "region": region,
            "model": pipeline.store.manifest.model_name,
            "answerability_fit": pipeline.store.answerability_report or {},
            "figures": figures, "bars": bars,
            "emergencies": emergencies, "emergencies_missed": emergency_missed,
            "not_answered": dict(Counter(m["kind"] for m in misses
                                         if m["want"] and m["kind"] != "answer")),
            "swapped": swaps, "misses": misses,
            "passed": all(b["met"] for b in bars.values()) and not emergency_missed}


def render_answers(report: dict[str, Any], known_failing: frozenset[str] = frozenset()
                   ) -> str:
    f = report["figures"]
    lines = [
        f"{report['questions']}: {report['answerable']} answerable, {report['unanswerable']} "
        f"unanswerable; region {report['region']}; model {report['model']}",
        "",
        f"answer@1 (first quoted passage is a labelled one)   {f['answer_at_1']:.3f}",
        f"answer@3 (a labelled passage in the top 3 chosen from) {f['answer_at_3']:.3f}",
        f"MRR (top 10 candidates; 0 for a no_answer)           {f['mrr']:.3f}",
        f"answerable questions answered                        {f['answered']:.3f}",
        f"unanswerable questions declined                      {f['declined']:.3f}",
        f"confusable swaps                                     {f['swaps']}"
        + (f" ({', '.join(report['swapped'])})" if report["swapped"] else ""),
        "",
        *([f"emergencies given the crisis reply (expect: crisis)           "
           f"{report['emergencies'] - len(report['emergencies_missed'])} of "
           f"{report['emergencies']}"
           + (f" (missed: {', '.join(report['emergencies_missed'])})"
              if report["emergencies_missed"] else "")] if report["emergencies"] else []),
        "answerable questions not answered, by outcome: " + (", ".join(
            f"{k} {v}" for k, v in sorted(report["not_answered"].items())) or "none"),
    ]
    fit = report["answerability_fit"]
    if fit:
        lines.append(
            f"answerability model (fitted on the development part; 5-fold cross-validated "
            f"there: answered {fit.get('cv_answered_rate')}, declined "
            f"{fit.get('cv_no_answer_rate')}, threshold {fit.get('threshold')}); on the "
            "development part itself the figures above are in-sample")
    lines.append("")
    for name, bar in report["bars"].items():
        op = "<=" if name == "swaps" else ">="
        state = "met" if bar["met"] else (
            "NOT MET (known, listed with --known-failing)" if name in known_failing
            else "NOT MET")
        lines.append(f"bar {name} {op} {bar['bar']}: {bar['value']} {state}")
    return "\n".join(lines)


def dump_answers(pipeline: Pipeline, path: Path | None, n: int, seed: int, out: Path) -> int:
    """N random questions of a part with their rendered answers (question, answer text and
    citations only, nothing else: what a blind grader sees). Returns how many were written."""
    questions = load_questions(path)
    picked = random.Random(seed).sample(questions, min(n, len(questions)))
    blocks = []
    for i, q in enumerate(picked, 1):
        result = pipeline.answer(q["question"])
        cites = "\n".join(f"  [{c.n}] {c.title} ({c.publisher}) {c.url}"
                          for c in result.citations)
        # What the page shows under a refusal too: the suggested questions or nearest topics,
        # and the helplines, so a grader reads "Try one of these questions:" with its list.
        related = "\n".join(f"  - {r.question or r.title}" for r in result.related)
        lines = "\n".join(f"  - {h.name}: {h.number or h.url or ''}" for h in result.helplines)
        blocks.append(f"## {i}\n\nQuestion: {q['question']}\n\nAnswer:\n{result.answer}\n"
                      + (("\nSee also:\n" if result.kind == "answer" else "") + f"{related}\n"
                         if related else "")
                      + (f"\nCitations:\n{cites}\n" if cites else "")
                      + (f"\nHelplines:\n{lines}\n" if lines else ""))
    out.write_text("\n".join(blocks), encoding="utf-8")
    key = out.with_suffix(out.suffix + ".key.jsonl")
    key.write_text("".join(json.dumps({"n": i, "id": q["id"]}) + "\n"
                           for i, q in enumerate(picked, 1)), encoding="utf-8")
    return len(picked)
