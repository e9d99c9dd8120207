"""Shared helpers: the question set, percentiles, machine description, JSON output."""

from __future__ import annotations

import json
import os
import platform
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
WORK = ROOT / "data" / "bench"  # indexes and ONNX exports for the benchmarks (not committed)


def questions(limit: int | None = None) -> list[tuple[str, str]]:
    """(text, set) pairs: the retrieval question set, then the guard's held-out test split
    (for the refusal outcomes). Every text is distinct; none is asked twice in one pass."""
    from api.guard.model import TEST_FILE
    from corpus.load import QUESTIONS_FILE

    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for path, key, tag in ((QUESTIONS_FILE, "question", "questions"),
                           (TEST_FILE, "text", "guard_test")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                text = json.loads(line)[key]
                if text not in seen:
                    seen.add(text)
                    out.append((text, tag))
    if limit:
        # Keep both sets represented in small runs.
        half = limit // 2
        out = [q for q in out if q[1] == "questions"][:limit - half] + [
            q for q in out if q[1] == "guard_test"][:half]
    return out


def ms_stats(seconds: list[float] | np.ndarray) -> dict[str, float]:
    a = np.asarray(seconds, dtype=np.float64) * 1000.0
    if a.size == 0:
        return {"n": 0}
    return {"n": int(a.size), "mean": round(float(a.mean()), 4),
            "p50": round(float(np.percentile(a, 50)), 4),
            "p95": round(float(np.percentile(a, 95)), 4),
            "p99": round(float(np.percentile(a, 99)), 4),
            "max": round(float(a.max()), 4)}


def machine() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = None
    try:
        import psutil

        mem_gib = round(psutil.virtual_memory().total / 2**30, 1)
    except ImportError:
        pass
    libs = {}
    for name in ("torch", "onnxruntime", "sentence-transformers", "faiss-cpu", "uvicorn",
                 "fastapi", "numpy"):
        try:
            libs[name] = version(name)
        except Exception:  # noqa: BLE001 - a missing library is reported as such
            libs[name] = None
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": mem_gib,
            "os": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(), "libraries": libs,
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            "when": time.strftime("%Y-%m-%dT%H:%M:%S%z")}


def write_json(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return path


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)
