"""The real HTTP service under load on loopback: `clearpath serve --workers N`, rate limits
lifted (CLEARPATH_RATE_LIMIT_ENABLED=false), POST /api/v1/ask with the question set cycled
(each connection starts at its own offset; the service has no answer cache) and GET /healthz
on the same server, at several concurrencies, each point bounded in time. Resident memory of
every server process after start-up and after the load.

Uses wrk (Debian: `apt-get install wrk`) when present, else a small Python load generator.

    python -m bench.http_load --workers 1 2 --concurrency 1 8 32 --seconds 10
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.common import RESULTS, ROOT, WORK, log, machine, ms_stats, questions, write_json

LUA = Path(__file__).resolve().parent / "wrk_load.lua"
CLEARPATH = ROOT / ".venv" / "bin" / "clearpath"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(port: int, path: str, timeout: float = 5.0) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()


def start_server(workers: int, backend: str, threads: int, data_dir: Path,
                 port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CLEARPATH_RATE_LIMIT_ENABLED": "false",
           "CLEARPATH_DATA_DIR": str(data_dir), "CLEARPATH_EMBED_BACKEND": backend,
           "CLEARPATH_EMBED_THREADS": str(threads), "HF_HUB_OFFLINE": "1"}
    clearpath = str(CLEARPATH) if CLEARPATH.exists() else "clearpath"
    return subprocess.Popen(
        [clearpath, "serve", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def wait_ready(proc: subprocess.Popen[bytes], port: int, workers: int,
               timeout: float = 300) -> float:
    """Seconds until /readyz answers 200 on enough fresh connections to have met every worker."""
    started = time.monotonic()
    streak = 0
    while streak < 10 * workers:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        if time.monotonic() - started > timeout:
            raise RuntimeError("the server did not become ready")
        try:
            streak = streak + 1 if get(port, "/readyz", 2) == 200 else 0
        except OSError:
            streak = 0
        if streak == 0:
            time.sleep(0.2)
    return time.monotonic() - started


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server this script started: its own process group, by its pid."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the server and all its processes so far."""
    import psutil

    root = psutil.Process(pid)
    total = 0.0
    for p in [root, *root.children(recursive=True)]:
        try:
            t = p.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += t.user + t.system
    return total


def memory(pid: int, workers: int) -> list[dict[str, Any]]:
    """RSS, USS and PSS (MB) of the server's processes; role by position in the tree."""
    import psutil

    root = psutil.Process(pid)
    procs = [root, *root.children(recursive=True)]
    out = []
    for p in procs:
        try:
            info = p.memory_full_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        rss = info.rss / 2**20
        if workers == 1:
            role = "worker" if p.pid == pid else "helper"
        else:
            role = "supervisor" if p.pid == pid else ("worker" if rss > 100 else "helper")
        out.append({"pid": p.pid, "role": role, "rss_mb": round(rss, 1),
                    "uss_mb": round(info.uss / 2**20, 1),
                    "pss_mb": round(getattr(info, "pss", 0) / 2**20, 1)})
    return out


