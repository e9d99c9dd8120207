"""The `clearpath` command: a thin layer over the pipeline. Errors map to exit codes here.

Exit codes: 0 success, 1 a failure (corpus errors, no index, eval below its bars),
2 bad input or usage.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import click

from api.errors import ClearpathError, ConfigError, IndexNotReady, InvalidQuestion
from api.schemas import Result
from api.settings import Settings, get_settings
from corpus.validate import CorpusError, check_corpus


def _echo_err(message: str) -> None:
    click.echo(message, err=True)


def _progress(message: str) -> None:
    _echo_err(f"[{time.strftime('%H:%M:%S')}] {message}")


def _pipeline(settings: Settings) -> Any:
    from api.pipeline import Pipeline

    try:
        return Pipeline(settings)
    except IndexNotReady as exc:
        raise click.ClickException(str(exc)) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Clearpath: answers about opioid withdrawal and kratom from a vetted, cited corpus."""


@main.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the result schema as JSON.")
@click.option("--region", default=None, help="Helplines region: us, uk, ca, au, ie, nz.")
def ask(question: str, as_json: bool, region: str | None) -> None:
    """Answer one QUESTION."""
    from api.pipeline import clean_question

    settings = get_settings()
    try:
        clean_question(question, settings.max_question_chars)
    except InvalidQuestion as exc:
        _echo_err(f"Error: {exc}")
        sys.exit(2)
    result = _pipeline(settings).answer(question, region)
    if as_json:
        click.echo(result.model_dump_json(indent=2))
    else:
        click.echo(render_text(result))


def render_text(result: Result) -> str:
    lines: list[str] = [f"[{result.kind}]", ""]
    if result.passages:
        # Each quoted passage whole; the sentences that best match the question in *stars*.
        for passage in result.passages:
            text = " ".join(f"*{s.text}*" if s.highlight else s.text for s in passage.sentences)
            marks = "".join(f"[{n}]" for n in passage.citations)
            heading = f": {passage.heading}" if passage.heading else ""
            lines += [f"{text} {marks}",
                      f"  (from {passage.document_title}{heading}, reviewed "
                      f"{passage.reviewed_on})", ""]
        lines.pop()
    else:
        lines.append(result.answer)
    if result.helplines:
        lines += ["", "Help:"]
        for h in result.helplines:
            contact = " / ".join(x for x in (h.number, h.url) if x)
            lines.append(f"  {h.name}: {contact}")
    if result.citations:
        lines += ["", "Sources:"]
        for c in result.citations:
            lines.append(f"  [{c.n}] {c.title}. {c.publisher}. {c.url} "
                         f"(passages {', '.join(c.passage_ids)}, reviewed {c.reviewed_on})")
    if result.related:
        label = "Related:" if result.kind in ("answer", "no_answer") else "You could ask:"
        lines += ["", label]
        lines += [f"  - {r.question or r.title}" + (f" ({r.title})" if r.question and r.doc_id
                                                     else "") for r in result.related]
    lines += ["", result.disclaimer]
    return "\n".join(lines)


@main.command()
@click.option("--region", default=None, help="Helplines region for every line.")
def batch(region: str | None) -> None:
    """Answer JSON lines {"id": ..., "question": ...} from stdin, one JSON line out each."""
    pipeline = _pipeline(get_settings())
    for line_no, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        item_id: Any = None
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise InvalidQuestion("each line must be a JSON object")
            item_id = item.get("id", line_no)
            item_region = item.get("region", region)
            if item_region is not None and not isinstance(item_region, str):
                raise InvalidQuestion("region must be text such as 'us'")
            result = pipeline.answer(item.get("question"), item_region)
            out: dict[str, Any] = {"id": item_id, **result.model_dump()}
        except json.JSONDecodeError as exc:
            out = {"id": line_no, "error": {"code": "bad_json", "message": str(exc)}}
        except InvalidQuestion as exc:
            out = {"id": item_id, "error": {"code": "invalid_question", "message": str(exc)}}
        except Exception as exc:  # one bad line must not end the batch
            out = {"id": item_id, "error": {"code": "failed", "message": type(exc).__name__}}
        click.echo(json.dumps(out, ensure_ascii=False))
        sys.stdout.flush()


@main.group()
def index() -> None:
    """Build or inspect the search index."""


