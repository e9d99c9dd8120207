"""The benchmark scripts run end to end and write their JSON. Never asserts a speed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from api.settings import Settings

ROOT = Path(__file__).resolve().parent.parent.parent


def test_bench_smoke_writes_results(tmp_path: Path, settings: Settings) -> None:
    out = tmp_path / "results"
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--smoke", "--out", str(out),
         "--data-dir", str(settings.data_dir),  # the session's index: no build here
         "--skip", "fleet"],  # the fleet point: tests/fleet/test_bench_fleet.py
        cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1"}, capture_output=True, text=True,
        timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]

    inproc = json.loads((out / "inprocess-onnx.json").read_text())
    assert inproc["questions"] > 0
    assert inproc["floor"]["embed_one_query"]["n"] == inproc["questions"]
    assert {"embed", "guard", "search", "compose"} <= set(next(iter(inproc["stages"].values())))

    http = json.loads((out / "http-onnx.json").read_text())
    points = http["servers"][0]["points"]
    assert {p["path"] for p in points} == {"/api/v1/ask", "/healthz"}
    assert all(p["requests"] > 0 and p["non200"] == 0 for p in points)
    assert any(m["role"] == "worker" for m in http["servers"][0]["memory_after_load"])

    spanish = json.loads((out / "spanish.json").read_text())
    assert spanish["spanish_end_to_end"]["all"]["n"] == spanish["questions"] > 0
    assert spanish["e5_query_alone"]["n"] == spanish["questions"]

    growth = json.loads((out / "growth-onnx.json").read_text())
    assert growth["points"][0]["passages"] > 0 and growth["points"][0]["index_bytes"] > 0

    assert (out / "RESULTS.md").read_text().startswith("# Clearpath benchmarks")
    for plot in ("latency-vs-concurrency.png", "growth.png"):
        assert (out / plot).stat().st_size > 0
