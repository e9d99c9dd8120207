"""Spanish questions in process: end-to-end latency by outcome, next to English questions and
to the e5 query embedding alone, interleaved so all see the same machine load.

Spanish questions pay the English model (the guard reads every question with it) plus one
multilingual-e5-small query embedding (index/spanish.py); English questions pay nothing new.

    python -m bench.spanish [--limit 40] [--data-dir DIR] [--out file.json]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from bench.common import RESULTS, WORK, log, machine, ms_stats, questions, write_json


def run(data_dir: Path, limit: int | None = None, backend: str = "onnx",
        threads: int = 2) -> dict[str, Any]:
    from api.evaluate_es import QUESTIONS_FILE
    from api.pipeline import Pipeline, ensure_index
    from api.settings import Settings
    from index import spanish

    settings = Settings(data_dir=data_dir, embed_backend=backend, embed_threads=threads)
    ensure_index(settings, progress=log)
    pipeline = Pipeline(settings)
    if pipeline.spanish is None:
        raise SystemExit("the index has no Spanish part")
    rows = [json.loads(line) for line in QUESTIONS_FILE.read_text().splitlines() if line]
    es_questions = [r["question"] for r in rows][:limit]
    en_questions = [q for q, _ in questions(limit)][:len(es_questions)]
    log(f"Spanish in process, backend {backend}: {len(es_questions)} Spanish and "
        f"{len(en_questions)} English questions")
    for warm in ("¿qué es el kratom?", "what is kratom", "cuanto dura la malilla"):
        pipeline.answer(warm)
    model = spanish.e5()
    es_e2e: dict[str, list[float]] = {}
    en_e2e: list[float] = []
    e5_alone: list[float] = []
    for i, text in enumerate(es_questions):
        t0 = time.perf_counter()
        model.query([text])
        e5_alone.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        result = pipeline.answer(text)
        kind = result.kind if result.note is None else f"{result.kind} (English passage)"
        es_e2e.setdefault(kind, []).append(time.perf_counter() - t0)
        if i < len(en_questions):
            t0 = time.perf_counter()
            pipeline.answer(en_questions[i])
            en_e2e.append(time.perf_counter() - t0)
    all_es = [x for v in es_e2e.values() for x in v]
    return {
        "backend": backend, "threads": threads, "questions": len(es_questions),
        "spanish_end_to_end": {"all": ms_stats(all_es),
                               **{k: ms_stats(v) for k, v in es_e2e.items()}},
        "english_end_to_end": ms_stats(en_e2e),
        "e5_query_alone": ms_stats(e5_alone),
    }


def markdown(result: dict[str, Any]) -> list[str]:
    lines = ["## Spanish questions (in process)", "",
             f"{result['questions']} Spanish questions of corpus/questions_es.jsonl, each "
             "followed by an English one, backend "
             f"{result['backend']}; times in ms.", "",
             "| path | n | p50 | p95 | p99 |", "| --- | --- | --- | --- | --- |"]
    rows = [(f"Spanish: {k}", v) for k, v in result["spanish_end_to_end"].items()]
    rows += [("English (same run)", result["english_end_to_end"]),
             ("e5 query embedding alone", result["e5_query_alone"])]
    for name, s in rows:
        if s.get("n"):
            lines.append(f"| {name} | {s['n']} | {s['p50']:.1f} | {s['p95']:.1f} | "
                         f"{s['p99']:.1f} |")
    return [*lines, ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--backend", default="onnx")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    data_dir = args.data_dir or WORK / args.backend
    report = {"machine": machine(), **run(data_dir, args.limit, args.backend)}
    out = args.out or RESULTS / "spanish.json"
    write_json(out, report)
    log(f"wrote {out}")


if __name__ == "__main__":
    main()
