"""A new corpus version rolls out without a failed request (issue 16): a real server following
a published pointer swaps in the new build while questions keep arriving."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import suppress
from pathlib import Path

import httpx
import pytest

from api.pipeline import Pipeline
from api.settings import Settings
from index import artifact
from index.build import build
from index.embed import SentenceTransformerEmbedder
from tests.conftest import free_port, running

QUESTIONS = ["how long does opioid withdrawal last", "is kratom safe to take with alcohol",
             "what helps with withdrawal diarrhea", "what is the capital of France",
             "I want to end my life"]
TOKEN = "a-test-operator-token"
EXE = str(Path(sys.executable).parent / "clearpath")


@pytest.fixture(scope="module")
def second_build(settings: Settings, embedder: SentenceTransformerEmbedder,
                 tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory whose current build is a new corpus version: one document's file
    changed (a trailing line), so its corpus hash and artifact id differ."""
    where = tmp_path_factory.mktemp("corpus-v2")
    corpus = where / "docs"
    shutil.copytree(settings.corpus_dir, corpus)
    doc = sorted(corpus.glob("*.md"))[0]
    doc.write_text(doc.read_text() + "\n")
    data = where / "data"
    shutil.copytree(settings.data_dir / "index", data / "index", symlinks=True)  # vectors reused
    build(embedder, data, corpus)
    return data


def test_reload_under_concurrent_requests(settings: Settings, second_build: Path,
                                          embedder: SentenceTransformerEmbedder,
                                          pipeline: Pipeline, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    first = artifact.publish(settings.data_dir, shared)
    own = tmp_path / "own"
    shutil.copytree(settings.data_dir / "guard", own / "guard")
    served = settings.model_copy(update={
        "data_dir": own, "index_from": shared, "index_watch_seconds": 0.2,
        "rate_limit_enabled": False, "operator_token": TOKEN})
    replica = Pipeline(served, embedder)
    versions: Counter[str] = Counter()
    failures: list[str] = []
    stop = threading.Event()

    def ask(url: str, n: int) -> None:
        with httpx.Client(base_url=url, timeout=30) as client:
            i = n
            while not stop.is_set():
                try:
                    reply = client.post("/api/v1/ask", json={"question": QUESTIONS[i % 5]})
                    if reply.status_code != 200:
                        failures.append(f"{reply.status_code}: {reply.text[:200]}")
                    else:
                        versions[reply.json()["corpus_version"]] += 1
                except httpx.HTTPError as exc:
                    failures.append(repr(exc))
                i += 1

    with running(served, replica) as url:
        threads = [threading.Thread(target=ask, args=(url, n)) for n in range(4)]
        for thread in threads:
            thread.start()
        try:
            time.sleep(1.5)
            second = artifact.publish(second_build, shared)  # the rollout, mid-load
            assert second.artifact != first.artifact
            deadline = time.monotonic() + 60
            with httpx.Client(base_url=url) as client:
                while client.get("/readyz").json()["corpus_version"] == \
                        replica.store.manifest.corpus_hash:
                    assert time.monotonic() < deadline, "the new build was never loaded"
                    time.sleep(0.1)
                after = sum(versions.values())
                time.sleep(1.5)
                # A damaged build published next is refused; the server keeps the one it has.
                folder = shared / "builds" / first.artifact
                (folder / "passages.json").write_text("{}")
                artifact._write_pointer(shared, first)
                time.sleep(1.5)
                ready = client.get("/readyz").json()
                text = client.get("/metrics",
                                  headers={"Authorization": f"Bearer {TOKEN}"}).text
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
    old, new = replica.store.manifest.corpus_hash, ready["corpus_version"]
    assert failures == []
    assert new != old
    assert versions[old] > 0 and versions[new] > 0, versions
    assert sum(versions.values()) > after  # requests went on after the swap
    assert 'clearpath_index_reloads_total{result="ok"} 1.0' in text
    assert 'clearpath_index_reloads_total{result="refused"} 1.0' in text
    assert f'artifact="{second.artifact}"' in text


def test_sighup_reloads_a_served_process(settings: Settings, second_build: Path,
                                         pipeline: Pipeline, cli_env: dict[str, str],
                                         tmp_path: Path) -> None:
    """`clearpath serve` itself (one worker, pointer not polled): `index pull` swaps the local
    link, SIGHUP makes the server follow it, with questions arriving the whole time."""
    shared = tmp_path / "shared"
    artifact.publish(second_build, shared)
    data = tmp_path / "data"
    shutil.copytree(settings.data_dir / "index", data / "index", symlinks=True)
    shutil.copytree(settings.data_dir / "guard", data / "guard")
    port = free_port()
    env = {**cli_env, "CLEARPATH_DATA_DIR": str(data), "CLEARPATH_PORT": str(port),
           "CLEARPATH_EMBED_BACKEND": "torch", "CLEARPATH_INDEX_WATCH_SECONDS": "0",
           "CLEARPATH_RATE_LIMIT_ENABLED": "false"}
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([EXE, "serve"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 240
        while True:
            assert server.poll() is None and time.monotonic() < deadline, "serve did not start"
            with suppress(httpx.HTTPError):
                if httpx.get(f"{url}/readyz").status_code == 200:
                    break
            time.sleep(0.5)
        old = httpx.get(f"{url}/readyz").json()["corpus_version"]
        codes: Counter[int] = Counter()
        stop = threading.Event()

        def ask() -> None:
            with httpx.Client(base_url=url, timeout=30) as client:
                while not stop.is_set():
                    codes[client.post("/api/v1/ask",
                                      json={"question": QUESTIONS[0]}).status_code] += 1

        asker = threading.Thread(target=ask)
        asker.start()
        try:
            pulled = subprocess.run([EXE, "index", "pull", str(shared)], env=env,
                                    capture_output=True, text=True, timeout=120)
            assert pulled.returncode == 0, pulled.stderr
            time.sleep(1)
            assert httpx.get(f"{url}/readyz").json()["corpus_version"] == old  # not polled
            server.send_signal(signal.SIGHUP)
            while httpx.get(f"{url}/readyz").json()["corpus_version"] == old:
                assert time.monotonic() < deadline + 60, "SIGHUP did not reload"
                time.sleep(0.1)
            time.sleep(1)
        finally:
            stop.set()
            asker.join(timeout=60)
        assert server.poll() is None  # SIGHUP did not stop the server
        assert set(codes) == {200} and codes[200] > 0, codes
    finally:
        server.terminate()
        server.wait(timeout=30)