@index.command("build")
def index_build() -> None:
    """Build the index from the corpus (atomic: the old index stays until the new one is done)."""
    from api.settings import embedder as settings_embedder
    from index.build import build

    settings = get_settings()
    _progress(f"loading the embedding model ({settings.embed_backend})")
    try:
        embedder = settings_embedder(settings)
        manifest = build(embedder, settings.data_dir, settings.corpus_dir, _progress)
    except CorpusError as exc:
        raise click.ClickException(str(exc)) from exc
    _progress(f"done: {manifest.documents} documents, {manifest.passages} passages, "
              f"{manifest.vectors} vectors in {manifest.build_seconds:.1f} s")


@index.command("publish")
@click.argument("shared", type=click.Path(file_okay=False, path_type=Path))
@click.option("--no-point", is_flag=True,
              help="Copy the build without making it the published current one.")
def index_publish(shared: Path, no_point: bool) -> None:
    """Copy the local current build to the shared directory SHARED, verified, and point
    SHARED/current at it (replicas following it reload)."""
    from index.artifact import ArtifactRefused, publish

    shared.mkdir(parents=True, exist_ok=True)
    try:
        pointer = publish(get_settings().data_dir, shared, point=not no_point)
    except ArtifactRefused as exc:
        raise click.ClickException(str(exc)) from exc
    where = shared / "builds" / pointer.artifact
    click.echo(f"published {pointer.artifact} to {where}"
               + ("" if no_point else f"; {shared / 'current'} points at it"))


@index.command("pull")
@click.argument("shared", type=click.Path(file_okay=False, exists=True, path_type=Path))
def index_pull(shared: Path) -> None:
    """Copy the build SHARED/current points at into the local data directory, verified, and
    make it the local current build (a server following it reloads)."""
    from index.artifact import ArtifactRefused, pull
    from index.embed import backend_model_name

    settings = get_settings()
    try:
        manifest = pull(shared, settings.data_dir, backend_model_name(settings.embed_backend))
    except ArtifactRefused as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"pulled {manifest.artifact} (corpus {manifest.corpus_hash}, "
               f"{manifest.passages} passages) into {settings.data_dir / 'index'}")


@index.command("status")
def index_status() -> None:
    """Say whether the index is ok, stale, damaged or missing (exit 1 unless ok)."""
    from index.build import status
    from index.embed import backend_model_name
    from index.store import check, read_manifest

    settings = get_settings()
    state = status(settings.data_dir, settings.corpus_dir,
                   backend_model_name(settings.embed_backend))
    manifest = read_manifest(settings.data_dir)
    click.echo(f"index: {state}")
    if state == "damaged":
        _echo_err(f"Error: {check(settings.data_dir)}")
    if manifest:
        click.echo(json.dumps(vars(manifest), indent=2))
    sys.exit(0 if state == "ok" else 1)


@main.group()
def corpus() -> None:
    """Work with the vetted corpus."""


@corpus.command("check")
@click.option("--allow-overdue", is_flag=True, help="Accept documents past their review date.")
@click.option("--dir", "corpus_dir", type=click.Path(path_type=Path), default=None,
              help="Corpus folder (default: the configured one).")
def corpus_check(allow_overdue: bool, corpus_dir: Path | None) -> None:
    """Validate every document; print problems as file:line: message (exit 1 on errors)."""
    folder = corpus_dir or get_settings().corpus_dir
    docs, problems = check_corpus(folder, allow_overdue=allow_overdue)
    for problem in problems:
        click.echo(str(problem))
    from api import responses

    helplines = responses.helpline_problems()
    for line in helplines:
        click.echo(f"{line} (error)")
    errors = sum(p.severity == "error" for p in problems) + len(helplines)
    warnings = len(problems) - errors + len(helplines)
    passages = sum(len(d.paragraphs) for d in docs)
    _echo_err(f"{len(docs)} documents, {passages} passages: {errors} error(s), "
              f"{warnings} warning(s)")
    sys.exit(1 if errors else 0)


@corpus.command("review")
@click.option("--within", type=click.IntRange(min=0), default=30, show_default=True,
              help="List documents due within this many days.")
@click.option("--on", "on_date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Pretend today is this date (YYYY-MM-DD).")
@click.option("--dir", "corpus_dir", type=click.Path(path_type=Path), default=None,
              help="Corpus folder (default: the configured one).")