def run_wrk(port: int, path: str, concurrency: int, seconds: float,
            bodies: Path | None) -> dict[str, Any]:
    env = {**os.environ}
    if bodies is not None:
        env["BENCH_BODIES"] = str(bodies)
    else:
        env.pop("BENCH_BODIES", None)
    cmd = ["wrk", "-t", str(min(2, concurrency)), "-c", str(concurrency),
           "-d", f"{seconds:g}s", "--timeout", "5s", "-s", str(LUA),
           f"http://127.0.0.1:{port}{path}"]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=seconds + 60)
    line = next((x for x in out.stdout.splitlines() if x.startswith("BENCHJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no figures: {out.stdout[-500:]} {out.stderr[-500:]}")
    raw = json.loads(line.removeprefix("BENCHJSON "))
    secs = raw["duration_us"] / 1e6
    lat = raw["latency_us"]
    return {"tool": "wrk", "requests": raw["requests"], "seconds": round(secs, 2),
            "rps": round(raw["requests"] / secs, 1),
            "p50_ms": lat["p50"] / 1000, "p90_ms": lat["p90"] / 1000,
            "p99_ms": lat["p99"] / 1000, "max_ms": lat["max"] / 1000,
            "non200": raw["non200"], "errors": raw["errors"]}


def run_python(port: int, path: str, concurrency: int, seconds: float,
               bodies: Path | None) -> dict[str, Any]:
    """Closed-loop load with one keep-alive connection per thread (when wrk is missing)."""
    lines = bodies.read_text().splitlines() if bodies else []
    deadline = time.monotonic() + seconds
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    bad = [0] * concurrency

    def client(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        n = i * max(1, len(lines) // max(1, concurrency))
        while time.monotonic() < deadline:
            t0 = time.perf_counter()
            if lines:
                conn.request("POST", path, lines[n % len(lines)],
                             {"Content-Type": "application/json"})
                n += 1
            else:
                conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            latencies[i].append(time.perf_counter() - t0)
            bad[i] += response.status != 200
        conn.close()

    started = time.monotonic()
    pool = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    secs = time.monotonic() - started
    flat = [x for row in latencies for x in row]
    stats = ms_stats(flat)
    return {"tool": "python", "requests": len(flat), "seconds": round(secs, 2),
            "rps": round(len(flat) / secs, 1), "p50_ms": stats.get("p50"),
            "p90_ms": None, "p99_ms": stats.get("p99"), "max_ms": stats.get("max"),
            "non200": sum(bad), "errors": {}}


def run(workers_list: list[int], concurrencies: list[int], seconds: float, backend: str,
        data_dir: Path, threads_for: dict[int, int], limit: int | None = None,
        tool: str = "auto") -> dict[str, Any]:
    from api.pipeline import ensure_index
    from api.settings import Settings

    ensure_index(Settings(data_dir=data_dir, embed_backend=backend), progress=log)
    use_wrk = tool == "wrk" or (tool == "auto" and shutil.which("wrk") is not None)
    load = run_wrk if use_wrk else run_python
    with tempfile.TemporaryDirectory() as tmp:
        bodies = Path(tmp) / "bodies.jsonl"
        bodies.write_text("".join(json.dumps({"question": q}) + "\n"
                                  for q, _ in questions(limit)))
        servers = []
        for workers in workers_list:
            threads = threads_for.get(workers, 0)
            port = free_port()
            log(f"HTTP: {workers} worker(s), {threads or 'default'} embedding thread(s) each")
            proc = start_server(workers, backend, threads, data_dir, port)
            try:
                ready_s = wait_ready(proc, port, workers)
                time.sleep(1)
                mem_start = memory(proc.pid, workers)
                points = []
                for path, body_file in (("/api/v1/ask", bodies), ("/healthz", None)):
                    for c in concurrencies:
                        cpu = cpu_seconds(proc.pid)
                        point = load(port, path, c, seconds, body_file)
                        cpu = cpu_seconds(proc.pid) - cpu
                        point.update({"path": path, "concurrency": c,
                                      "server_cpu_ms_per_request": round(
                                          cpu * 1000 / max(point["requests"], 1), 3)})
                        log(f"  {path} c={c}: {point['rps']} req/s, p50 {point['p50_ms']} ms,"
                            f" p99 {point['p99_ms']} ms, server CPU "
                            f"{point['server_cpu_ms_per_request']} ms/request, "
                            f"non-200 {point['non200']}")
                        points.append(point)
                mem_after = memory(proc.pid, workers)
            finally:
                stop_server(proc)
            servers.append({"workers": workers, "embed_threads": threads,
                            "ready_seconds": round(ready_s, 1), "points": points,
                            "memory_after_start": mem_start, "memory_after_load": mem_after})
    return {"backend": backend, "seconds_per_point": seconds, "questions": len(questions(limit)),
            "rate_limits": "lifted (CLEARPATH_RATE_LIMIT_ENABLED=false)",
            "load_generator": "wrk" if use_wrk else "python", "servers": servers}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", default="onnx")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--threads", default="1:2,2:1",
                        help="embedding threads per worker count, e.g. 1:2,2:1")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    threads_for = {int(k): int(v) for k, v in (x.split(":") for x in args.threads.split(","))}
    report = {"machine": machine(), **run(args.workers, args.concurrency, args.seconds,
                                          args.backend, args.data_dir or WORK / args.backend,
                                          threads_for, args.limit, args.tool)}
    out = args.out or RESULTS / f"http-{args.backend}.json"
    write_json(out, report)
    log(f"wrote {out}")


if __name__ == "__main__":
    main()
