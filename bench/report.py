"""bench/results/*.json -> bench/results/RESULTS.md and PNG plots."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.common import RESULTS

TARGETS = {
    "inprocess_ratio": 1.5, "http_rps_c8_2w": 250, "http_p99_c8_2w_ms": 100,
    "http_p50_c1_ms": 10, "build_100x_s": 180, "search_p99_100x_ms": 10, "rss_worker_mb": 500,
}


def _load(folder: Path, pattern: str) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted(folder.glob(pattern))]


def _f(x: Any, digits: int = 2) -> str:
    return "–" if x is None else f"{x:,.{digits}f}"


def _ok(good: bool) -> str:
    return "met" if good else "**missed**"


def markdown(folder: Path = RESULTS) -> str:
    inproc = _load(folder, "inprocess-*.json")
    http = _load(folder, "http-*.json")
    growth = _load(folder, "growth-*.json")
    any_report = (inproc or http or growth or [{}])[0]
    m = any_report.get("machine", {})
    out = ["# Clearpath benchmarks", ""]
    if m:
        out += [f"Machine: {m.get('cpu')}, {m.get('cores')} cores, {m.get('memory_gib')} GiB, "
                f"{m.get('os')}, Python {m.get('python')}; "
                + ", ".join(f"{k} {v}" for k, v in m.get("libraries", {}).items() if v)
                + ".", ""]
        loads = [f"{name.stem} ({r.get('machine', {}).get('when', '')[:16]}): "
                 f"{r.get('machine', {}).get('load_average_at_start')}"
                 for name, r in zip(sorted(folder.glob("*.json")),
                                    [json.loads(p.read_text())
                                     for p in sorted(folder.glob("*.json"))], strict=True)]
        out += ["Load average (1, 5, 15 min) when each part began. It counts the run's own "
                "earlier parts (each part of `bench.run` loads both cores), so it says little "
                "alone; it is here to show when other work shared the machine: "
                + "; ".join(loads) + ".", ""]
    verdicts: list[str] = []

    if inproc:
        out += ["## In process: end-to-end latency by outcome (ms)", "",
                "Each question of corpus/questions/dev.jsonl and "
                "api/guard/data/messages_test.jsonl "
                "asked once through `Pipeline.answer`. There is no answer cache (a repeated "
                "question is computed again), so there are no separate repeated-question "
                "figures.", "",
                "| backend | threads | outcome | n | p50 | p95 | p99 |",
                "|---|---|---|---|---|---|---|"]
        for r in inproc:
            for kind, s in r["end_to_end"].items():
                out.append(f"| {r['backend']} | {r['threads']} | {kind} | {s['n']} | "
                           f"{_f(s['p50'])} | {_f(s['p95'])} | {_f(s['p99'])} |")
        out += ["", "## In process: p50 by stage (ms), and the floor", "",
                "| backend | outcome | validate | embed | guard | search | compose | total |",
                "|---|---|---|---|---|---|---|---|"]
        for r in inproc:
            for kind, row in r["stages"].items():
                out.append(f"| {r['backend']} | {kind} | " + " | ".join(
                    _f(row[s]["p50"], 3) for s in
                    ("validate", "embed", "guard", "search", "compose", "total")) + " |")
        out += ["", "| backend | embedding one query alone p50 / p99 | FAISS search alone p50 / "
                "p99 (vectors) | end-to-end p50 | ratio to embedding floor | ratio to floor "
                "(embed + FAISS) |", "|---|---|---|---|---|---|"]
        for r in inproc:
            fl = r["floor"]
            out.append(
                f"| {r['backend']} | {_f(fl['embed_one_query']['p50'])} / "
                f"{_f(fl['embed_one_query']['p99'])} | {_f(fl['faiss_search']['p50'], 3)} / "
                f"{_f(fl['faiss_search']['p99'], 3)} ({fl['faiss_vectors']}) | "
                f"{_f(r['end_to_end']['all']['p50'])} | {r['ratio_e2e_p50_to_embed_floor']}x | "
                f"{r['ratio_e2e_p50_to_floor']}x |")
            verdicts.append(
                f"- In process, {r['backend']}: end-to-end p50 {r['ratio_e2e_p50_to_embed_floor']}x"
                f" the embedding floor (target ≤ {TARGETS['inprocess_ratio']}x): "
                + _ok(r["ratio_e2e_p50_to_embed_floor"] <= TARGETS["inprocess_ratio"]))
        out.append("")

    for h in http:
        out += [f"## HTTP on loopback ({h['backend']} backend, {h['load_generator']}, "
                f"{h['seconds_per_point']:g} s per point, rate limits lifted)", "",
                "| workers | threads/worker | path | concurrency | req/s | p50 ms | p99 ms | "
                "server CPU ms/request | non-200 |", "|---|---|---|---|---|---|---|---|---|"]
        for s in h["servers"]:
            for p in s["points"]:
                out.append(f"| {s['workers']} | {s['embed_threads']} | {p['path']} | "
                           f"{p['concurrency']} | {_f(p['rps'], 1)} | {_f(p['p50_ms'])} | "
                           f"{_f(p['p99_ms'])} | {_f(p.get('server_cpu_ms_per_request'))} | "
                           f"{p['non200']} |")
        out += ["", "Resident memory (MB) of the server processes, after start-up → after load:",
                ""]
        for s in h["servers"]:
            after = {x["pid"]: x for x in s["memory_after_load"]}
            parts = [f"{x['role']} RSS {x['rss_mb']:.0f} → {after.get(x['pid'], x)['rss_mb']:.0f}"
                     f" (USS {x['uss_mb']:.0f} → {after.get(x['pid'], x)['uss_mb']:.0f})"
                     for x in s["memory_after_start"]]
            out.append(f"- {s['workers']} worker(s), ready in {s['ready_seconds']} s: "
                       + "; ".join(parts))
            workers = [after.get(x["pid"], x)["rss_mb"] for x in s["memory_after_start"]
                       if x["role"] == "worker"]
            if workers:
                verdicts.append(
                    f"- HTTP {h['backend']}, {s['workers']} worker(s): largest worker RSS after "
                    f"load {max(workers):.0f} MB (target < {TARGETS['rss_worker_mb']}): "
                    + _ok(max(workers) < TARGETS["rss_worker_mb"]))
            ask = {p["concurrency"]: p for p in s["points"] if p["path"] == "/api/v1/ask"}
            if 1 in ask:
                verdicts.append(
                    f"- HTTP {h['backend']}, {s['workers']} worker(s), ask c=1 p50 "
                    f"{_f(ask[1]['p50_ms'])} ms (target ≤ {TARGETS['http_p50_c1_ms']}): "
                    + _ok(ask[1]["p50_ms"] <= TARGETS["http_p50_c1_ms"]))
            if s["workers"] == 2 and 8 in ask:
                p = ask[8]
                verdicts.append(
                    f"- HTTP {h['backend']}, 2 workers, ask c=8: {_f(p['rps'], 0)} req/s "
                    f"(target ≥ {TARGETS['http_rps_c8_2w']}): "
                    f"{_ok(p['rps'] >= TARGETS['http_rps_c8_2w'])}; p99 {_f(p['p99_ms'])} ms "
                    f"(target ≤ {TARGETS['http_p99_c8_2w_ms']}): "
                    + _ok(p["p99_ms"] <= TARGETS["http_p99_c8_2w_ms"]))
        out.append("")

    for f in _load(folder, "fleet-*.json"):
        out += [f"## Fleet on this machine: {f['proxy']} + {f['replicas']} replicas "
                f"({f['backend']}, {f['embed_threads']} embedding thread each, "
                f"{f['load_generator']}, {f['seconds_per_point']:g} s per point, rate limits "
                f"{f['rate_limits']})", "",
                "Through the proxy (`bench/fleet_load.py`), next to the single server above: "
                "the same bodies, the same 2 cores, now shared with HAProxy, Redis and "
                "PostgreSQL.", "",
                "| path | concurrency | req/s | p50 ms | p99 ms | non-200 |",
                "|---|---|---|---|---|---|"]
        for p in f["points"]:
            out.append(f"| {p['path']} | {p['concurrency']} | {_f(p['rps'], 1)} | "
                       f"{_f(p['p50_ms'])} | {_f(p['p99_ms'])} | {p['non200']} |")
        after = [x["rss_mb"] for x in f["memory_after_load"]]
        out += ["", f"Replica RSS after load (MB): {', '.join(f'{x:.0f}' for x in after)}; "
                f"`fleet.sh up` took {f['up_seconds_including_prepare']} s.", ""]

    for g in growth:
        out += [f"## Growth ({g['backend']} backend, {g['threads'] or 'default'} threads)", "",
                "| corpus | passages | texts (distinct) | build s | rebuild after one edit s | "
                "index MB | hybrid search p50 / p99 ms | FAISS alone p50 / p99 ms | "
                "peak RSS MB |", "|---|---|---|---|---|---|---|---|---|"]
        for p in g["points"]:
            distinct = p.get("distinct_texts")
            out.append(
                f"| {p['scale']:g}x | {p['passages']:,} | {p['embedded_texts']:,}"
                + (f" ({distinct:,})" if distinct else "") + " | "
                f"{_f(p['build_seconds'], 1)} | "
                f"{_f(p.get('rebuild_after_one_edit_seconds'), 1)} | {_f(p['index_mb'], 1)} | "
                f"{_f(p['search_hybrid_ms']['p50'])} / {_f(p['search_hybrid_ms']['p99'])} | "
                f"{_f(p['search_faiss_ms']['p50'], 3)} / {_f(p['search_faiss_ms']['p99'], 3)} | "
                f"{_f(p['peak_rss_mb_total'], 0)} |")
            if p["scale"] == 100:
                verdicts.append(f"- Growth 100x ({g['backend']}): build {_f(p['build_seconds'], 0)}"
                                f" s (target < {TARGETS['build_100x_s']}): "
                                + _ok(p["build_seconds"] < TARGETS["build_100x_s"])
                                + f"; hybrid search p99 {_f(p['search_hybrid_ms']['p99'])} ms "
                                f"(target < {TARGETS['search_p99_100x_ms']}): "
                                + _ok(p["search_hybrid_ms"]["p99"]
                                      < TARGETS["search_p99_100x_ms"]))
        out.append("")

    if verdicts:
        out += ["## Against the targets", "", *verdicts, ""]
    issue12 = ratios(folder)
    if issue12:
        out += ["## Ratios to the single-query embedding p50 (issue 12)", "",
                *(f"- {line}" for line in issue12), ""]
    out += ["Plots: `latency-vs-concurrency.png`, `growth.png`.", ""]
    for result in _load(folder, "spanish.json"):
        from bench.spanish import markdown as spanish_markdown

        out += spanish_markdown(result)
    return "\n".join(out)


def plots(folder: Path = RESULTS) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []
    http = _load(folder, "http-*.json")
    if http:
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.6))
        colours = iter(plt.rcParams["axes.prop_cycle"].by_key()["color"])
        for h in http:
            for s in h["servers"]:
                # One colour per server set-up; solid: /api/v1/ask, dotted: /healthz;
                # circles: p50, triangles: p99. Only ask latencies: /healthz's are all < 10 ms.
                colour = next(colours)
                label = f"{h['backend']}, {s['workers']} worker(s)"
                for path, style in (("/api/v1/ask", "-"), ("/healthz", ":")):
                    pts = [p for p in s["points"] if p["path"] == path]
                    if not pts:
                        continue
                    cs = [p["concurrency"] for p in pts]
                    if path == "/api/v1/ask":
                        ax1.plot(cs, [p["p50_ms"] for p in pts], style, color=colour,
                                 marker="o", label=f"{label} p50")
                        ax1.plot(cs, [p["p99_ms"] for p in pts], "--", color=colour,
                                 marker="^", label=f"{label} p99")
                    ax2.plot(cs, [p["rps"] for p in pts], style, color=colour, marker="o",
                             label=f"{path} {label}")
        ax1.axhline(100, color="red", lw=0.8, ls="--", label="target p99 at c=8 (100 ms)")
        ax2.axhline(250, color="red", lw=0.8, ls="--", label="target at c=8, 2 workers")
        _log_axes(ax1, "POST /api/v1/ask latency vs concurrency", "concurrent connections",
                  "ms (log)", 2, 6)
        _log_axes(ax2, "Throughput vs concurrency", "concurrent connections",
                  "requests/s (log)", 2, 6)
        written.append(_save(fig, folder / "latency-vs-concurrency.png"))
    growth = _load(folder, "growth-*.json")
    if growth:
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
        for g in growth:
            pts = g["points"]
            xs = [p["passages"] for p in pts]
            ax1.plot(xs, [p["build_seconds"] for p in pts], marker="o",
                     label=f"build from nothing ({g['backend']})")
            if all("rebuild_after_one_edit_seconds" in p for p in pts):
                ax1.plot(xs, [p["rebuild_after_one_edit_seconds"] for p in pts], marker="s",
                         label=f"rebuild after one edit ({g['backend']})")
            ax2.plot(xs, [p["search_hybrid_ms"]["p50"] for p in pts], marker="o",
                     label=f"hybrid search p50 ({g['backend']})")
            ax2.plot(xs, [p["search_hybrid_ms"]["p99"] for p in pts], marker="^",
                     label=f"hybrid search p99 ({g['backend']})")
            ax2.plot(xs, [p["search_faiss_ms"]["p50"] for p in pts], ":", marker="o",
                     label=f"FAISS alone p50 ({g['backend']})")
        ax1.axhline(180, color="red", lw=0.8, ls="--", label="target at 100x (180 s)")
        ax2.axhline(10, color="red", lw=0.8, ls="--", label="target p99 (10 ms)")
        _log_axes(ax1, "Index build time vs corpus size", "passages (log)", "seconds (log)", 10, 7)
        _log_axes(ax2, "Search latency vs corpus size", "passages (log)", "ms (log)", 10, 7)
        written.append(_save(fig, folder / "growth.png"))
    return written


def _log_axes(ax: Any, title: str, xlabel: str, ylabel: str, base: int, legend_size: int
              ) -> None:
    """Log-log axes with a title, labels, a light grid and a legend."""
    ax.set_xscale("log", base=base)
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=legend_size)


def _save(fig: Any, path: Path) -> Path:
    import matplotlib.pyplot as plt

    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


# Issue 12's speed bars, as ratios to the single-query embedding p50 of the same run (these
# machines' speed varies by 2x from day to day, so absolute figures do not compare).
RATIOS = {"inprocess_e2e_p50": 1.5, "http_rps_x_embed_p50": 1.0, "http_p99_over_embed_p50": 25}


def ratios(folder: Path = RESULTS) -> list[str]:
    """One line per ratio of issue 12, with its bar: in-process end-to-end p50 / embedding
    p50; HTTP, 2 workers, c=8, requests per second x embedding p50 and p99 / embedding p50
    (the embedding p50 of the in-process run with the same backend)."""
    embed = {r["backend"]: r["floor"]["embed_one_query"]["p50"]
             for r in _load(folder, "inprocess-*.json")}
    lines = []
    for r in _load(folder, "inprocess-*.json"):
        ratio = r["ratio_e2e_p50_to_embed_floor"]
        lines.append(f"{r['backend']}: in-process e2e p50 / embed p50 = {ratio:.2f} "
                     f"(bar <= {RATIOS['inprocess_e2e_p50']}): "
                     + _ok(ratio <= RATIOS["inprocess_e2e_p50"]) + _load_average(r))
    for h in _load(folder, "http-*.json"):
        e = embed.get(h["backend"])
        for s in h["servers"]:
            ask = {p["concurrency"]: p for p in s["points"] if p["path"] == "/api/v1/ask"}
            if s["workers"] != 2 or 8 not in ask or not e:
                continue
            rps_x = ask[8]["rps"] * e / 1000
            p99_x = ask[8]["p99_ms"] / e
            lines.append(
                f"{h['backend']}: HTTP 2 workers c=8 rps x embed p50 = {rps_x:.2f} (bar >= "
                f"{RATIOS['http_rps_x_embed_p50']}): {_ok(rps_x >= RATIOS['http_rps_x_embed_p50'])}"
                f"; p99 / embed p50 = {p99_x:.1f} (bar <= {RATIOS['http_p99_over_embed_p50']}): "
                + _ok(p99_x <= RATIOS["http_p99_over_embed_p50"]) + _load_average(h))
    return lines


def _load_average(result: dict[str, Any]) -> str:
    """The machine's load when that benchmark started (the machines are shared)."""
    load = (result.get("machine") or {}).get("load_average_at_start")
    return f" (load average {load[0]:.2f} at start)" if load else ""


def write(folder: Path = RESULTS) -> list[Path]:
    md = folder / "RESULTS.md"
    md.write_text(markdown(folder))
    return [md, *plots(folder)]


if __name__ == "__main__":
    for p in write():
        print(p)
