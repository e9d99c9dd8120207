"""How the index grows: build time, size on disk, search latency and peak memory as the corpus
grows 1x, 10x, 100x. Synthetic documents are written to a temporary corpus folder outside the
repository (never into corpus/): copy k of every real document gets a new id, and each of its
passages is the real passage with its sentences shuffled and one sentence from another passage
added; every sentence and every `Q:` question of a copy gets two filler words at random
places. So the texts are as distinct as a real corpus's (the build embeds each distinct text
once, and would otherwise get copies for free); the result records how many are distinct.
After the full build, one document is edited and the index rebuilt, as an operator would:
that rebuild embeds only the new text. Each scale runs in its own process, so peak resident
memory (ru_maxrss) is that scale's alone.

    python -m bench.growth --backend onnx --scales 1 10 100
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import RESULTS, ROOT, log, machine, ms_stats, questions, write_json

_PASSAGE = re.compile(r"^(?P<text>[^#\n-][^\n]*?)\s*(?P<cites>(?:\[\^[\w.-]+\]\s*)+)$")
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")
# Neutral words with no digits or units, so a variant can never look like a dose.
FILLERS = ("also", "often", "here", "again", "still", "indeed", "now", "then", "too",
           "further", "likewise", "noted", "overall", "generally", "usually", "clearly",
           "simply", "really", "broadly", "mostly", "largely", "plainly", "certainly",
           "typically", "notably", "chiefly", "mainly", "partly", "equally", "similarly",
           "briefly", "directly", "fully", "merely", "nearly", "openly", "quite", "rather",
           "surely", "truly")
EDIT = ("\nA benchmark paragraph was added here to measure a rebuild after one edit. "
        "The benchmark paragraph repeats what the page already says. [^{key}]\n")


def vary(text: str, rng: random.Random) -> str:
    """The text with two filler words inserted at random places (never first)."""
    words = text.split(" ")
    for _ in range(2):
        words.insert(rng.randrange(1, len(words) + 1), rng.choice(FILLERS))
    return " ".join(words)


def synthesise(source: Path, target: Path, scale: float, seed: int = 8) -> int:
    """Write `scale` times the documents of `source` into `target`; return the file count."""
    rng = random.Random(seed)
    # English documents only: a Spanish one is invalid without the English document it names,
    # and the growth figures are the English index's.
    files = sorted(f for f in source.glob("*.md") if not f.name.startswith("es-"))
    if scale < 1:  # a subset, for smoke runs
        files = files[:max(2, round(len(files) * scale))]
    texts = {f: f.read_text(encoding="utf-8") for f in files}
    pool = [s for t in texts.values() for line in t.splitlines()
            if (m := _PASSAGE.match(line)) for s in _SENT.split(m["text"]) if len(s) > 30]
    target.mkdir(parents=True, exist_ok=True)
    count = 0
    for copy in range(max(1, round(scale))):
        for f in files:
            text = texts[f]
            stem = f.stem if copy == 0 else f"{f.stem}-syn{copy}"
            if copy:
                text = text.replace(f"id: {f.stem}\n", f"id: {stem}\n", 1)
                lines = []
                for line in text.splitlines():
                    m = _PASSAGE.match(line)
                    if line.startswith("Q: "):
                        line = "Q: " + vary(line.removeprefix("Q: "), rng)
                    elif m and not line.startswith(("title:", "summary:", "  ")):
                        sentences = _SENT.split(m["text"])
                        rng.shuffle(sentences)
                        sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(pool))
                        sentences = [vary(x, rng) for x in sentences]
                        line = " ".join(sentences) + " " + m["cites"].strip()
                    lines.append(line)
                text = "\n".join(lines) + "\n"
            (target / f"{stem}.md").write_text(text, encoding="utf-8")
            count += 1
    return count


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def one(scale: float, backend: str, threads: int, onnx_dir: Path,
        limit: int | None) -> dict[str, Any]:
    """Build and search one scale, in this process."""
    import numpy as np

    from corpus.load import CORPUS_DIR
    from index import store as store_mod
    from index.build import build
    from index.embed import make_embedder
    from index.search import Searcher

    with tempfile.TemporaryDirectory(prefix="clearpath-growth-") as tmp:
        corpus_dir, data_dir = Path(tmp) / "docs", Path(tmp) / "data"
        shutil.copytree(onnx_dir, data_dir / "onnx", dirs_exist_ok=True)  # reuse the export
        files = synthesise(CORPUS_DIR, corpus_dir, scale)
        embedder = make_embedder(backend, data_dir, threads or None)
        rss_model = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        t0 = time.perf_counter()
        manifest = build(embedder, data_dir, corpus_dir)
        build_s = time.perf_counter() - t0
        rss_build = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        folder = store_mod.index_root(data_dir) / "current"
        size = folder_bytes(folder.resolve())
        t0 = time.perf_counter()
        store = store_mod.load(data_dir)
        load_s = time.perf_counter() - t0
        distinct = len({t for p in store.passages
                        for t in (p.context, *p.questions, *p.sentences)})
        searcher = Searcher(store, embedder)
        texts = [q for q, _ in questions(limit)]
        vectors = embedder.encode(texts)
        hybrid, faiss_only = [], []
        depth = min(100, store.dense.ntotal)
        for text, vector in zip(texts, vectors, strict=True):
            t = time.perf_counter()
            searcher.search(text, k=5, query_vector=vector)
            hybrid.append(time.perf_counter() - t)
            t = time.perf_counter()
            store.dense.search(np.ascontiguousarray(vector.reshape(1, -1)), depth)
            faiss_only.append(time.perf_counter() - t)
        edited = sorted(corpus_dir.glob("*.md"))[0]
        original = edited.read_text()
        key = re.search(r"^\s+- key: (\S+)", original, re.M)
        edited.write_text(original + EDIT.format(key=key[1] if key else "x"))
        t0 = time.perf_counter()
        build(embedder, data_dir, corpus_dir)
        rebuild_s = time.perf_counter() - t0
        return {
            "scale": scale, "documents": manifest.documents, "files": files,
            "passages": manifest.passages, "vectors": manifest.vectors,
            "sentences": manifest.sentences, "embedded_texts": manifest.vectors
            + manifest.sentences, "distinct_texts": distinct,
            "build_seconds": round(build_s, 2),
            "rebuild_after_one_edit_seconds": round(rebuild_s, 2),
            "index_bytes": size, "index_mb": round(size / 2**20, 2),
            "load_seconds": round(load_s, 3),
            "search_hybrid_ms": ms_stats(hybrid), "search_faiss_ms": ms_stats(faiss_only),
            "peak_rss_mb_model_loaded": round(rss_model, 1),
            "peak_rss_mb_build": round(rss_build, 1),
            "peak_rss_mb_total": round(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }


def run(scales: list[float], backend: str, threads: int, limit: int | None,
        timeout: float = 1800, onnx_from: Path | None = None) -> dict[str, Any]:
    """`onnx_from`: a data dir's `onnx/` folder whose export to reuse (else export afresh)."""
    from index.embed_onnx import export

    onnx_dir = Path(tempfile.mkdtemp(prefix="clearpath-onnx-"))
    if onnx_from is not None and onnx_from.is_dir():
        shutil.copytree(onnx_from, onnx_dir, dirs_exist_ok=True)
    try:
        if backend.startswith("onnx"):
            export(onnx_dir, "int8" if backend == "onnx-int8" else "fp32")
        points = []
        for scale in scales:
            log(f"growth: {scale}x corpus, backend {backend}")
            cmd = [sys.executable, "-m", "bench.growth", "--one", str(scale), "--backend",
                   backend, "--threads", str(threads), "--onnx-dir", str(onnx_dir)]
            if limit:
                cmd += ["--limit", str(limit)]
            out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
            line = next((x for x in out.stdout.splitlines() if x.startswith("GROWTHJSON ")),
                        None)
            if line is None:
                raise RuntimeError(f"scale {scale} failed: {out.stderr[-2000:]}")
            point = json.loads(line.removeprefix("GROWTHJSON "))
            log(f"  {point['passages']} passages, {point['embedded_texts']} texts "
                f"({point['distinct_texts']} distinct): build {point['build_seconds']} s, "
                f"rebuild after one edit {point['rebuild_after_one_edit_seconds']} s, "
                f"{point['index_mb']} MB, hybrid search p99 "
                f"{point['search_hybrid_ms']['p99']} ms, peak {point['peak_rss_mb_total']} MB")
            points.append(point)
    finally:
        shutil.rmtree(onnx_dir, ignore_errors=True)
    return {"backend": backend, "threads": threads, "points": points}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", default="onnx")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--scales", type=float, nargs="+", default=[1, 10, 100])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--one", type=float, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--onnx-dir", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    if args.one is not None:
        result = one(args.one, args.backend, args.threads, args.onnx_dir, args.limit)
        print("GROWTHJSON " + json.dumps(result), flush=True)
        return
    report = {"machine": machine(), **run(args.scales, args.backend, args.threads, args.limit)}
    out = args.out or RESULTS / f"growth-{args.backend}.json"
    write_json(out, report)
    log(f"wrote {out}")


if __name__ == "__main__":
    main()