def corpus_review(within: int, on_date: Any, corpus_dir: Path | None) -> None:
    """Print, per document, what is overdue and what is due soon, with the reviewer role."""
    import datetime as dt

    from corpus.load import corpus_files, parse_document
    from corpus.review import render, review_schedule

    folder = corpus_dir or get_settings().corpus_dir
    today = on_date.date() if on_date else dt.date.today()
    docs = [parse_document(path)[0] for path in corpus_files(folder)]
    overdue, soon = review_schedule(docs, today, within)
    click.echo(render(overdue, soon, today, within))


@main.group()
def partners() -> None:
    """The widget's partner registry."""


@partners.command("check")
def partners_check() -> None:
    """Validate the partner registry (CLEARPATH_PARTNERS_FILE); exit 1 on a mistake."""
    from api.partners import load_registry

    settings = get_settings()
    try:
        found = load_registry(settings.partners_file)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    for partner in found.values():
        click.echo(f"{partner.id}: {partner.name} ({partner.region}) "
                   f"origins={', '.join(partner.allowed_origins)} rate={partner.rate_limit} "
                   f"quota={partner.daily_quota}/day")
    _echo_err(f"{len(found)} partner(s) in {settings.partners_file}")


@partners.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def partners_stats(as_json: bool) -> None:
    """Outcome counts per partner (no question text is ever stored)."""
    from api import db

    settings = get_settings()
    engine = db.make_engine(settings.db_url)
    counts = db.partner_counts(engine)
    gaps = db.content_gaps(engine, settings.content_gap_min_count)
    if as_json:
        click.echo(json.dumps({"partners": counts, "content_gaps": gaps}, indent=2))
        return
    kinds = ("answer", "no_answer", "dosing_refusal", "crisis", "out_of_scope")
    click.echo(f"{'partner':24}" + "".join(f"{k:>16}" for k in kinds))
    for name, row in sorted(counts.items()):
        click.echo(f"{name:24}" + "".join(f"{row.get(k, 0):>16}" for k in kinds))
    click.echo(render_gaps(gaps))


def render_gaps(gaps: dict[str, Any]) -> str:
    k = gaps["min_count"]
    lines = ["", f"Content gaps: no_answer by the nearest passage (cells under {k} not shown)"]
    for view, keys in (("by_topic", ("topic",)), ("by_document", ("doc_id", "topic")),
                       ("by_partner", ("partner", "topic"))):
        lines.append(f"  {view.replace('_', ' ')}:")
        for row in gaps[view]["rows"]:
            name = " / ".join(str(row[key]) or "(own pages)" for key in keys)
            lines.append(f"    {name:52}{row['no_answer']:>8}")
        lines.append(f"    {'(suppressed)':52}{gaps[view]['suppressed']!s:>8}")
    return "\n".join(lines)


@main.group("db")
def database() -> None:
    """The feedback database (SQLite by default, PostgreSQL by CLEARPATH_DATABASE_URL)."""


