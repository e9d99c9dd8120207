"""The answer pipeline in process: per-outcome latency split by stage, next to the floor.

Stages are timed by calling them as `Pipeline.answer` does (validate, embed, guard, search,
compose), one question at a time, each question once. The floor, in the same run and
interleaved with the end-to-end timings: one query embedding alone (the backend in use) and
FAISS search alone.

    python -m bench.inprocess --backend onnx --threads 2 [--limit 40] [--out file.json]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from bench.common import RESULTS, WORK, log, machine, ms_stats, questions, write_json

STAGES = ("validate", "embed", "guard", "search", "compose")


def run(backend: str, threads: int, data_dir: Path, limit: int | None = None) -> dict[str, Any]:
    from api import guard, responses
    from api.compose import compose
    from api.pipeline import Pipeline, clean_question, ensure_index
    from api.settings import Settings

    settings = Settings(data_dir=data_dir, embed_backend=backend, embed_threads=threads)
    ensure_index(settings, progress=log)
    started = time.perf_counter()
    pipeline = Pipeline(settings)
    load_s = time.perf_counter() - started
    qs = questions(limit)
    log(f"in process, backend {backend}, {threads} thread(s): {len(qs)} questions")

    for warm in ("warm up the model", "what is kratom", "a third warm-up sentence"):
        pipeline.answer(warm)  # not in the question set

    # 1. End to end through the real entry point, each question right after the floor for
    # it (one query embedding alone with the bare backend, FAISS search alone at the
    # searcher's depth), so both see the same machine load.
    e2e: dict[str, list[float]] = {}
    embed_alone, faiss_alone = [], []
    backend_alone = getattr(pipeline.embedder, "inner", pipeline.embedder)  # no coalescing
    dense = pipeline.store.dense
    depth = min(100, dense.ntotal)
    for text, _ in qs:
        t0 = time.perf_counter()
        vector = backend_alone.encode([text])[0]
        embed_alone.append(time.perf_counter() - t0)
        query = vector.reshape(1, -1)
        t0 = time.perf_counter()
        dense.search(query, depth)
        faiss_alone.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        result = pipeline.answer(text)
        e2e.setdefault(result.kind, []).append(time.perf_counter() - t0)

    # 2. The same path, stage by stage.
    stages: dict[str, dict[str, list[float]]] = {}
    region = responses.normalise_region(settings.region)
    for text, _ in qs:
        t0 = time.perf_counter()
        clean = clean_question(text, settings.max_question_chars)
        t1 = time.perf_counter()
        vector = pipeline.searcher.embed(clean)
        t2 = time.perf_counter()
        verdict = guard.check(clean, vector, pipeline.guard_model)
        t3 = time.perf_counter()
        if verdict.kind != "pass":
            result = pipeline.refusal(verdict, region)
            t4 = t3
        else:
            retrieval = pipeline.searcher.search(clean, k=5, query_vector=vector)
            t4 = time.perf_counter()
            result = compose(clean, retrieval, pipeline.store, pipeline.limits, region=region,
                             lang=verdict.lang, personal=verdict.personal)
        t5 = time.perf_counter()
        row = stages.setdefault(result.kind, {s: [] for s in (*STAGES, "total")})
        for name, dt in zip((*STAGES, "total"),
                            (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t5 - t0), strict=True):
            row[name].append(dt)

    all_e2e = [x for v in e2e.values() for x in v]
    floor = {"embed_one_query": ms_stats(embed_alone), "faiss_search": ms_stats(faiss_alone),
             "faiss_vectors": int(dense.ntotal), "faiss_depth": depth}
    e2e_p50 = ms_stats(all_e2e)["p50"]
    embed_p50 = floor["embed_one_query"]["p50"]
    return {
        "backend": backend,
        "threads": threads,
        "questions": len(qs),
        "pipeline_load_s": round(load_s, 2),
        "end_to_end": {"all": ms_stats(all_e2e), **{k: ms_stats(v) for k, v in e2e.items()}},
        "stages": {kind: {s: ms_stats(v) for s, v in row.items()}
                   for kind, row in stages.items()},
        "floor": floor,
        "ratio_e2e_p50_to_embed_floor": round(e2e_p50 / embed_p50, 3),
        "ratio_e2e_p50_to_floor": round(e2e_p50 / (embed_p50 + floor["faiss_search"]["p50"]), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", default="onnx")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    data_dir = args.data_dir or WORK / args.backend
    report = {"machine": machine(), **run(args.backend, args.threads, data_dir, args.limit)}
    out = args.out or RESULTS / f"inprocess-{args.backend}.json"
    write_json(out, report)
    log(f"wrote {out}")


if __name__ == "__main__":
    main()
