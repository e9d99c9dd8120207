from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from api import cli
from api.pipeline import Pipeline
from tests.corpus.test_validate import GOOD

EXE = str(Path(sys.executable).parent / "clearpath")


@pytest.fixture
def runner(pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """In-process CLI using the session's loaded pipeline (no model reload per test)."""
    monkeypatch.setattr(cli, "_pipeline", lambda _settings: pipeline)
    return CliRunner()


def test_ask_prints_a_cited_answer_in_a_real_process(cli_env: dict[str, str]) -> None:
    out = subprocess.run([EXE, "ask", "What is kratom?"], capture_output=True, text=True,
                         env=cli_env, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("[answer]")
    assert "Sources:" in out.stdout and "[1]" in out.stdout


def test_ask_json_is_the_schema(runner: CliRunner) -> None:
    result = runner.invoke(cli.main, ["ask", "--json", "What is kratom?"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= {"kind", "answer", "sentences", "citations", "related", "helplines",
                         "disclaimer"}
    assert data["kind"] == "answer"


@pytest.mark.parametrize("question", ["", "   ", "x" * 2001, "bad\x07bell"])
def test_ask_rejects_bad_input_with_exit_2(runner: CliRunner, question: str) -> None:
    result = runner.invoke(cli.main, ["ask", question])
    assert result.exit_code == 2
    assert result.output.startswith("Error: the question")
    assert "Traceback" not in result.output


def test_batch_answers_each_line_and_survives_bad_ones(runner: CliRunner) -> None:
    lines = "\n".join([
        json.dumps({"id": "a", "question": "What is kratom?"}),
        "{not json",
        json.dumps({"id": "c", "question": "   "}),
        json.dumps({"id": "d", "question": "my friend is not breathing after using"}),
        json.dumps(["not", "an", "object"]),
    ])
    result = runner.invoke(cli.main, ["batch"], input=lines + "\n")
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [o["id"] for o in out] == ["a", 2, "c", "d", None]
    assert out[0]["kind"] == "answer"
    assert out[1]["error"]["code"] == "bad_json"
    assert out[2]["error"]["code"] == "invalid_question"
    assert out[3]["kind"] == "crisis"
    assert out[4]["error"]["code"] == "invalid_question"


def test_corpus_check_reports_file_line_and_exit_code(tmp_path: Path) -> None:
    ok = subprocess.run([EXE, "corpus", "check"], capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stdout
    bad = tmp_path / "bad.md"
    bad.write_text(GOOD.format(id="bad").replace(" [^nida-kratom]", ""))
    out = subprocess.run([EXE, "corpus", "check", "--dir", str(tmp_path)], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 1
    assert f"{bad}:22: paragraph has no citation" in out.stdout


def test_index_status_reports_ok(runner: CliRunner, cli_env: dict[str, str]) -> None:
    out = subprocess.run([EXE, "index", "status"], capture_output=True, text=True, env=cli_env,
                         timeout=60)
    assert out.returncode == 0, out.stdout
    assert out.stdout.startswith("index: ok")


def test_serve_reports_corpus_errors_from_its_build_process(tmp_path: Path,
                                                            cli_env: dict[str, str]) -> None:
    """`serve` builds a missing index in a child process; its corpus errors still reach the
    operator as file:line messages and a failing exit, and nothing starts listening."""
    corpus = tmp_path / "docs"
    corpus.mkdir()
    broken = GOOD.format(id="broken") + "\nQ: a question\nText after the question line.\n"
    (corpus / "broken.md").write_text(broken)
    env = {**cli_env, "CLEARPATH_CORPUS_DIR": str(corpus),
           "CLEARPATH_DATA_DIR": str(tmp_path / "data"), "CLEARPATH_PORT": "1"}
    out = subprocess.run([EXE, "serve"], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode != 0
    assert "broken.md:" in out.stderr and "must sit directly under their paragraph" in out.stderr


def test_serve_builds_a_missing_index_and_serves_without_torch(tmp_path: Path,
                                                               cli_env: dict[str, str]) -> None:
    """First run on an empty data dir: export, build, then serve. The export and build run
    in a child process, so the serving process never maps torch's library."""
    import time

    import httpx

    from tests.conftest import free_port

    port = free_port()
    env = {**cli_env, "CLEARPATH_DATA_DIR": str(tmp_path / "data"), "CLEARPATH_PORT": str(port)}
    log = tmp_path / "serve.log"
    with log.open("w") as sink:
        server = subprocess.Popen([EXE, "serve"], env=env, stdout=sink, stderr=sink)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, log.read_text()
            time.sleep(0.5)
        answer = httpx.post(f"http://127.0.0.1:{port}/api/v1/ask",
                            json={"question": "What is kratom?"}, timeout=30).json()
        assert answer["kind"] == "answer"
        maps = Path(f"/proc/{server.pid}/maps").read_text()
        assert "onnxruntime" in maps and "libtorch" not in maps
        assert "exporting the embedding model to ONNX" in log.read_text()
    finally:
        server.terminate()
        server.wait(timeout=30)