@database.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to the newest schema (Alembic); run once before replicas start."""
    from sqlalchemy.exc import OperationalError

    from api import db

    engine = db.make_engine(get_settings().db_url, migrate=False)
    try:
        revision = db.upgrade(engine)
    except OperationalError as exc:
        raise click.ClickException(
            f"the database cannot be reached ({type(exc.orig).__name__})") from exc
    _progress(f"database at revision {revision}")


@main.command()
@click.option("--host", default=None, help="Bind address (default from settings).")
@click.option("--port", type=int, default=None, help="Port (default from settings).")
@click.option("--workers", type=int, default=None, help="Worker processes.")
def serve(host: str | None, port: int | None, workers: int | None) -> None:
    """Build the index if missing or stale, then serve the web app and API."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    import uvicorn

    from api.partners import load_registry
    from api.pipeline import index_state, prepare, ready_to_serve
    from index.store import check

    settings = get_settings()
    if settings.index_from:  # a replica: serve the published build, refuse a bad one now
        from index.artifact import ArtifactRefused, published
        from index.embed import backend_model_name

        try:
            published(settings.index_from, backend_model_name(settings.embed_backend))
        except ArtifactRefused as exc:
            raise click.ClickException(f"refusing the published index: {exc}") from exc
    elif index_state(settings) == "damaged":  # never rebuilt silently: say which file
        raise click.ClickException(check(settings.data_dir) or "the index is damaged")
    try:
        load_registry(settings.partners_file)  # fail here, clearly, not inside a worker
        if not ready_to_serve(settings):
            # In a child process: the export and the build load torch and the model, which
            # would otherwise stay resident in a one-worker server for its whole life.
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(1, mp_context=context) as pool:
                pool.submit(prepare, settings, _progress).result()
    except (CorpusError, ConfigError) as exc:
        raise click.ClickException(str(exc)) from exc
    except BrokenProcessPool as exc:
        raise click.ClickException(
            "the index build stopped unexpectedly (out of memory?); nothing was changed, "
            "the previous index, if any, is still current") from exc
    except Exception as exc:  # anything else from the build, said plainly
        raise click.ClickException(
            f"the index build failed ({type(exc).__name__}: {exc})") from exc
    # proxy_headers=False: the app reads X-Forwarded-For itself, from trusted proxies only
    # (api/clientip.py); uvicorn's default would trust any process on 127.0.0.1.
    host = host or settings.host
    port = port or settings.port
    workers = workers or settings.workers
    _progress(f"serving on http://{host}:{port} with {workers} worker process(es)")
    if workers > 1:
        _metrics_dir(settings.data_dir)
    if workers == 1:
        uvicorn.run("api.app:create_app", factory=True, host=host, port=port,
                    log_level="info", access_log=False, proxy_headers=False)
        return
    # What uvicorn.run does for several workers, with one difference: uvicorn makes the shared
    # listening socket with protocol 0, so asyncio never sets TCP_NODELAY on the connections it
    # accepts and every keep-alive response waits ~40 ms for a delayed ACK (Nagle).
    import socket

    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config("api.app:create_app", factory=True, host=host, port=port,
                            workers=workers, log_level="info", access_log=False,
                            proxy_headers=False)
    sock = config.bind_socket()
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.proto == 0:
        sock = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
    Multiprocess(config, sockets=[sock]).run()


def _metrics_dir(data_dir: Path) -> None:
    """Prometheus multiprocess mode for several workers: an empty folder of this server's
    own, set before the workers import prometheus-client (api/metrics.py)."""
    import os
    import shutil

    # Per server (replicas may share a data directory); emptied, as the mode requires.
    folder = data_dir / "metrics" / str(os.getpid())
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)


@main.command("eval")
@click.option("--questions", type=click.Path(path_type=Path, exists=True), default=None,
              help="Labelled questions (JSON lines); default corpus/questions/dev.jsonl.")
@click.option("--guard", "guard_only", is_flag=True,
              help="Evaluate the guard on the test split of api/guard/data/.")
@click.option("--split", type=click.Choice(["test", "dev", "cv"]), default="test",
              help="With --guard: which split to report on (cv: the dev split, 5-fold "
              "cross-validated, as calibration sees it).")
@click.option("--calibrate", is_flag=True,
              help="With --guard: choose thresholds on the dev split and write them first.")
@click.option("--messages", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              default=None, help="With --guard: report on every row of this labelled file.")
@click.option("--lang", type=click.Choice(["en", "es"]), default="en",
              help="es: the Spanish questions (default corpus/questions_es.jsonl): answer@1, "
              "answered, declined, retrieval by ranking, time per question.")
@click.option("--part", type=click.Choice(["dev", "test"]), default=None,
              help="Report the answers on a part of corpus/questions/ with issue 12's bars "
              "(answer@1, @3, MRR, answered, declined, confusable swaps).")
@click.option("--known-failing", default="",
              help="With --part: comma-separated bars reported as NOT MET without failing "
              "(a bar listed here that is met fails, so the list is kept true).")
@click.option("--dump-answers", "dump", type=int, default=0,
              help="With --part: write this many random questions with their rendered answers "
              "(question, answer, citations only) to --out, for blind grading.")
