"""The fleet on this machine under load: HAProxy in front of two `clearpath serve` replicas
(one embedding thread each, as the 2-worker single server), PostgreSQL and Redis, all started
by deploy/fleet.sh in a temporary directory on free ports and stopped afterwards. The same
bodies and load generator as bench/http_load.py, sent to the proxy. Rate limits stay on, in
Redis (per-address ceiling raised to 1,000,000/minute), so each request pays for the shared
store, as in production; the single-server figures have them lifted.

    python -m bench.fleet_load --concurrency 1 8 32 --seconds 10
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import RESULTS, ROOT, WORK, log, machine, questions, write_json
from bench.http_load import get, memory, run_python, run_wrk

FLEET = ROOT / "deploy" / "fleet.sh"


def _free_run(length: int) -> int:
    """A port followed by `length - 1` free ones (the proxy, then one per replica)."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            base = sock.getsockname()[1]
        ok = True
        for port in range(base, base + length):
            with socket.socket() as sock:
                try:
                    sock.bind(("127.0.0.1", port))
                except OSError:
                    ok = False
                    break
        if ok and base + length < 65000:
            return base


def run(concurrencies: list[int], seconds: float, backend: str, data_dir: Path,
        limit: int | None = None, tool: str = "auto") -> dict[str, Any]:
    import shutil

    use_wrk = tool == "wrk" or (tool == "auto" and shutil.which("wrk") is not None)
    load = run_wrk if use_wrk else run_python
    with tempfile.TemporaryDirectory(prefix="clearpath-fleet-bench-") as tmp:
        Path(tmp).chmod(0o755)  # PostgreSQL runs as its own user when this runs as root
        folder = Path(tmp) / "fleet"
        proxy = _free_run(3)
        env = {**os.environ, "FLEET_DIR": str(folder), "FLEET_PROXY_PORT": str(proxy),
               "FLEET_PG_PORT": str(_free_run(1)), "FLEET_REDIS_PORT": str(_free_run(1)),
               "FLEET_REPLICAS": "2", "HF_HUB_OFFLINE": "1",
               "CLEARPATH_DATA_DIR": str(data_dir), "CLEARPATH_EMBED_BACKEND": backend,
               "CLEARPATH_EMBED_THREADS": "1", "CLEARPATH_RATE_LIMIT": "1000000/minute"}
        bodies = Path(tmp) / "bodies.jsonl"
        bodies.write_text("".join(json.dumps({"question": q}) + "\n"
                                  for q, _ in questions(limit)))
        started = time.monotonic()
        try:
            subprocess.run([str(FLEET), "up"], env=env, check=True, timeout=1800)
            ready = time.monotonic() - started
            pids = [int((folder / f"replica-{n}.pid").read_text()) for n in (1, 2)]
            assert get(proxy, "/readyz") == 200
            mem_start = [m for pid in pids for m in memory(pid, 1)]
            points = []
            for path, body_file in (("/api/v1/ask", bodies), ("/healthz", None)):
                for c in concurrencies:
                    point = load(proxy, path, c, seconds, body_file)
                    point.update({"path": path, "concurrency": c})
                    log(f"  fleet {path} c={c}: {point['rps']} req/s, p50 {point['p50_ms']} "
                        f"ms, p99 {point['p99_ms']} ms, non-200 {point['non200']}")
                    points.append(point)
            mem_after = [m for pid in pids for m in memory(pid, 1)]
        finally:
            subprocess.run([str(FLEET), "down"], env=env, timeout=300)
    return {"backend": backend, "replicas": 2, "embed_threads": 1, "proxy": "HAProxy",
            "seconds_per_point": seconds, "questions": len(questions(limit)),
            "rate_limits": "on, in Redis (1000000/minute per address)",
            "load_generator": "wrk" if use_wrk else "python",
            "up_seconds_including_prepare": round(ready, 1), "points": points,
            "memory_after_start": mem_start, "memory_after_load": mem_after}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", default="onnx")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    report = {"machine": machine(), **run(args.concurrency, args.seconds, args.backend,
                                          args.data_dir or WORK / args.backend, args.limit,
                                          args.tool)}
    out = args.out or RESULTS / f"fleet-{args.backend}.json"
    write_json(out, report)
    log(f"wrote {out}")


if __name__ == "__main__":
    main()
