"""Run every benchmark and write bench/results/ (JSON, RESULTS.md, PNG plots).

    python -m bench.run            # the full run (about 20 minutes on 2 cores)
    python -m bench.run --smoke --out /tmp/x   # seconds: tiny versions, for CI
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench import fleet_load, growth, http_load, inprocess, report, spanish
from bench.common import RESULTS, WORK, log, machine, write_json
from index.embed import BACKENDS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny and quick; proves it runs")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--work", type=Path, default=WORK,
                        help="indexes and ONNX exports for the benchmarks")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="one data dir (with a built index) for every backend")
    parser.add_argument("--backends", nargs="+", default=list(BACKENDS), choices=BACKENDS,
                        help="in-process backends")
    parser.add_argument("--serve-backends", nargs="+", default=["onnx", "onnx-int8", "torch"])
    parser.add_argument("--growth-backend", default="onnx")
    parser.add_argument("--scales", type=float, nargs="+", default=[1, 10, 100])
    parser.add_argument("--skip", nargs="*", default=[],
                        choices=["inprocess", "http", "fleet", "growth", "spanish"])
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    smoke = args.smoke
    limit = 12 if smoke else None
    backends = ["onnx"] if smoke else args.backends

    def data_dir(backend: str) -> Path:
        return args.data_dir or args.work / backend

    if "inprocess" not in args.skip:
        for backend in backends:
            where = machine()
            result = inprocess.run(backend, 0 if smoke else 2, data_dir(backend), limit)
            write_json(out / f"inprocess-{backend}.json", {"machine": where, **result})
    if "spanish" not in args.skip:  # Spanish questions: e5 on top of the English model
        where = machine()
        result = spanish.run(data_dir("onnx"), limit, "onnx", 0 if smoke else 2)
        write_json(out / "spanish.json", {"machine": where, **result})
    if "http" not in args.skip:
        for backend in (["onnx"] if smoke else args.serve_backends):
            where = machine()
            workers = [1] if smoke else ([1, 2] if backend == "onnx" else [2])
            result = http_load.run(workers, [1] if smoke else [1, 8, 32], 1 if smoke else 10,
                                   backend, data_dir(backend), {1: 2, 2: 1}, limit)
            write_json(out / f"http-{backend}.json", {"machine": where, **result})
    if "fleet" not in args.skip:  # HAProxy + 2 replicas + PostgreSQL + Redis (deploy/fleet.sh)
        where = machine()
        result = fleet_load.run([1] if smoke else [1, 8, 32], 1 if smoke else 10, "onnx",
                                data_dir("onnx"), limit)
        write_json(out / "fleet-onnx.json", {"machine": where, **result})
    if "growth" not in args.skip:
        where = machine()
        result = growth.run([0.1] if smoke else args.scales, args.growth_backend,
                            0 if smoke else 2, limit,
                            onnx_from=data_dir(args.growth_backend) / "onnx")
        write_json(out / f"growth-{args.growth_backend}.json", {"machine": where, **result})
    for path in report.write(out):
        log(f"wrote {path}")
    for line in report.ratios(out):  # issue 12's speed bars, as ratios measured in this run
        print(line)


if __name__ == "__main__":
    main()