@click.option("--seed", type=int, default=0, help="With --dump-answers: the sample's seed.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="With --dump-answers: the file to write (and OUT.key.jsonl: question ids).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def evaluate(questions: Path | None, guard_only: bool, split: str, calibrate: bool,
             messages: Path | None, lang: str, part: str | None, known_failing: str, dump: int,
             seed: int, out: Path | None, as_json: bool) -> None:
    """Retrieval recall@1/3/5 and MRR; with --part, the answers against issue 12's bars; with
    --lang es, the Spanish questions; or, with --guard, the guard's precision and recall.

    Exits 1 when a figure is below its bar (with --part: a bar not met and not listed in
    --known-failing, or listed and met).
    """
    if part is not None:
        from api import evaluate as ev
        from corpus.load import QUESTIONS_FILE, TEST_QUESTIONS_FILE

        path = questions or (TEST_QUESTIONS_FILE if part == "test" else QUESTIONS_FILE)
        pipeline = _pipeline(get_settings())
        if dump:
            if out is None:
                raise click.UsageError("--dump-answers needs --out")
            written = ev.dump_answers(pipeline, path, dump, seed, out)
            _progress(f"wrote {written} answers to {out} (question ids in {out}.key.jsonl)")
            return
        listed = frozenset(b.strip() for b in known_failing.split(",") if b.strip())
        unknown = listed - set(ev.BARS)
        if unknown:
            raise click.UsageError(f"--known-failing: no such bar {sorted(unknown)}")
        report = ev.answers(pipeline, path)
        click.echo(json.dumps(report, indent=2) if as_json
                   else ev.render_answers(report, listed))
        failing = {n for n, b in report["bars"].items() if not b["met"]}
        if failing - listed or report["emergencies_missed"]:
            sys.exit(1)
        if listed - failing:
            _echo_err(f"bars listed as known failing are met: {sorted(listed - failing)}; "
                      "remove them from --known-failing")
            sys.exit(1)
        return
    if guard_only:
        from api.guard import calibrate as guard_eval
        from api.guard.model import load_or_train
        from api.settings import embedder as settings_embedder

        settings = get_settings()
        embedder = settings_embedder(settings)
        if calibrate:
            record = guard_eval.calibrate(embedder)
            _progress(f"thresholds written: {json.dumps(record)}")
        report = (guard_eval.cross_validated(embedder) if split == "cv" and messages is None
                  else guard_eval.evaluate(load_or_train(settings.data_dir, embedder), embedder,
                                           split, messages))
        click.echo(json.dumps(report, indent=2) if as_json else guard_eval.render(report))
    elif lang == "es":
        from api import evaluate_es

        pipeline = _pipeline(get_settings())
        if pipeline.spanish is None:
            raise click.ClickException("the index has no Spanish part; run `clearpath index "
                                       "build`")
        report = evaluate_es.run(pipeline, questions)
        click.echo(json.dumps(report, indent=2, ensure_ascii=False) if as_json
                   else evaluate_es.render(report))
    else:
        from api import evaluate as ev

        report = ev.run(_pipeline(get_settings()), questions)
        click.echo(json.dumps(report, indent=2) if as_json else ev.render(report))
    if not report["passed"]:
        sys.exit(1)


@main.group()
def messages() -> None:
    """The interface's message catalogue (web/locales, docs/i18n.md)."""


@messages.command("update")
def messages_update() -> None:
    """Extract every message into messages.pot and merge it into each language's .po file."""
    from api import i18n

    for path in i18n.update():
        click.echo(str(path.relative_to(i18n.ROOT)))


@messages.command("check")
def messages_check() -> None:
    """Exit 1 when a language lacks a reviewed translation or messages.pot is out of date."""
    from api import i18n

    catalog = i18n.extract()
    failed = False
    listed = {m.id for m in i18n.read_catalog(i18n.TEMPLATE_FILE) if m.id}
    if {m.id for m in catalog if m.id} != listed:
        click.echo(f"{i18n.TEMPLATE_FILE.relative_to(i18n.ROOT)}: out of date; run "
                   "`clearpath messages update`")
        failed = True
    for lang in i18n.languages()[1:]:
        for message in i18n.missing(lang, catalog):
            click.echo(f"{i18n.po_file(lang).relative_to(i18n.ROOT)}: no reviewed translation "
                       f"of {message!r}")
            failed = True
    _echo_err(f"languages: {', '.join(i18n.languages())}; {sum(1 for m in catalog if m.id)} "
              f"messages{': problems found' if failed else ''}")
    sys.exit(1 if failed else 0)


def run() -> None:
    from pydantic import ValidationError

    try:
        main(standalone_mode=True)
    except (ClearpathError, ConfigError) as exc:
        _echo_err(f"Error: {exc}")
        sys.exit(1)
    except ValidationError as exc:
        problems = "; ".join(e["msg"] for e in exc.errors())
        _echo_err(f"Error: settings: {problems}")
        sys.exit(1)
