"""The fleet point of `make bench` (bench/fleet_load.py) runs end to end. Never asserts a speed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fleet.conftest import ROOT

pytestmark = pytest.mark.fleet


def test_fleet_bench_point_runs_and_stops_its_fleet(tmp_path: Path) -> None:
    out = tmp_path / "fleet.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench.fleet_load", "--concurrency", "2", "--seconds", "1",
         "--limit", "6", "--data-dir", str(ROOT / "data"), "--out", str(out)],
        cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1"}, capture_output=True, text=True,
        timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(out.read_text())
    assert {p["path"] for p in report["points"]} == {"/api/v1/ask", "/healthz"}
    assert all(p["requests"] > 0 and p["non200"] == 0 for p in report["points"])
    assert len(report["memory_after_load"]) == 2
    pids = [m["pid"] for m in report["memory_after_load"]]
    assert not any(Path(f"/proc/{pid}").exists() and "Z" not in
                   Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[:1]
                   for pid in pids)  # the replicas were stopped
